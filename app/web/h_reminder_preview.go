package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// One coop's reminder for the staff: the e-mail it would get now, and
// "send a reminder now", keyed by a one-time form key so that a double
// click sends one.

type reminderPreview struct {
	Coop     *store.Coop
	Exercice string
	Mail     store.OutboxMail
	Missing  []string
	Complete bool
	NoBook   bool
	Nonce    string
	Error    string
}

// previewReminder builds, without saving anything, the reminder the coop
// would get now for the campaign of exercice.
func (a *Handler) previewReminder(c *gin.Context, cs *store.CoopScope, exercice string) (*reminderPreview, workflow.Campaign, error) {
	ctx := c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	v := &reminderPreview{Coop: co, Exercice: exercice}
	camp, err := adScope(c).Campaign(ctx, exercice)
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	wc, err := camp.Workflow()
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	_, d, err := cs.AsReadOnly().Dossier(ctx, exercice)
	if errors.Is(err, fault.ErrNotFound) {
		v.NoBook = true
		return v, wc, nil
	}
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	if st := d.Status(); st == workflow.DossierTransmis || st == workflow.DossierValide {
		v.Complete = true
		return v, wc, nil
	}
	m, err := a.NewMailer()
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	out, content, err := m.ReminderMail(ctx, co, wc, d, workflow.Late(d, wc, a.Now()))
	if err != nil {
		return nil, workflow.Campaign{}, err
	}
	out.Detail = service.ReminderDetail("manuelle", content)
	v.Mail = out
	for _, k := range content.MissingKeys() {
		v.Missing = append(v.Missing, string(k))
	}
	return v, wc, nil
}

// showReminderPreview shows the reminder e-mail the coop would get, with
// the button that sends it now.
func (a *Handler) showReminderPreview(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ex, err := a.staffExercice(c)
	if err != nil {
		return err
	}
	v, _, err := a.previewReminder(c, cs, ex)
	if err != nil {
		return err
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	v.Nonce = hex.EncodeToString(b)
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_reminder_preview", a.page(c, "Relance — "+v.Coop.Name, v))
	return nil
}

// nonceRE is the shape of the form's one-time key: a double click posts
// the same key twice and queues one mail.
var nonceRE = regexp.MustCompile(`^[0-9a-f]{24}$`)

// createManualReminder queues the coop's reminder now, whatever the rules'
// dates, keyed by the form's one-time key.
func (a *Handler) createManualReminder(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	ex, err := a.staffExercice(c)
	if err != nil {
		return err
	}
	nonce := c.PostForm("cle")
	if !nonceRE.MatchString(nonce) {
		return fault.Invalidf("Le formulaire a expiré : rechargez la page et recommencez.")
	}
	v, wc, err := a.previewReminder(c, cs, ex)
	switch {
	case err != nil:
		return err
	case v.NoBook:
		return fault.Invalidf("Cette coopérative n'a pas d'exercice %s : aucune relance à envoyer.", ex)
	case v.Complete:
		return fault.Invalidf("Le dossier %s de cette coopérative est complet : aucune relance à envoyer.", ex)
	}
	if _, err := a.queueManualReminder(ctx, cs, ex, v, wc, nonce); err != nil {
		return err
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d/courriels?envoye=1", cs.ID()))
	return nil
}

// queueManualReminder queues the reminder previewed in v now, keyed by the
// form's one-time key (a double click queues one mail), with its audit row;
// it reports whether a mail was queued. The queue's batch "relancer
// maintenant" uses it for each coop of the selection.
func (a *Handler) queueManualReminder(ctx context.Context, cs *store.CoopScope, ex string, v *reminderPreview, wc workflow.Campaign, nonce string) (bool, error) {
	v.Mail.Key = fmt.Sprintf("remind-manual:%d:%d:%s", cs.ID(), wc.ID, nonce)
	var queued bool
	err := cs.Tx(ctx, func(tx *store.CoopScope) error {
		var err error
		if queued, err = tx.QueueMail(ctx, v.Mail); err != nil || !queued {
			return err
		}
		return tx.Audit(ctx, "reminder.manual", map[string]any{"exercice": ex, "manquants": v.Missing, "a": v.Mail.To})
	})
	return queued, err
}
