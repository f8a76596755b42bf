package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"retkoop/app/mail"
	"retkoop/app/store"
)

// Outbox delivery: every mail is in the outbox before anyone tries to send
// it; a pass takes the sender lease (two processes never send the same
// row), dials the relay once, sends the due mails one by one and marks each
// after the SMTP answer. A crash between the answer and the mark sends that
// one mail again at the next pass, with the same Message-ID.
const (
	SenderLease    = "outbox:sender"
	senderLeaseTTL = 2 * time.Minute
	sendBatch      = 100
	sendInterval   = 20 * time.Second
)

// delivery counts what a pass did.
type Delivery struct {
	Sent, Retried, Failed, Deferred int
}

// leaseHolder names this process in the leases table.
func leaseHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// pass is one delivery pass: its SMTP session and the rate budget left to
// each AD.
type pass struct {
	a      *Worker
	now    time.Time
	sender *mail.Sender
	sess   *mail.Session
	budget map[int64]int
	d      Delivery
	// dialErr is set when the relay could not be reached.
	dialErr error
}

// deliverOutbox runs one delivery pass at now. Without RETKOOP_SMTP_URL it
// does nothing: the outbox fills and the staff see it.
func (a *Worker) DeliverOutbox(ctx context.Context, now time.Time) (Delivery, error) {
	var d Delivery
	if !a.SMTPConfigured() {
		return d, nil
	}
	relay, err := mail.ParseRelay(a.Cfg.SMTPURL)
	if err != nil {
		return d, err
	}
	sys := a.DB.System()
	holder := leaseHolder()
	ok, err := sys.TryLease(ctx, SenderLease, holder, senderLeaseTTL)
	if err != nil || !ok {
		return d, err
	}
	defer func() { _ = sys.ReleaseLease(context.WithoutCancel(ctx), SenderLease, holder) }()
	due, err := sys.DueMails(ctx, now, sendBatch)
	if err != nil || len(due) == 0 {
		return d, err
	}
	p := &pass{a: a, now: now, sender: mail.NewSender(relay), budget: map[int64]int{}}
	defer p.close()
	for i := range due {
		if ok, err := sys.RenewLease(ctx, SenderLease, holder, senderLeaseTTL); err != nil || !ok {
			return p.d, err // another sender took over: leave the rest to it
		}
		if err := p.deliver(ctx, &due[i]); err != nil {
			return p.d, err
		}
		if p.dialErr != nil {
			// The relay cannot be reached: every due mail waits, and shows why.
			for j := i + 1; j < len(due); j++ {
				if err := p.fail(ctx, &due[j], p.dialErr); err != nil {
					return p.d, err
				}
			}
			return p.d, nil
		}
	}
	return p.d, nil
}

func (p *pass) close() {
	if p.sess != nil {
		_ = p.sess.Close()
		p.sess = nil
	}
}

// deliver sends one mail and marks it: sent, retried later with backoff
// (transient refusal, connection trouble), or failed (5xx, or transient
// refusals for longer than mail.GiveUpAfter).
func (p *pass) deliver(ctx context.Context, m *store.Mail) error {
	sys := p.a.DB.System()
	left, ok := p.budget[m.ADID]
	if !ok {
		n, err := sys.SentSince(ctx, m.ADID, p.now.Add(-mail.RateWindow))
		if err != nil {
			return err
		}
		left = mail.Remaining(n)
	}
	if left <= 0 {
		p.budget[m.ADID] = 0
		p.d.Deferred++ // stays queued; the window moves on
		return nil
	}
	from := m.From
	if from == "" {
		from = p.a.Cfg.MailFrom
	}
	env := mail.Envelope{MessageID: mail.MessageID(m.IdemKey, from), Date: m.CreatedAt, From: from, To: m.To,
		ReplyTo: m.ReplyTo, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	var err error
	if p.sess == nil {
		if p.sess, err = p.sender.Dial(ctx); err != nil {
			p.dialErr = err
			return p.fail(ctx, m, err)
		}
	}
	if err = p.sess.Send(env); err != nil {
		return p.fail(ctx, m, err)
	}
	p.budget[m.ADID] = left - 1
	p.d.Sent++
	p.a.Log.Info("mail sent", "mail_id", m.ID, "ad_id", m.ADID, "kind", m.Kind, "attempt", m.Attempts+1, "message_id", env.MessageID)
	return sys.MarkSent(ctx, m.ID, "<"+env.MessageID+">", p.now)
}

// fail marks a mail that did not go out: failed for a permanent refusal,
// else retried later with backoff.
func (p *pass) fail(ctx context.Context, m *store.Mail, err error) error {
	sys := p.a.DB.System()
	log := p.a.Log.With("mail_id", m.ID, "ad_id", m.ADID, "kind", m.Kind, "attempt", m.Attempts+1)
	if mail.Permanent(err) {
		p.d.Failed++
		log.Warn("mail refused", "error", err)
		return sys.MarkFailed(ctx, m.ID, err.Error())
	}
	// Transient: the connection may be unusable now; dial again for the
	// next mail.
	p.close()
	if p.now.Sub(m.CreatedAt) > mail.GiveUpAfter {
		p.d.Failed++
		log.Warn("mail given up", "error", err)
		return sys.MarkFailed(ctx, m.ID, fmt.Sprintf("abandon après %d jours d'échecs temporaires : %v", int(mail.GiveUpAfter.Hours()/24), err))
	}
	p.d.Retried++
	log.Info("mail deferred", "error", err)
	return sys.MarkRetry(ctx, m.ID, err.Error(), p.now.Add(mail.Backoff(m.Attempts+1)))
}

// sendLoop delivers the outbox until ctx ends.
func (a *Worker) SendLoop(ctx context.Context) {
	t := time.NewTicker(sendInterval)
	defer t.Stop()
	for {
		if d, err := a.DeliverOutbox(ctx, a.Now()); err != nil && ctx.Err() == nil {
			a.Log.Error("outbox delivery", "error", err)
		} else if d.Sent+d.Failed+d.Retried > 0 {
			a.Log.Info("outbox delivery", "sent", d.Sent, "failed", d.Failed, "retried", d.Retried, "deferred", d.Deferred)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
