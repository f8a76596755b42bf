package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The reminder scheduler. For each AD (through the System handle) it takes
// the AD's lease, evaluates the campaign being collected, and queues, for
// every coop whose dossier still owes something, the reminder of the
// latest rule whose date has come — once per (coop, campaign, rule): the
// reminders table and the outbox key are written in one transaction, so a
// rerun, a restart or a second scheduler finds it done. The rules
// themselves (dates, quiet hours, Sundays, summer break) are in workflow.
const (
	remindLeaseTTL = 5 * time.Minute
	remindInterval = 5 * time.Minute
)

// reminderLine is the contract's JSON line of `remind --once`, one per
// reminder queued.
type ReminderLine struct {
	To      string   `json:"to"`
	UAI     string   `json:"uai"`
	Rule    string   `json:"regle"`
	Subject string   `json:"sujet"`
	Missing []string `json:"manquants"`
}

// campaignExercice is the exercice whose dossiers are collected at now:
// the last one that has ended (in September 2026, 2025-2026).
func CampaignExercice(now time.Time) string {
	return ledger.ExerciceFor(now.In(workflow.Paris())).Prev().String()
}

// RemindAll runs one scheduler pass over every AD at now and reports each
// reminder queued to emit. An AD that fails does not stop the others.
func (a *Worker) RemindAll(ctx context.Context, now time.Time, emit func(ReminderLine)) error {
	if !workflow.SendingAllowed(now) {
		return nil // quiet hours, Sunday, summer break: no AD has anything to do
	}
	return a.eachAD(ctx, "remind", func(m *service.Mailer, adID int64) error {
		return a.remindAD(ctx, m, adID, now, emit)
	})
}

// eachAD runs job for every AD with one mailer; an AD that fails does not
// stop the others, and its error names the job and the AD.
func (a *Worker) eachAD(ctx context.Context, job string, fn func(m *service.Mailer, adID int64) error) error {
	ads, err := a.DB.System().ADs(ctx)
	if err != nil {
		return err
	}
	m, err := a.NewMailer()
	if err != nil {
		return err
	}
	var errs []error
	for _, ad := range ads {
		if err := fn(m, ad.ID); err != nil {
			errs = append(errs, fmt.Errorf("%s ad %s: %w", job, ad.Code, err))
		}
	}
	return errors.Join(errs...)
}

// remindAD runs the pass for one AD under its lease; when another
// scheduler holds the lease this one leaves the AD to it.
func (a *Worker) remindAD(ctx context.Context, m *service.Mailer, adID int64, now time.Time, emit func(ReminderLine)) error {
	sys := a.DB.System()
	lease, holder := fmt.Sprintf("remind:%d", adID), leaseHolder()
	ok, err := sys.TryLease(ctx, lease, holder, remindLeaseTTL)
	if err != nil || !ok {
		return err
	}
	defer func() { _ = sys.ReleaseLease(context.WithoutCancel(ctx), lease, holder) }()
	camp, err := sys.EnsureCampaign(ctx, adID, CampaignExercice(now))
	if err != nil {
		return err
	}
	wc, err := camp.Workflow()
	if err != nil {
		return err
	}
	// Which rule would a dossier that owes everything get now? Every
	// dossier that owes something gets the same one, or none.
	rule, ok := workflow.DueReminder(workflow.NewDossier(0, camp.ID, true), wc, nil, now)
	if !ok {
		return nil
	}
	statuses, err := sys.CampaignStatuses(ctx, camp.ID)
	if err != nil {
		return err
	}
	sent, err := sys.SentRules(ctx, camp.ID)
	if err != nil {
		return err
	}
	scope, err := a.DB.ForAD(ctx, adID, nil)
	if err != nil {
		return err
	}
	coops, _, err := scope.Coops(ctx, store.CoopFilter{})
	if err != nil {
		return err
	}
	for i := range coops {
		co := &coops[i]
		switch st := workflow.DossierStatus(statuses[co.ID]); {
		case co.Status != "active", st == workflow.DossierTransmis, st == workflow.DossierValide, sent[co.ID][rule.Name()]:
			continue
		}
		if ok, err := sys.RenewLease(ctx, lease, holder, remindLeaseTTL); err != nil || !ok {
			return err // the lease was lost: the other scheduler goes on
		}
		line, queued, err := a.remindCoop(ctx, m, co, camp.Exercice, wc, now)
		if err != nil {
			return fmt.Errorf("coop %s: %w", co.UAI, err)
		}
		if queued && emit != nil {
			emit(line)
		}
	}
	return nil
}

// remindCoop decides and queues one coop's reminder in one transaction:
// it reads the dossier (opening it when the coop never did), the rules
// already sent, asks workflow.DueReminder, and queues the mail with its
// reminders row. A coop without the campaign's exercice, or without an
// e-mail address, gets nothing.
func (a *Worker) remindCoop(ctx context.Context, m *service.Mailer, co *store.Coop, exercice string, wc workflow.Campaign, now time.Time) (ReminderLine, bool, error) {
	if co.MandataireEmail == "" {
		a.Log.Warn("reminder not queued: no e-mail address", "coop_id", co.ID, "uai", co.UAI)
		return ReminderLine{}, false, nil
	}
	cs, err := a.DB.ForCoop(ctx, co.ID, nil)
	if err != nil {
		return ReminderLine{}, false, err
	}
	var line ReminderLine
	queued := false
	err = cs.Tx(ctx, func(tx *store.CoopScope) error {
		_, d, err := tx.Dossier(ctx, exercice)
		if errors.Is(err, fault.ErrNotFound) {
			return nil // the coop has no such exercice: nothing is asked of it
		}
		if err != nil {
			return err
		}
		sent, err := tx.SentRules(ctx, wc.ID)
		if err != nil {
			return err
		}
		rule, ok := workflow.DueReminder(d, wc, sent, now)
		if !ok {
			return nil
		}
		out, content, err := m.ReminderMail(ctx, co, wc, d, workflow.Late(d, wc, now))
		if err != nil {
			return err
		}
		out.Detail = service.ReminderDetail(rule.Name(), content)
		missing := make([]string, 0, len(content.Missing))
		for _, k := range content.MissingKeys() {
			missing = append(missing, string(k))
		}
		if queued, err = tx.QueueReminder(ctx, wc.ID, rule.Name(), missing, out); err != nil || !queued {
			return err
		}
		line = ReminderLine{To: out.To, UAI: co.UAI, Rule: rule.Name(), Subject: out.Subject, Missing: missing}
		return nil
	})
	return line, queued, err
}

// logReminder logs a reminder queued by the scheduler inside serve.
func (a *Worker) LogReminder(l ReminderLine) {
	a.Log.Info("reminder queued", "uai", l.UAI, "rule", l.Rule, "to", l.To)
}

// remindLoop returns the scheduler's loop (reminders, then the staff
// digest, every few minutes) until its context ends; emit gets every
// reminder queued.
func (a *Worker) RemindLoop(emit func(ReminderLine)) func(context.Context) {
	return func(ctx context.Context) { a.runRemindLoop(ctx, emit) }
}

func (a *Worker) runRemindLoop(ctx context.Context, emit func(ReminderLine)) {
	t := time.NewTicker(remindInterval)
	defer t.Stop()
	for {
		now := a.Now()
		if err := a.RemindAll(ctx, now, emit); err != nil && ctx.Err() == nil {
			a.Log.Error("reminders", "error", err)
		}
		if err := a.DigestAll(ctx, now); err != nil && ctx.Err() == nil {
			a.Log.Error("staff digest", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ReminderWorkers are the loops of the scheduler and the sender (when SMTP
// is configured), for `remind` and for `serve` without --web-only.
func (a *Worker) ReminderWorkers(emit func(ReminderLine)) []func(context.Context) {
	ws := []func(context.Context){a.RemindLoop(emit)}
	if a.SMTPConfigured() {
		ws = append(ws, a.SendLoop)
	}
	return ws
}
