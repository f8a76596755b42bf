package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"retkoop/app/store"
	"retkoop/app/worker"
	"retkoop/workflow"
)

func paris10(day string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", workflow.Paris())
	if err != nil {
		panic(err)
	}
	return t
}

func TestReminderRulesAreEditedByAdmins(t *testing.T) {
	w := newWorld(t)
	admin := w.login("admin@a.example")
	doc := admin.doc(admin.get("/ad/relances?exercice=2025-2026"))
	if got := doc.Find("#campaign-rules").Text(); got != "J-21, J-7, J-1, J+1, +14" {
		t.Fatalf("default rules = %q", got)
	}
	if doc.Find("#schedule tbody tr").Length() < 5 || doc.Find("#rules-form").Length() != 1 {
		t.Fatal("no schedule preview or no form for the admin")
	}
	res := admin.post("/ad/relances", url.Values{"exercice": {"2025-2026"}, "echeance": {"2026-10-15"}, "regles": {"j-10 ; J+2, +7"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ad/relances?ok=1&exercice=2025-2026" {
		t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	doc = admin.doc(admin.get("/ad/relances?exercice=2025-2026"))
	if got := doc.Find("#campaign-rules").Text(); got != "J-10, J+2, +7" {
		t.Fatalf("rules = %q", got)
	}
	if got := doc.Find("#campaign-deadline").Text(); got != "15/10/2026" {
		t.Fatalf("deadline = %q", got)
	}
	first := doc.Find("#schedule tbody tr").First().Text()
	if !strings.Contains(first, "J-10") || !strings.Contains(first, "05/10/2026 à 10:00") {
		t.Fatalf("first date = %q", first)
	}
	res = admin.post("/ad/relances", url.Values{"exercice": {"2025-2026"}, "echeance": {"2026-10-15"}, "regles": {"J-10, toto"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(admin.doc(res).Find("#form-errors").Text(), "toto") {
		t.Fatalf("invalid rules: %d", res.StatusCode)
	}
	staff := w.login("staff@a.example")
	if res := staff.post("/ad/relances", url.Values{"exercice": {"2025-2026"}, "echeance": {"2026-11-15"}, "regles": {"J-1"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("staff edited the rules: %d", res.StatusCode)
	}
	if staff.doc(staff.get("/ad/relances?exercice=2025-2026")).Find("#rules-form").Length() != 0 {
		t.Fatal("staff get the admin's form")
	}
	// The scheduler follows the new rules: J-10 is 5 October.
	w.owe(w.coopA2)
	var got []worker.ReminderLine
	if err := w.app.Worker.RemindAll(context.Background(), paris10("2026-10-05"), func(l worker.ReminderLine) { got = append(got, l) }); err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, l := range got {
		rules[l.UAI] = l.Rule
	}
	if len(got) != 2 || rules["0310036W"] != "J-10" || rules["0700001L"] != "J+1" {
		t.Fatalf("reminders on 5 October = %+v (AD 31 at J-10, AD 70 on its own calendar)", got)
	}
	// And the history lists them.
	hist := admin.doc(admin.get("/ad/relances?exercice=2025-2026")).Find("#reminder-history tbody tr")
	if hist.Length() != 1 || !strings.Contains(hist.Text(), "0310036W") || !strings.Contains(hist.Text(), "J-10") {
		t.Fatalf("history = %q", hist.Text())
	}
}

func TestReminderPreviewAndManualSend(t *testing.T) {
	w := newWorld(t)
	w.owe(w.coopA, workflow.Quitus, workflow.Releve)
	w.owe(w.coopA2)
	staff := w.login("staff@a.example")
	base := "/ad/coops/" + itoa(w.coopA.ID) + "/relance"
	doc := staff.doc(staff.get(base + "?exercice=2025-2026"))
	if got := doc.Find("#preview-missing").Text(); got != "quitus, releve" {
		t.Fatalf("preview missing = %q", got)
	}
	text := doc.Find("#preview-text").Text()
	if !strings.Contains(text, workflow.Quitus.Label()) || strings.Contains(text, workflow.CRA.Label()) {
		t.Fatalf("preview text:\n%s", text)
	}
	if got := doc.Find("#preview-to").Text(); got != "0310036w@ecole.example" {
		t.Fatalf("preview to = %q", got)
	}
	cle, _ := doc.Find(`#send-reminder input[name="cle"]`).Attr("value")
	form := url.Values{"cle": {cle}, "exercice": {"2025-2026"}}
	for i := 0; i < 2; i++ { // a double click
		res := staff.post(base, form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ad/coops/"+itoa(w.coopA.ID)+"/courriels?envoye=1" {
			t.Fatalf("send %d: %d %s", i, res.StatusCode, res.Header.Get("Location"))
		}
	}
	hist := staff.doc(staff.get("/ad/coops/" + itoa(w.coopA.ID) + "/courriels?envoye=1"))
	if hist.Find("#reminder-queued").Length() != 1 || hist.Find("#coop-mails tbody tr").Length() != 1 {
		t.Fatalf("after a double click: %d mails", hist.Find("#coop-mails tbody tr").Length())
	}
	if !strings.Contains(hist.Find("#coop-mails").Text(), "Relance manuelle") {
		t.Fatalf("history row: %q", hist.Find("#coop-mails").Text())
	}
	// The same reminder again needs a new form.
	form.Set("cle", strings.Repeat("ab", 12))
	staff.post(base, form)
	if n := staff.doc(staff.get("/ad/coops/" + itoa(w.coopA.ID) + "/courriels")).Find("#coop-mails tbody tr").Length(); n != 2 {
		t.Fatalf("%d mails after a second send", n)
	}
	if res := staff.post(base, url.Values{"cle": {"forged"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("forged key: %d", res.StatusCode)
	}
	// A complete coop: nothing to send.
	complete := "/ad/coops/" + itoa(w.coopA2.ID) + "/relance"
	if staff.doc(staff.get(complete+"?exercice=2025-2026")).Find("#no-reminder").Length() != 1 {
		t.Fatal("preview offers a reminder to a complete coop")
	}
	if res := staff.post(complete, url.Values{"cle": {cle}, "exercice": {"2025-2026"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("manual reminder to a complete coop: %d", res.StatusCode)
	}
}

func TestMailIdentitySetsFromSignatureAndReplyTo(t *testing.T) {
	w := newWorld(t)
	w.owe(w.coopA, workflow.Quitus)
	admin := w.login("admin@a.example")
	res := admin.post("/ad/relances/identite", url.Values{"expediteur": {"OCCE 31 <contact@occe31.example>"},
		"boite": {"Documents@OCCE31.example"}, "signature": {"Marie Dupont, trésorière"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save identity: %d", res.StatusCode)
	}
	doc := admin.doc(admin.get("/ad/coops/" + itoa(w.coopA.ID) + "/relance?exercice=2025-2026"))
	reply := doc.Find("#preview-reply-to").Text()
	if !strings.HasPrefix(reply, "documents+") || !strings.HasSuffix(reply, "@occe31.example") {
		t.Fatalf("reply-to = %q", reply)
	}
	if !strings.Contains(doc.Find("#preview-text").Text(), "Marie Dupont, trésorière") {
		t.Fatal("signature missing from the reminder")
	}
	if res := admin.post("/ad/relances/identite", url.Values{"boite": {"Documents <documents@occe31.example>"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("mailbox with a name accepted: %d", res.StatusCode)
	}
	if res := w.login("staff@a.example").post("/ad/relances/identite", url.Values{"boite": {"x@y.example"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("staff changed the identity: %d", res.StatusCode)
	}
	// Without a mailbox (AD 70 is not the default AD), Reply-To is the AD's address.
	b := w.login("staff@b.example")
	if got := b.doc(b.get("/ad/coops/" + itoa(w.coopB.ID) + "/relance?exercice=2025-2026")).Find("#preview-reply-to").Text(); got != "no-reply@localhost" {
		t.Fatalf("AD 70 reply-to = %q", got)
	}
}

func TestCorrectionRequestQueuesTheMandatairesMail(t *testing.T) {
	w := newWorld(t)
	w.owe(w.coopA, workflow.Releve)
	staff := w.login("staff@a.example")
	res := staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/dossier/2025-2026/elements/quitus/corriger", url.Values{"motif": {"La signature du parent manque."}})
	if res.StatusCode >= 400 {
		t.Fatalf("request correction: %d", res.StatusCode)
	}
	scope, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	mails, _, _ := scope.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailCorrection})
	if len(mails) != 1 {
		t.Fatalf("%d correction mails", len(mails))
	}
	m := mails[0]
	if m.To != "0310036w@ecole.example" || !strings.Contains(m.Text, "La signature du parent manque.") ||
		!strings.Contains(m.Text, workflow.Quitus.Label()) || !strings.Contains(m.Subject, "Correction demandée") {
		t.Fatalf("correction mail = %+v", m)
	}
	// The next reminder lists the correction with its reason.
	var got []worker.ReminderLine
	_ = w.app.Worker.RemindAll(context.Background(), paris10("2026-09-23"), func(l worker.ReminderLine) { got = append(got, l) })
	reminder, _ := w.db.System().MailByKey(context.Background(), store.ReminderKey(w.coopA.ID, campaignID(t, w), "J-7"))
	if reminder == nil || !strings.Contains(reminder.Text, "Corrections demandées") || !strings.Contains(reminder.Text, "La signature du parent manque.") {
		t.Fatalf("reminder after a correction: %+v", reminder)
	}
}

func campaignID(t *testing.T, w *world) int64 {
	t.Helper()
	c, err := w.db.System().EnsureCampaign(context.Background(), w.adA.ID, "2025-2026")
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestDigest(t *testing.T) {
	for day, want := range map[string]bool{"2026-09-21": true, "2026-09-26": false, "2026-09-27": false, "2026-08-03": false} {
		if _, ok := worker.DigestDue(paris10(day)); ok != want {
			t.Errorf("digestDue(%s) = %v", day, ok)
		}
	}
	if since, _ := worker.DigestDue(paris10("2026-09-21")); !since.Equal(paris10("2026-09-18").Add(-2 * time.Hour)) {
		t.Errorf("Monday's digest covers since %v", since)
	}
	w := newWorld(t)
	w.owe(w.coopA2) // transmitted: to review
	now := paris10("2026-10-02")
	w.app.Now = func() time.Time { return now }
	if err := w.app.Worker.DigestAll(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if err := w.app.Worker.DigestAll(context.Background(), now); err != nil { // a second scheduler
		t.Fatal(err)
	}
	scope, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	mails, _, _ := scope.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailDigest})
	if len(mails) != 2 { // staff and admin of AD 31
		t.Fatalf("%d digests", len(mails))
	}
	text := mails[0].Text
	if !strings.Contains(text, "0310100R École Alpha-Deux") || !strings.Contains(text, "0310036W École Alpha : 2 jour(s) de retard") {
		t.Fatalf("digest:\n%s", text)
	}
}

func TestValidationNoticeIsQueuedOnce(t *testing.T) {
	w := newWorld(t)
	w.owe(w.coopA)
	staff := w.login("staff@a.example")
	base := "/ad/coops/" + itoa(w.coopA.ID) + "/dossier/2025-2026"
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF, workflow.Subventions, workflow.Quitus, workflow.Releve} {
		if res := staff.post(base+"/elements/"+string(k)+"/accepter", nil); res.StatusCode >= 400 {
			t.Fatalf("accept %s: %d", k, res.StatusCode)
		}
	}
	if res := staff.post(base+"/valider", nil); res.StatusCode >= 400 {
		t.Fatalf("validate: %d", res.StatusCode)
	}
	scope, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	mails, _, _ := scope.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailValidated})
	if len(mails) != 1 || mails[0].To != "0310036w@ecole.example" || !strings.Contains(mails[0].Subject, "validé") {
		t.Fatalf("validation mails = %+v", mails)
	}
	// Validated: the coop gets no reminder.
	var got []worker.ReminderLine
	_ = w.app.Worker.RemindAll(context.Background(), paris10("2026-09-23"), func(l worker.ReminderLine) { got = append(got, l) })
	for _, l := range got {
		if l.UAI == "0310036W" {
			t.Fatalf("a validated coop got a reminder: %+v", l)
		}
	}
}
