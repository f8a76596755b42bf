package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"retkoop/app/worker"
	"retkoop/workflow"
)

const remindUsage = "remind [--once] [--at AAAA-MM-JJ]"

// cmdRemind is `retkoop remind`: the reminder scheduler and the outbox
// sender. With --once it makes one pass — queue the reminders due (as if
// it were 10:00 Paris time on --at's date), deliver the outbox — and
// exits; without, it loops until SIGINT/SIGTERM. Every reminder queued is
// printed as one JSON line on stdout; logs go to stderr.
func cmdRemind(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "remind", remindUsage)
	once := fs.Bool("once", false, "un seul passage : met en file les relances dues, envoie la file d'envoi, puis s'arrête")
	at := fs.String("at", "", "avec --once : évalue les règles comme s'il était 10:00 (heure de Paris) ce jour-là (AAAA-MM-JJ)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("argument inattendu : %s", fs.Arg(0))
	}
	if *at != "" && !*once {
		return errors.New("--at ne s'utilise qu'avec --once")
	}
	now := e.Now()
	if *at != "" {
		day, err := time.ParseInLocation("2006-01-02", *at, workflow.Paris())
		if err != nil {
			return fmt.Errorf("--at %q : date attendue au format AAAA-MM-JJ", *at)
		}
		now = day.Add(10 * time.Hour)
	}
	// Reply tokens are signed and checked with the secret.
	rt, err := openSigning(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	a := worker.New(rt.svc)
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	emit := func(l worker.ReminderLine) { _ = enc.Encode(l) }
	if !*once {
		if !a.SMTPConfigured() {
			rt.log.Warn("RETKOOP_SMTP_URL is not set: reminders are queued in the outbox, nothing is sent")
		}
		var wg sync.WaitGroup
		for _, w := range a.ReminderWorkers(emit) {
			wg.Add(1)
			go func() { defer wg.Done(); w(ctx) }()
		}
		wg.Wait()
		return nil
	}
	remindErr := a.RemindAll(ctx, now, emit)
	d, sendErr := a.DeliverOutbox(ctx, e.Now())
	if a.SMTPConfigured() {
		rt.log.Info("outbox delivery", "sent", d.Sent, "failed", d.Failed, "retried", d.Retried, "deferred", d.Deferred)
	} else {
		rt.log.Info("RETKOOP_SMTP_URL is not set: the outbox is not delivered")
	}
	return errors.Join(remindErr, sendErr)
}
