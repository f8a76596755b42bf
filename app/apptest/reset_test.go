package apptest

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"retkoop/app/store"
)

var resetLinkRE = regexp.MustCompile(`/reinitialiser/([A-Za-z0-9_-]+)`)

// resetMails returns the password reset mails of the AD, newest first.
func (w *world) resetMails(ad *store.AD) []store.Mail {
	w.t.Helper()
	scope, _ := w.db.ForAD(context.Background(), ad.ID, nil)
	list, _, err := scope.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailPasswordReset})
	if err != nil {
		w.t.Fatal(err)
	}
	return list
}

// requestReset asks for a reset link and returns the page's answer.
func (w *world) requestReset(id string) (int, string) {
	w.t.Helper()
	c := w.anon()
	res := c.post("/mot-de-passe-oublie", url.Values{"identifiant": {id}})
	doc := c.doc(res)
	return res.StatusCode, strings.Join(strings.Fields(doc.Find("#reset-sent").Text()), " ")
}

func TestPasswordResetEndToEnd(t *testing.T) {
	w := newWorld(t)
	anon := w.anon()
	if href, _ := anon.doc(anon.get("/connexion")).Find("#forgot-link").Attr("href"); href != "/mot-de-passe-oublie" {
		t.Fatalf("login page link = %q", href)
	}
	old := w.login("0310036W") // a session opened before the reset

	// The same answer for an unknown identifier and a real one.
	st1, unknown := w.requestReset("0310999X")
	st2, known := w.requestReset("0310036w")
	if st1 != http.StatusOK || st2 != http.StatusOK || unknown == "" ||
		strings.Replace(unknown, "0310999X", "ID", 1) != strings.Replace(known, "0310036w", "ID", 1) {
		t.Fatalf("answers differ:\n%d %q\n%d %q", st1, unknown, st2, known)
	}
	mails := w.resetMails(w.adA)
	if len(mails) != 1 || mails[0].To != "0310036w@ecole.example" || mails[0].CoopID == nil || *mails[0].CoopID != w.coopA.ID {
		t.Fatalf("reset mails = %+v", mails)
	}
	m := resetLinkRE.FindStringSubmatch(mails[0].Text)
	if m == nil || !strings.Contains(mails[0].Text, w.app.Cfg.BaseURL.String()+"/reinitialiser/") {
		t.Fatalf("no link in:\n%s", mails[0].Text)
	}
	link := "/reinitialiser/" + m[1]

	c := w.anon()
	page := c.get(link)
	if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("link: %d", page.StatusCode)
	}
	if got := c.doc(page).Find("#reset-login").Text(); got != "0310036W" {
		t.Fatalf("form shows login %q", got)
	}
	if res := c.post(link, url.Values{"nouveau": {"un-nouveau-secret"}, "confirmation": {"autre-chose-123"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("mismatched confirmation: %d", res.StatusCode)
	}
	if res := c.post(link, url.Values{"nouveau": {"court"}, "confirmation": {"court"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", res.StatusCode)
	}
	res := c.post(link, url.Values{"nouveau": {"un-nouveau-secret"}, "confirmation": {"un-nouveau-secret"}})
	if res.StatusCode != http.StatusOK || c.doc(res).Find("#reset-done").Length() != 1 {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	// The old session is over; the new password works.
	if res := old.get("/coop"); res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
		t.Fatalf("old session after the reset: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	w.pw["0310036W"] = "un-nouveau-secret"
	w.login("0310036W")
	// Single use.
	if res := c.get(link); res.StatusCode != http.StatusGone || c.doc(res).Find("#reset-invalid").Length() != 1 {
		t.Fatalf("used link: %d", res.StatusCode)
	}
	if res := c.post(link, url.Values{"nouveau": {"encore-un-autre-secret"}, "confirmation": {"encore-un-autre-secret"}}); res.StatusCode != http.StatusGone {
		t.Fatalf("used link posted: %d", res.StatusCode)
	}
	w.login("0310036W") // the password did not change

	// Expiry: a link is valid one hour.
	w.requestReset("staff@a.example")
	staffMails := w.resetMails(w.adA)
	if len(staffMails) != 2 || staffMails[0].To != "staff@a.example" || staffMails[0].CoopID != nil {
		t.Fatalf("staff reset mail = %+v", staffMails[0])
	}
	expired := "/reinitialiser/" + resetLinkRE.FindStringSubmatch(staffMails[0].Text)[1]
	if res := c.get(expired); res.StatusCode != http.StatusOK {
		t.Fatalf("fresh staff link: %d", res.StatusCode)
	}
	w.db.SetClock(func() time.Time { return time.Now().Add(61 * time.Minute) })
	defer w.db.SetClock(time.Now)
	if res := c.get(expired); res.StatusCode != http.StatusGone {
		t.Fatalf("expired link: %d", res.StatusCode)
	}
	if res := c.post(expired, url.Values{"nouveau": {"un-secret-tardif"}, "confirmation": {"un-secret-tardif"}}); res.StatusCode != http.StatusGone {
		t.Fatalf("expired link posted: %d", res.StatusCode)
	}
	if res := c.get("/reinitialiser/pas-un-jeton"); res.StatusCode != http.StatusGone {
		t.Fatalf("bogus link: %d", res.StatusCode)
	}
}

func TestPasswordResetMailIsNeverShownToStaff(t *testing.T) {
	w := newWorld(t)
	srv := w.withSMTP()
	w.requestReset("0310036W")
	mails := w.resetMails(w.adA)
	staff := w.login("staff@a.example")
	page := staff.doc(staff.get("/ad/courriels/" + itoa(mails[0].ID)))
	if page.Find("#mail-text").Length() != 0 || strings.Contains(page.Text(), "/reinitialiser/") {
		t.Fatal("staff can read a reset link in the outbox")
	}
	if _, err := w.app.Worker.DeliverOutbox(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d delivered", len(got))
	}
	text, h := textPart(t, got[0])
	if !resetLinkRE.MatchString(text) || h["Auto-Submitted"] != "auto-generated" {
		t.Fatalf("delivered reset mail:\n%s", text)
	}
	// Once sent, the link is no longer in the database.
	after := w.resetMails(w.adA)[0]
	if after.Status != store.MailSent || resetLinkRE.MatchString(after.Text) || after.HTML != "" {
		t.Fatalf("reset mail kept its link after sending: %+v", after)
	}
}

func TestPasswordResetIsThrottled(t *testing.T) {
	w := newWorld(t)
	for i := 0; i < 5; i++ {
		if st, _ := w.requestReset("0310036W"); st != http.StatusOK {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	if st, _ := w.requestReset("0310036W"); st != http.StatusTooManyRequests {
		t.Fatalf("6th request: %d", st)
	}
	if n := len(w.resetMails(w.adA)); n != 5 {
		t.Fatalf("%d reset mails queued, want 5", n)
	}
	// An unknown identifier is throttled the same way (no oracle).
	for i := 0; i < 5; i++ {
		w.requestReset("0319999Z")
	}
	if st, _ := w.requestReset("0319999Z"); st != http.StatusTooManyRequests {
		t.Fatalf("unknown identifier not throttled: %d", st)
	}
	if res := w.anon().post("/mot-de-passe-oublie", url.Values{"identifiant": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty identifier: %d", res.StatusCode)
	}
}
