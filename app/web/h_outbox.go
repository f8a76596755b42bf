package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/store"
)

// The staff's view of outbound mail: the AD's outbox with its filters, one
// mail, and the mails sent about one coop.

const mailsPerPage = 50

// mailChoice is one value of a filter of the outbox.
type mailChoice struct{ Key, Label string }

// mailKinds are the French names of the outbox's kinds, in filter order.
var mailKinds = []mailChoice{
	{store.MailReminder, "Relance"},
	{store.MailCorrection, "Correction demandée"},
	{store.MailValidated, "Dossier validé"},
	{store.MailReopened, "Dossier rouvert"},
	{store.MailAck, "Accusé de réception"},
	{store.MailPasswordReset, "Mot de passe"},
	{store.MailDigest, "Synthèse"},
}

func kindLabel(k string) string {
	for _, m := range mailKinds {
		if m.Key == k {
			return m.Label
		}
	}
	return k
}

// mailRow is an outbox row as the staff read it.
type mailRow struct {
	store.Mail
	KindLabel string
	State     string // "envoye", "en-attente", "echec", "non-envoye": CSS class and test hook
	Status    string // French sentence
	Masked    bool   // the body is a personal link: never shown
}

func (a *Handler) mailRow(m store.Mail) mailRow {
	r := mailRow{Mail: m, KindLabel: kindLabel(m.Kind), Masked: m.Kind == store.MailPasswordReset}
	at := func(t time.Time) string { return t.In(fr.Paris).Format("02/01/2006 à 15:04") }
	switch {
	case m.Status == store.MailSent:
		r.State, r.Status = "envoye", "Envoyé le "+at(m.SentAt)
	case m.Status == store.MailFailed:
		r.State, r.Status = "echec", "Échec définitif : "+m.LastError
	case !a.SMTPConfigured():
		r.State, r.Status = "non-envoye", "Non envoyé : aucun serveur SMTP configuré"
	case m.Attempts > 0:
		r.State = "en-attente"
		r.Status = fmt.Sprintf("En attente : %d essai(s), prochain le %s — %s", m.Attempts, at(m.NextAttemptAt), m.LastError)
	default:
		r.State, r.Status = "en-attente", "En attente d'envoi"
	}
	return r
}

func (a *Handler) mailRows(ms []store.Mail) []mailRow {
	out := make([]mailRow, len(ms))
	for i, m := range ms {
		out[i] = a.mailRow(m)
	}
	return out
}

type outboxPage struct {
	Mails        []mailRow
	Counts       store.OutboxCounts
	Total        int
	Status, Kind string
	Q            string
	Kinds        []mailChoice
	Statuses     []mailChoice
	SMTP         bool
	Page, Last   int
	PrevURL      string
	NextURL      string
}

// showOutbox lists the AD's outbound mail, newest first, filtered by
// status, kind and a search on recipient, subject or coop.
func (a *Handler) showOutbox(c *gin.Context) error {
	ctx := c.Request.Context()
	ad := adScope(c)
	v := outboxPage{Status: c.Query("statut"), Kind: c.Query("type"), Q: strings.TrimSpace(c.Query("q")),
		Kinds: mailKinds, SMTP: a.SMTPConfigured(),
		Statuses: []mailChoice{{store.MailQueued, "En attente"}, {store.MailSent, "Envoyés"}, {store.MailFailed, "En échec"}}}
	switch v.Status {
	case "", store.MailQueued, store.MailSent, store.MailFailed:
	default:
		v.Status = ""
	}
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = max(v.Page, 1)
	mails, total, err := ad.Outbox(ctx, store.OutboxFilter{Status: v.Status, Kind: v.Kind, Q: v.Q,
		Limit: mailsPerPage, Offset: (v.Page - 1) * mailsPerPage})
	if err != nil {
		return err
	}
	if v.Counts, err = ad.OutboxCounts(ctx); err != nil {
		return err
	}
	v.Mails, v.Total, v.Last = a.mailRows(mails), total, (total+mailsPerPage-1)/mailsPerPage
	link := func(p int) string {
		return "/ad/courriels?" + url.Values{"statut": {v.Status}, "type": {v.Kind}, "q": {v.Q}, "page": {strconv.Itoa(p)}}.Encode()
	}
	v.PrevURL, v.NextURL = pageLinks(v.Page, v.Last, link)
	a.render.HTML(c, http.StatusOK, "staff_outbox", a.page(c, "Courriels envoyés", v))
	return nil
}

// showOutboxMail shows one of the AD's mails with its text (a password
// reset link excepted).
func (a *Handler) showOutboxMail(c *gin.Context) error {
	id, ok := paramID(c, "mail")
	if !ok {
		return fault.ErrNotFound
	}
	m, err := adScope(c).OutboxMail(c.Request.Context(), id)
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_outbox_mail", a.page(c, m.Subject, a.mailRow(*m)))
	return nil
}

type coopMails struct {
	Coop  *store.Coop
	Mails []mailRow
	Sent  bool
}

// showCoopMails is the history of the mails about one coop.
func (a *Handler) showCoopMails(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	mails, err := adScope(c).CoopMails(ctx, cs.ID())
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_coop_mails", a.page(c, "Courriels — "+co.Name,
		coopMails{Coop: co, Mails: a.mailRows(mails), Sent: c.Query("envoye") == "1"}))
	return nil
}
