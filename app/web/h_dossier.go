package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The mandataire's "Mon dossier": the checklist of the annual submission,
// the upload of documents per item and the answers to the staff's
// corrections.

// showCoopDossierCurrent sends the mandataire to the dossier they work on
// now (see CurrentExercice).
func (a *Handler) showCoopDossierCurrent(c *gin.Context) error {
	ex, err := a.CurrentExercice(c.Request.Context(), coopScope(c))
	if err != nil {
		return err
	}
	c.Redirect(http.StatusFound, spaceOf(c).To("/dossier/"+ex))
	return nil
}

func (a *Handler) showCoopDossier(c *gin.Context) error {
	v, err := a.coopDossier(c, coopScope(c))
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(c.Query("recu"), 10, 64); err == nil {
		v.receiptNotice(id, false)
	}
	if id, err := strconv.ParseInt(c.Query("deja"), 10, 64); err == nil {
		v.receiptNotice(id, true)
	}
	if it := v.item(workflow.ItemKey(c.Query("repondu"))); it != nil {
		it.Notice = "Votre réponse a été transmise à l'AD."
	}
	a.render.HTML(c, http.StatusOK, "dossier", a.page(c, "Mon dossier "+v.Exercice, v))
	return nil
}

// coopDossier loads the view of the mandataire's dossier named by :ex.
func (a *Handler) coopDossier(c *gin.Context, cs *store.CoopScope) (*dossierView, error) {
	ex := c.Param("ex")
	v, err := a.loadDossier(c.Request.Context(), spaceOf(c), cs, ex, spaceOf(c).To("/dossier/"+ex), spaceOf(c).To("/documents"), false)
	if err != nil {
		return nil, err
	}
	v.setCSRF(a.page(c, "", nil).CSRF)
	return v, nil
}

// createDossierDocument receives a file for a document item: streamed to
// the docstore (type sniffed, size limited), recorded once per coop by
// SHA-256 and attached to the item. htmx gets the item back, re-rendered
// with the summary; a plain form is redirected to the page.
func (a *Handler) createDossierDocument(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, ex := coopScope(c), c.Param("ex")
	item, err := service.DocumentItem(c.Param("item"))
	if err == nil {
		_, _, err = cs.Dossier(ctx, ex) // a foreign or unknown exercice is a 404 before any byte is read
	}
	if err == nil && cs.ReadOnly() {
		err = fault.ErrReadOnly
	}
	if err != nil {
		return err
	}
	up, err := a.receiveUpload(c, "fichier")
	if err != nil {
		return err
	}
	r, err := a.ReceiveFile(ctx, cs, ex, item, workflow.SourceWeb, up.Stored, up.Name)
	if err != nil {
		return err
	}
	param := "recu"
	if r.Duplicate {
		param = "deja"
	}
	if !isFragment(c.Request) {
		a.redirect(c, spaceOf(c).To(fmt.Sprintf("/dossier/%s?%s=%d#%s", ex, param, r.Document.ID, ItemDOMID(r.Item))))
		return nil
	}
	v, err := a.coopDossier(c, cs)
	if err != nil {
		return err
	}
	v.receiptNotice(r.Document.ID, r.Duplicate)
	a.renderItem(c, v, r.Item)
	return nil
}

// createCorrectionAnswer records the mandataire's written answer to a
// correction the staff asked for.
func (a *Handler) createCorrectionAnswer(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, ex := coopScope(c), c.Param("ex")
	_, d, err := cs.Dossier(ctx, ex)
	if err != nil {
		return err
	}
	id, ok := paramID(c, "correction")
	var item workflow.ItemKey
	for _, corr := range d.Corrections {
		if corr.ID == id {
			item = corr.Item
		}
	}
	if !ok || item == "" {
		return fault.ErrNotFound
	}
	stamp, err := a.Stamp(ctx, cs, "")
	if err == nil {
		_, err = a.DossierEvent(ctx, cs, ex, workflow.CorrectionAnswered{Stamp: stamp, CorrectionID: id, Answer: c.PostForm("reponse")})
	}
	if err != nil {
		return err
	}
	if !isFragment(c.Request) {
		a.redirect(c, spaceOf(c).To(fmt.Sprintf("/dossier/%s?repondu=%s#%s", ex, item, ItemDOMID(item))))
		return nil
	}
	v, err := a.coopDossier(c, cs)
	if err != nil {
		return err
	}
	if it := v.item(item); it != nil {
		it.Notice = "Votre réponse a été transmise à l'AD."
	}
	a.renderItem(c, v, item)
	return nil
}

// renderItem answers htmx with one checklist item and, out of band, the
// dossier's summary (status, score).
func (a *Handler) renderItem(c *gin.Context, v *dossierView, key workflow.ItemKey) {
	it := v.item(key)
	if it == nil {
		// The item left the checklist (no subsidy to prove): show the page.
		a.redirect(c, v.Base)
		return
	}
	v.OOB = true
	// A file already received for another item is reported on that item.
	c.Header("HX-Retarget", "#"+it.DOMID)
	c.Header("HX-Reswap", "outerHTML")
	a.render.Partial(c, http.StatusOK, "dossier_swap", map[string]any{"Item": it, "Dossier": v})
}

func ItemDOMID(k workflow.ItemKey) string {
	return "dossier-item-" + strings.ReplaceAll(string(k), "_", "-")
}
