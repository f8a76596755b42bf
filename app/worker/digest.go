package worker

import (
	"context"
	"fmt"
	"time"

	"retkoop/app/mail"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The weekday staff digest: once a working day, from 08:00 Paris time, each
// staff member of an AD gets what arrived since the previous digest, the
// dossiers waiting for review and the coops that are late — when there is
// anything to say. Its outbox key (AD, day, user) makes it once a day
// whatever the number of schedulers.

// digestDue reports whether the digest goes out at now, and since when it
// reports arrivals (the previous working day at 08:00).
func DigestDue(now time.Time) (since time.Time, ok bool) {
	p := now.In(workflow.Paris())
	if !workflow.SendingAllowed(now) || p.Weekday() == time.Saturday {
		return time.Time{}, false
	}
	y, m, d := p.Date()
	back := 1
	if p.Weekday() == time.Monday {
		back = 3
	}
	return time.Date(y, m, d-back, 8, 0, 0, 0, workflow.Paris()), true
}

// DigestAll queues the digest of every AD at now.
func (a *Worker) DigestAll(ctx context.Context, now time.Time) error {
	since, ok := DigestDue(now)
	if !ok {
		return nil
	}
	return a.eachAD(ctx, "digest", func(m *service.Mailer, adID int64) error {
		return a.digestAD(ctx, m, adID, since, now)
	})
}

func (a *Worker) digestAD(ctx context.Context, m *service.Mailer, adID int64, since, now time.Time) error {
	sys := a.DB.System()
	scope, err := a.DB.ForAD(ctx, adID, nil)
	if err != nil {
		return err
	}
	camp, err := sys.EnsureCampaign(ctx, adID, CampaignExercice(now))
	if err != nil {
		return err
	}
	wc, err := camp.Workflow()
	if err != nil {
		return err
	}
	v, err := a.digestView(ctx, scope, camp.ID, wc, since, now)
	if err != nil || len(v.Arrived)+len(v.ToReview)+len(v.Late) == 0 {
		return err
	}
	staff, err := scope.Staff(ctx)
	if err != nil {
		return err
	}
	s, err := m.Sender(ctx, adID)
	if err != nil {
		return err
	}
	day := now.In(workflow.Paris()).Format("2006-01-02")
	for _, u := range staff {
		if u.Disabled || u.Email == "" {
			continue
		}
		v.Name = u.Name
		out, err := m.Compose(s, mail.Digest, v)
		if err != nil {
			return err
		}
		out.Kind, out.Key, out.To = store.MailDigest, fmt.Sprintf("digest:%d:%s:%d", adID, day, u.ID), u.Email
		out.Detail = fmt.Sprintf("Synthèse : %d reçu(s), %d à examiner, %d en retard", len(v.Arrived), len(v.ToReview), len(v.Late))
		if _, err := sys.QueueMail(ctx, adID, nil, out); err != nil {
			return err
		}
	}
	return nil
}

// digestView gathers what the digest says for one AD.
func (a *Worker) digestView(ctx context.Context, scope *store.ADScope, campaignID int64, wc workflow.Campaign, since, now time.Time) (mail.DigestView, error) {
	v := mail.DigestView{Date: now, Exercice: wc.Exercice, Deadline: wc.Deadline}
	arrivals, err := scope.CampaignArrivals(ctx, campaignID, since)
	if err != nil {
		return v, err
	}
	for _, ar := range arrivals {
		what := workflow.ItemKey(ar.Item).Label() + " — " + ar.Name
		v.Arrived = append(v.Arrived, mail.DigestArrival{UAI: ar.CoopUAI, CoopName: ar.CoopName, What: what, At: ar.At})
	}
	statuses, err := a.DB.System().CampaignStatuses(ctx, campaignID)
	if err != nil {
		return v, err
	}
	coops, _, err := scope.Coops(ctx, store.CoopFilter{})
	if err != nil {
		return v, err
	}
	// A coop that never opened its dossier owes everything: as late as one
	// that is incomplete.
	owing := workflow.NewDossier(0, campaignID, true)
	for _, co := range coops {
		if co.Status != "active" {
			continue
		}
		switch workflow.DossierStatus(statuses[co.ID]) {
		case workflow.DossierTransmis:
			v.ToReview = append(v.ToReview, mail.DigestCoop{UAI: co.UAI, CoopName: co.Name})
		case workflow.DossierValide:
		default:
			if days := workflow.DaysLate(owing, wc, now); days > 0 {
				v.Late = append(v.Late, mail.DigestCoop{UAI: co.UAI, CoopName: co.Name, DaysLate: days})
			}
		}
	}
	return v, nil
}
