package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The staff's minimal actions on a coop's dossier: accept an item, ask for
// a correction, record a document received by post, waive a subsidy proof,
// validate, reopen. The review queue builds on the same events.

// staffNotices are the confirmations shown after an action (?ok=…).
var staffNotices = map[string]string{
	"accepte":    "Élément accepté.",
	"correction": "Demande de correction envoyée à la coopérative.",
	"courrier":   "Document reçu par courrier enregistré.",
	"deja":       "Ce fichier était déjà au dossier : rien n'a été ajouté.",
	"dispense":   "Justificatif non exigé : c'est noté.",
	"valide":     "Dossier validé.",
	"rouvert":    "Dossier rouvert.",
}

func (a *Handler) showStaffDossier(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ex := c.Param("ex")
	base := fmt.Sprintf("/ad/coops/%d/dossier/%s", cs.ID(), ex)
	v, err := a.loadDossier(c.Request.Context(), mandataireSpace, cs, ex, base, fmt.Sprintf("/ad/coops/%d/documents", cs.ID()), true)
	if err == nil {
		v.Review, err = a.staffReview(c.Request.Context(), cs, ex)
	}
	if err != nil {
		return err
	}
	v.setCSRF(a.page(c, "", nil).CSRF)
	v.Notice = staffNotices[c.Query("ok")]
	a.render.HTML(c, http.StatusOK, "staff_dossier", a.page(c, "Dossier "+ex+" — "+v.Coop.Name, v))
	return nil
}

// staffEvent runs one staff action: resolve the coop and its dossier, build
// the event from the form, apply it, go back to the page with a notice.
func (a *Handler) staffEvent(c *gin.Context, ok string, build func(workflow.Stamp) (workflow.Event, error)) error {
	ctx := c.Request.Context()
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ex := c.Param("ex")
	if err := a.staffApply(ctx, cs, ex, build); err != nil {
		return err
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d/dossier/%s?ok=%s", cs.ID(), ex, ok))
	return nil
}

func (a *Handler) staffApply(ctx context.Context, cs *store.CoopScope, ex string, build func(workflow.Stamp) (workflow.Event, error)) error {
	if _, _, err := cs.Dossier(ctx, ex); err != nil {
		return err
	}
	stamp, err := a.Stamp(ctx, cs, "")
	if err != nil {
		return err
	}
	ev, err := build(stamp)
	if err != nil {
		return err
	}
	_, err = a.DossierEvent(ctx, cs, ex, ev)
	return err
}

// staffItem reads the :item of a route; an unknown key is a 404.
func staffItem(c *gin.Context) (workflow.ItemKey, error) {
	k, err := workflow.ParseItemKey(c.Param("item"))
	if err != nil {
		return "", fault.ErrNotFound
	}
	return k, nil
}

func (a *Handler) acceptDossierItem(c *gin.Context) error {
	return a.staffEvent(c, "accepte", func(s workflow.Stamp) (workflow.Event, error) {
		k, err := staffItem(c)
		return workflow.ItemAccepted{Stamp: s, Item: k}, err
	})
}

func (a *Handler) requestDossierCorrection(c *gin.Context) error {
	return a.staffEvent(c, "correction", func(s workflow.Stamp) (workflow.Event, error) {
		k, err := staffItem(c)
		return workflow.CorrectionRequested{Stamp: s, Item: k, Reason: c.PostForm("motif")}, err
	})
}

func (a *Handler) waiveDossierProof(c *gin.Context) error {
	return a.staffEvent(c, "dispense", func(s workflow.Stamp) (workflow.Event, error) {
		return workflow.ProofWaived{Stamp: s, SubsidyRef: c.PostForm("subvention"), Reason: c.PostForm("motif")}, nil
	})
}

func (a *Handler) validateDossier(c *gin.Context) error {
	return a.staffEvent(c, "valide", func(s workflow.Stamp) (workflow.Event, error) {
		return workflow.DossierValidated{Stamp: s}, nil
	})
}

func (a *Handler) reopenDossier(c *gin.Context) error {
	return a.staffEvent(c, "rouvert", func(s workflow.Stamp) (workflow.Event, error) {
		var keys []workflow.ItemKey
		for _, k := range c.PostFormArray("cles") {
			keys = append(keys, workflow.ItemKey(k))
		}
		return workflow.DossierReopened{Stamp: s, Reason: c.PostForm("motif"), Items: keys}, nil
	})
}

// createPostalDocument records that a document arrived by post: the scan
// if the staff attached one, otherwise a generated receipt that stands for
// the paper in the dossier (who recorded it, when, for which item).
func (a *Handler) createPostalDocument(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ex := c.Param("ex")
	item, err := service.DocumentItem(c.Param("item"))
	if err == nil {
		_, _, err = cs.Dossier(ctx, ex)
	}
	if err != nil {
		return err
	}
	up, err := a.receiveUpload(c, "fichier")
	if errors.Is(err, errNoFile) {
		up.Stored, up.Name, err = a.postalReceipt(ctx, cs, ex, item)
	}
	if err != nil {
		return err
	}
	r, err := a.ReceiveFile(ctx, cs, ex, item, workflow.SourcePoste, up.Stored, up.Name)
	if err != nil {
		return err
	}
	ok := "courrier"
	if r.Duplicate {
		ok = "deja"
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d/dossier/%s?ok=%s", cs.ID(), ex, ok))
	return nil
}

// postalReceipt stores the receipt of a paper document with no scan.
func (a *Handler) postalReceipt(ctx context.Context, cs *store.CoopScope, ex string, item workflow.ItemKey) (stored docstore.Stored, name string, err error) {
	co, err := cs.Coop(ctx)
	if err != nil {
		return stored, "", err
	}
	stamp, err := a.Stamp(ctx, cs, workflow.SourcePoste)
	if err != nil {
		return stored, "", err
	}
	at := stamp.At.In(fr.Paris)
	pdf := service.NotePDF("Document reçu par courrier", []string{
		co.Name + " (" + co.UAI + ")",
		"Exercice " + ex + " — " + item.Label(),
		"Reçu par courrier, enregistré le " + at.Format("02/01/2006 à 15:04:05") + " par " + stamp.By + ".",
		"L'original papier est conservé par l'AD.",
	})
	stored, err = a.Docs().Put(bytes.NewReader(pdf))
	if err != nil {
		return stored, "", fmt.Errorf("postal receipt: %w", err)
	}
	return stored, fmt.Sprintf("courrier-%s-%s.pdf", item, at.Format("20060102-150405")), nil
}
