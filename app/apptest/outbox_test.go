package apptest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"retkoop/app/mail"
	"retkoop/app/mail/mailtest"
	"retkoop/app/store"
	"retkoop/app/worker"
)

// withSMTP points the world's app at a test SMTP server.
func (w *world) withSMTP() *mailtest.Server {
	w.t.Helper()
	srv := mailtest.Start(w.t)
	w.app.Cfg.SMTPURL = srv.URL()
	return srv
}

// queueTo queues a mail about a coop and returns its key.
func (w *world) queueTo(co *store.Coop, key, to string) string {
	w.t.Helper()
	cs, err := w.db.ForCoop(context.Background(), co.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	ok, err := cs.QueueMail(context.Background(), store.OutboxMail{Kind: store.MailReminder, Key: key, To: to,
		Subject: "Rappel " + key, Text: "Il manque le quitus.", HTML: "<p>Il manque le quitus.</p>"})
	if err != nil || !ok {
		w.t.Fatalf("queue %s: %v, %v", key, ok, err)
	}
	return key
}

func (w *world) mailByKey(key string) *store.Mail {
	w.t.Helper()
	m, err := w.db.System().MailByKey(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func TestOutboxTemporaryRefusalIsDeliveredLaterOnce(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	ctx := context.Background()
	key := w.queueTo(w.coopA, "k-temp", "0310036w@ecole.example")
	srv.Answer(mailtest.TempFail())
	now := time.Now()
	d, err := w.app.Worker.DeliverOutbox(ctx, now)
	if err != nil || d.Retried != 1 || d.Sent != 0 {
		t.Fatalf("first pass = %+v, %v", d, err)
	}
	m := w.mailByKey(key)
	if m.Status != store.MailQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "451") || !m.NextAttemptAt.After(now) {
		t.Fatalf("after 451: %+v", m)
	}
	// Before the backoff has passed, nothing is tried.
	if d, _ := w.app.Worker.DeliverOutbox(ctx, now.Add(30*time.Second)); d != (worker.Delivery{}) || srv.Attempts() != 1 {
		t.Fatalf("pass during the backoff = %+v (%d attempts)", d, srv.Attempts())
	}
	c := w.login("staff@a.example")
	if got := c.doc(c.get("/ad/courriels")).Find("#mail-" + itoa(m.ID) + " .mail-status").Text(); !strings.Contains(got, "1 essai(s)") || !strings.Contains(got, "451") {
		t.Errorf("outbox shows %q for a deferred mail", got)
	}
	d, err = w.app.Worker.DeliverOutbox(ctx, now.Add(2*time.Minute))
	if err != nil || d.Sent != 1 {
		t.Fatalf("second pass = %+v, %v", d, err)
	}
	m = w.mailByKey(key)
	if m.Status != store.MailSent || m.Attempts != 2 || m.SentAt.IsZero() || m.MessageID != "<"+mail.MessageID(key, w.app.Cfg.MailFrom)+">" {
		t.Fatalf("after delivery: %+v", m)
	}
	// Nothing lost, nothing twice.
	if d, _ := w.app.Worker.DeliverOutbox(ctx, now.Add(time.Hour)); d != (worker.Delivery{}) {
		t.Fatalf("third pass = %+v", d)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "0310036w@ecole.example" {
		t.Fatalf("delivered = %+v", got)
	}
	row := c.doc(c.get("/ad/courriels")).Find("#mail-" + itoa(m.ID))
	if !row.HasClass("mail-envoye") || !strings.HasPrefix(row.Find(".mail-status").Text(), "Envoyé le ") {
		t.Errorf("outbox row after delivery: %q", row.Text())
	}
}

func TestOutboxPermanentRefusalIsRecordedAndShown(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	ctx := context.Background()
	srv.RefuseRecipient("inconnu@ecole.example", mailtest.PermFail())
	bad := w.queueTo(w.coopA, "k-bad", "inconnu@ecole.example")
	good := w.queueTo(w.coopA2, "k-good", "0310100r@ecole.example")
	d, err := w.app.Worker.DeliverOutbox(ctx, time.Now())
	if err != nil || d.Failed != 1 || d.Sent != 1 {
		t.Fatalf("pass = %+v, %v", d, err)
	}
	m := w.mailByKey(bad)
	if m.Status != store.MailFailed || !strings.Contains(m.LastError, "550") || m.Attempts != 1 {
		t.Fatalf("refused mail = %+v", m)
	}
	if w.mailByKey(good).Status != store.MailSent {
		t.Fatal("the other mail of the pass was not sent")
	}
	// Never tried again.
	if d, _ := w.app.Worker.DeliverOutbox(ctx, time.Now().Add(24*time.Hour)); d != (worker.Delivery{}) {
		t.Fatalf("failed mail tried again: %+v", d)
	}
	c := w.login("staff@a.example")
	doc := c.doc(c.get("/ad/courriels?statut=failed"))
	rows := doc.Find("#outbox tbody tr")
	if rows.Length() != 1 || !rows.HasClass("mail-echec") || !strings.Contains(rows.Find(".mail-status").Text(), "550") {
		t.Fatalf("failed filter shows %d rows: %q", rows.Length(), rows.Text())
	}
	if doc.Find("#outbox-counts").Text() == "" || !strings.Contains(doc.Find("#outbox-counts").Text(), "1 en échec") {
		t.Errorf("counts = %q", doc.Find("#outbox-counts").Text())
	}
	one := c.doc(c.get("/ad/courriels/" + itoa(m.ID)))
	if got := one.Find("#mail-status").Text(); !strings.Contains(got, "Échec définitif") || !strings.Contains(got, "550") {
		t.Errorf("mail page status = %q", got)
	}
	hist := c.doc(c.get("/ad/coops/" + itoa(w.coopA.ID) + "/courriels"))
	if !strings.Contains(hist.Find("#mail-"+itoa(m.ID)).Text(), "550") {
		t.Errorf("coop history does not show the refusal: %q", hist.Find("#coop-mails").Text())
	}
}

func TestOutboxRelayDownKeepsEverything(t *testing.T) {
	w := newWorld(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	w.app.Cfg.SMTPURL = "smtp://" + addr + "?tls=none"
	a := w.queueTo(w.coopA, "k-1", "0310036w@ecole.example")
	b := w.queueTo(w.coopB, "k-2", "0700001l@ecole.example")
	d, err := w.app.Worker.DeliverOutbox(context.Background(), time.Now())
	if err != nil || d.Retried != 2 {
		t.Fatalf("pass = %+v, %v", d, err)
	}
	for _, k := range []string{a, b} {
		if m := w.mailByKey(k); m.Status != store.MailQueued || m.Attempts != 1 || m.LastError == "" {
			t.Errorf("%s = %+v", k, m)
		}
	}
}

func TestOutboxGivesUpAfterDays(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	w.db.SetClock(func() time.Time { return time.Now().Add(-mail.GiveUpAfter - time.Hour) })
	key := w.queueTo(w.coopA, "k-old", "0310036w@ecole.example")
	w.db.SetClock(time.Now)
	srv.Answer(mailtest.TempFail())
	if d, _ := w.app.Worker.DeliverOutbox(context.Background(), time.Now()); d.Failed != 1 {
		t.Fatalf("pass = %+v", d)
	}
	if m := w.mailByKey(key); m.Status != store.MailFailed || !strings.Contains(m.LastError, "abandon") {
		t.Fatalf("old mail = %+v", m)
	}
}

func TestOutboxRateLimitPerAD(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	ctx := context.Background()
	sys := w.db.System()
	// AD 31 has sent RateMax-1 mails in the last minutes.
	now := time.Now()
	for i := 0; i < mail.RateMax-1; i++ {
		k := w.queueTo(w.coopA, fmt.Sprintf("old-%d", i), "0310036w@ecole.example")
		if err := sys.MarkSent(ctx, w.mailByKey(k).ID, "<x>", now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	keys := []string{w.queueTo(w.coopA, "new-1", "0310036w@ecole.example"), w.queueTo(w.coopA, "new-2", "0310036w@ecole.example")}
	other := w.queueTo(w.coopB, "new-b", "0700001l@ecole.example")
	now = time.Now()
	d, err := w.app.Worker.DeliverOutbox(ctx, now)
	if err != nil || d.Sent != 2 || d.Deferred != 1 {
		t.Fatalf("pass = %+v, %v", d, err)
	}
	if w.mailByKey(keys[0]).Status != store.MailSent || w.mailByKey(keys[1]).Status != store.MailQueued || w.mailByKey(other).Status != store.MailSent {
		t.Fatal("the rate limit did not hold AD 31's second mail only")
	}
	// Once the window has moved on, it goes.
	if d, _ := w.app.Worker.DeliverOutbox(ctx, now.Add(mail.RateWindow)); d.Sent != 1 {
		t.Fatalf("pass after the window = %+v", d)
	}
	if n := len(srv.Messages()); n != 3 {
		t.Fatalf("%d delivered", n)
	}
}

func TestOutboxSenderLease(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	ctx := context.Background()
	w.queueTo(w.coopA, "k-lease", "0310036w@ecole.example")
	if ok, _ := w.db.System().TryLease(ctx, worker.SenderLease, "other-process", time.Minute); !ok {
		t.Fatal("lease")
	}
	if d, _ := w.app.Worker.DeliverOutbox(ctx, time.Now()); d != (worker.Delivery{}) || srv.Attempts() != 0 {
		t.Fatalf("sent while another sender holds the lease: %+v", d)
	}
	_ = w.db.System().ReleaseLease(ctx, worker.SenderLease, "other-process")
	if d, _ := w.app.Worker.DeliverOutbox(ctx, time.Now()); d.Sent != 1 {
		t.Fatalf("pass after release = %+v", d)
	}
}

func TestOutboxPagesAreScopedAndHTMXAware(t *testing.T) {
	w := newWorld(t)
	w.queueTo(w.coopA, "a-1", "0310036w@ecole.example")
	victim := w.queueTo(w.coopB, "b-1", "0700001l@ecole.example")
	c := w.login("staff@a.example")
	full := c.get("/ad/courriels")
	if full.StatusCode != http.StatusOK || full.Header.Get("Vary") != "HX-Request" {
		t.Fatalf("outbox: %d vary %q", full.StatusCode, full.Header.Get("Vary"))
	}
	doc := c.doc(full)
	if doc.Find("html").Length() != 1 || doc.Find("#outbox tbody tr").Length() != 1 {
		t.Fatalf("full page: %d rows", doc.Find("#outbox tbody tr").Length())
	}
	frag := body(t, c.get("/ad/courriels?q=0310036W", "HX-Request", "true"))
	if strings.Contains(frag, "<html") || !strings.Contains(frag, `id="outbox"`) {
		t.Fatalf("fragment:\n%.300s", frag)
	}
	if res := c.get("/ad/courriels/" + itoa(w.mailByKey(victim).ID)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another AD's mail: %d", res.StatusCode)
	}
	if res := c.get("/ad/coops/" + itoa(w.coopB.ID) + "/courriels"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another AD's coop mails: %d", res.StatusCode)
	}
	if res := w.login("0310036W").get("/ad/courriels"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("mandataire on the outbox: %d", res.StatusCode)
	}
}

// victimMail queues a mail to AD B's coop (isolation test).
func (w *world) victimMail() int64 {
	return w.mailByKey(w.queueTo(w.coopB, "victim-mail", "0700001l@ecole.example")).ID
}
