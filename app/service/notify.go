package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"retkoop/app/mail"
	"retkoop/app/store"
	"retkoop/workflow"
)

// notifyMandataire queues, inside the transaction that saved the dossier
// (carryOut), the mail that tells the mandataire what the staff did: a
// correction asked (at once, with its reason), the dossier validated or
// reopened. The transaction makes it once per event: the mail commits with
// the new state or not at all. A coop without an e-mail address gets
// nothing, and the staff's action is not refused for it.
func (a *Service) notifyMandataire(ctx context.Context, tx *store.CoopScope, d workflow.Dossier, n workflow.NotifyMandataire) error {
	co, err := tx.Coop(ctx)
	if err != nil || co.MandataireEmail == "" {
		return err
	}
	camp, err := tx.CampaignByID(ctx, d.CampaignID)
	if err != nil {
		return err
	}
	m, s, err := a.MailerFor(ctx, co.ADID)
	if err != nil {
		return err
	}
	view := mail.NoticeView{CoopName: co.Name, UAI: co.UAI, Mandataire: co.MandataireName, Exercice: camp.Exercice, Reason: n.Reason}
	if n.Item != "" {
		view.ItemLabel = n.Item.Label()
	}
	name, kind := "", ""
	switch n.Kind {
	case workflow.NoticeCorrectionRequested:
		name, kind = mail.Correction, store.MailCorrection
	case workflow.NoticeDossierValidated:
		name, kind = mail.Validated, store.MailValidated
	case workflow.NoticeDossierReopened:
		name, kind = mail.Reopened, store.MailReopened
	default:
		return fmt.Errorf("notify mandataire: unknown notice %q", n.Kind)
	}
	out, err := m.Compose(s, name, view)
	if err != nil {
		return err
	}
	out.Kind, out.To = kind, co.MandataireEmail
	out.ReplyTo, _ = s.ReplyTo(a.Cfg.Secret, co.ID, d.CampaignID)
	out.Key = noticeKey(co.ID, d.CampaignID, n)
	out.Detail = noticeDetail(view, n)
	_, err = tx.QueueMail(ctx, out)
	return err
}

// noticeKey is the outbox key of a notice. A correction is numbered within
// its dossier; a validation or a reopening may happen again after the
// next one, so it gets a random suffix: the transaction, not the key,
// makes it once.
func noticeKey(coopID, campaignID int64, n workflow.NotifyMandataire) string {
	if n.Kind == workflow.NoticeCorrectionRequested && n.CorrectionID > 0 {
		return fmt.Sprintf("notice:%d:%d:%s:%d", coopID, campaignID, n.Kind, n.CorrectionID)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("notice:%d:%d:%s:%s", coopID, campaignID, n.Kind, hex.EncodeToString(b))
}

func noticeDetail(v mail.NoticeView, n workflow.NotifyMandataire) string {
	switch n.Kind {
	case workflow.NoticeCorrectionRequested:
		return "Correction demandée : " + v.ItemLabel + " — " + v.Reason
	case workflow.NoticeDossierReopened:
		return "Dossier rouvert — " + v.Reason
	}
	return "Dossier " + v.Exercice + " validé"
}
