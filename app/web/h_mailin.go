package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/store"
)

// The staff's mail-in pages: the triage of files whose coop or type is
// unknown, the ledger of every message, one message, and the admin's
// mailbox settings.

const (
	mailTriageLimit = 100
	mailLedgerPage  = 50
)

// mailNotices are the confirmations shown after an action (?ok=…).
var mailNotices = map[string]string{
	"classe":  "Document classé dans le dossier de la coopérative.",
	"deja":    "Ce document était déjà au dossier : rien n'a été ajouté.",
	"ecarte":  "Document écarté.",
	"retente": "Le message sera traité de nouveau au prochain relevé de la boîte.",
	"boite":   "Boîte aux lettres enregistrée : elle sera relevée au prochain passage.",
}

type mailTriagePage struct {
	Rows    []mailRowView
	Waiting int
	Admin   bool
	Notice  string
}

func (a *Handler) showMailTriage(c *gin.Context) error {
	ctx := c.Request.Context()
	ad := adScope(c)
	entries, files, err := ad.MailTriage(ctx, mailTriageLimit)
	if err != nil {
		return err
	}
	v := mailTriagePage{Notice: mailNotices[c.Query("ok")], Admin: currentUser(c).Role == store.RoleAdmin}
	for _, e := range entries {
		v.Rows = append(v.Rows, newMailRow(e, files[e.ID]))
	}
	if v.Waiting, err = ad.MailTriageCount(ctx); err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_mail_triage", a.page(c, "Courrier reçu à classer", v))
	return nil
}

type mailLedgerPageView struct {
	Rows                   []mailRowView
	Total, Page, Last      int
	Box, Issue, From, To   string
	Boxes                  []string
	Issues                 []issueChoice
	PrevURL, NextURL, Self string
}

func (a *Handler) showMailLedger(c *gin.Context) error {
	ctx := c.Request.Context()
	ad := adScope(c)
	v := mailLedgerPageView{Box: c.Query("boite"), Issue: c.Query("issue"), From: c.Query("du"), To: c.Query("au"), Issues: mailIssues}
	f, err := mailLedgerFilter(v.Box, v.Issue, v.From, v.To)
	if err != nil {
		return err
	}
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = max(v.Page, 1)
	f.Limit, f.Offset = mailLedgerPage, (v.Page-1)*mailLedgerPage
	entries, total, err := ad.MailLedger(ctx, f)
	if err != nil {
		return err
	}
	if v.Boxes, err = ad.MailMailboxes(ctx); err != nil {
		return err
	}
	for _, e := range entries {
		v.Rows = append(v.Rows, newMailRow(e, nil))
	}
	v.Total, v.Last = total, (total+mailLedgerPage-1)/mailLedgerPage
	link := func(p int) string {
		return "/ad/courrier/journal?" + url.Values{"boite": {v.Box}, "issue": {f.Issue}, "du": {v.From}, "au": {v.To}, "page": {strconv.Itoa(p)}}.Encode()
	}
	v.PrevURL, v.NextURL = pageLinks(v.Page, v.Last, link)
	a.render.HTML(c, http.StatusOK, "staff_mail_ledger", a.page(c, "Journal du courrier reçu", v))
	return nil
}

func (a *Handler) showMailMessage(c *gin.Context) error {
	id, ok := paramID(c, "message")
	if !ok {
		return fault.ErrNotFound
	}
	e, files, err := adScope(c).MailMessage(c.Request.Context(), id)
	if err != nil {
		return err
	}
	v := struct {
		mailRowView
		Notice string
	}{newMailRow(*e, files), mailNotices[c.Query("ok")]}
	a.render.HTML(c, http.StatusOK, "staff_mail_message", a.page(c, "Message reçu", v))
	return nil
}

func (a *Handler) createMailRetry(c *gin.Context) error {
	id, ok := paramID(c, "message")
	if !ok {
		return fault.ErrNotFound
	}
	if err := adScope(c).RequestMailRetry(c.Request.Context(), id); err != nil {
		return err
	}
	a.redirect(c, fmt.Sprintf("/ad/courrier/messages/%d?ok=retente", id))
	return nil
}

// showMailFile streams a file of the AD's mail (inline, for the viewer),
// with the same protections as the documents.
func (a *Handler) showMailFile(c *gin.Context) error {
	id, ok := paramID(c, "piece")
	if !ok {
		return fault.ErrNotFound
	}
	at, err := adScope(c).MailAttachment(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if at.SHA256 == "" || at.MIME == "" {
		return fault.ErrNotFound // a refused file was not kept
	}
	f, err := a.Docs().Open(at.SHA256)
	if err != nil {
		return fault.ErrNotFound
	}
	defer f.Close()
	disp := "inline"
	if c.Query("telecharger") == "1" {
		disp = "attachment"
	}
	c.Header("Content-Type", at.MIME)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": path.Base(at.Name)}))
	c.Header("Cache-Control", "private, max-age=3600")
	c.Header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox")
	http.ServeContent(c.Writer, c.Request, "", at.ResolvedAt, f)
	return nil
}

// service.AssignMailFile's handler: the form gives the coop's UAI and the item.
func (a *Handler) createMailAssignment(c *gin.Context) error {
	id, ok := paramID(c, "piece")
	if !ok {
		return fault.ErrNotFound
	}
	r, err := a.AssignMailFile(c.Request.Context(), adScope(c), id, c.PostForm("uai"), c.PostForm("element"))
	if err != nil {
		return err
	}
	notice := "classe"
	if r.Duplicate {
		notice = "deja"
	}
	a.redirect(c, mailBack(c, "ok="+notice))
	return nil
}

func (a *Handler) createMailDismissal(c *gin.Context) error {
	id, ok := paramID(c, "piece")
	if !ok {
		return fault.ErrNotFound
	}
	if err := adScope(c).DismissAttachment(c.Request.Context(), id); err != nil {
		return err
	}
	a.redirect(c, mailBack(c, "ok=ecarte"))
	return nil
}

// mailBack is where an action on a file returns: the message page when
// the form came from it, else the triage.
func mailBack(c *gin.Context, query string) string {
	if m, err := strconv.ParseInt(c.PostForm("message"), 10, 64); err == nil && m > 0 {
		return fmt.Sprintf("/ad/courrier/messages/%d?%s", m, query)
	}
	return "/ad/courrier?" + query
}

func (a *Handler) showMailbox(c *gin.Context) error {
	v, err := a.mailboxSettings(c.Request.Context(), adScope(c))
	if err != nil {
		return err
	}
	v.Notice = mailNotices[c.Query("ok")]
	a.render.HTML(c, http.StatusOK, "staff_mailbox", a.page(c, "Boîte aux lettres de l'AD", v))
	return nil
}

func (a *Handler) updateMailbox(c *gin.Context) error {
	err := a.saveMailbox(c.Request.Context(), adScope(c), c.PostForm("url"), c.PostForm("traites"), c.PostForm("active") == "1")
	if err != nil {
		return err
	}
	a.redirect(c, "/ad/courrier/boite?ok=boite")
	return nil
}
