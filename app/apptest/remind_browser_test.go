package apptest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"retkoop/workflow"
)

// TestBrowserReminderJourney: an AD admin changes the campaign's reminder
// rules, previews the reminder of one coop, and after `remind --once` finds
// it sent in the outbox and in the campaign's history.
func TestBrowserReminderJourney(t *testing.T) {
	e := newSQLiteRemindEnv(t)
	ctx := newBrowser(t)
	e.owe(e.coopA, workflow.Quitus)
	e.owe(e.coopA2)
	browserLogin(t, ctx, e.world, "admin@a.example", e.pw["admin@a.example"])
	browse(t, ctx, "edit the rules",
		chromedp.WaitVisible(chromedp.ID("coops")),
		chromedp.Click(chromedp.CSS(`nav a[href="/ad/relances"]`)),
		chromedp.WaitVisible(chromedp.ID("rules-form")),
		chromedp.Navigate(e.srv.URL+"/ad/relances?exercice=2025-2026"),
		chromedp.WaitVisible(chromedp.ID("rules-form")),
		chromedp.Clear(chromedp.ID("regles")),
		chromedp.SendKeys(chromedp.ID("regles"), "J-14, J-3, J+1, +7"),
		chromedp.SetValue(chromedp.ID("echeance"), "2026-09-30"),
		chromedp.Submit(chromedp.ID("rules-form")),
		chromedp.WaitVisible(chromedp.ID("saved")),
	)
	if got := textOf(t, ctx, "#campaign-rules"); got != "J-14, J-3, J+1, +7" {
		t.Fatalf("rules after saving = %q", got)
	}
	if got := textOf(t, ctx, "#schedule tbody tr"); !strings.Contains(got, "J-14") || !strings.Contains(got, "16/09/2026") {
		t.Fatalf("first date = %q", got)
	}
	browse(t, ctx, "preview the reminder of a coop",
		chromedp.Navigate(e.srv.URL+"/ad/coops/"+itoa(e.coopA.ID)),
		chromedp.WaitVisible(chromedp.ID("coop-reminder-link")),
		chromedp.Click(chromedp.ID("coop-reminder-link")),
		chromedp.WaitVisible(chromedp.ID("preview-text")),
	)
	if got := textOf(t, ctx, "#preview-missing"); got != "quitus" {
		t.Fatalf("preview lists %q", got)
	}
	if got := textOf(t, ctx, "#preview-text"); !strings.Contains(got, workflow.Quitus.Label()) || strings.Contains(got, workflow.Releve.Label()) {
		t.Fatalf("preview text:\n%s", got)
	}

	lines := e.remind("--once", "--at", "2026-09-16") // J-14 under the new rules
	found := false
	for _, l := range lines {
		found = found || (l.UAI == "0310036W" && l.Rule == "J-14")
	}
	if !found {
		t.Fatalf("remind --once queued %+v", lines)
	}
	browse(t, ctx, "the outbox",
		chromedp.Click(chromedp.CSS(`nav a[href="/ad/courriels"]`)),
		chromedp.WaitVisible(chromedp.ID("outbox")),
	)
	row := textOf(t, ctx, "#outbox tbody tr")
	if !strings.Contains(row, "0310036W") || !strings.Contains(row, "Envoyé le") || !strings.Contains(row, "Relance") {
		t.Fatalf("outbox row = %q", row)
	}
	browse(t, ctx, "the campaign's history",
		chromedp.Navigate(e.srv.URL+"/ad/relances?exercice=2025-2026"),
		chromedp.WaitVisible(chromedp.ID("reminder-history")),
	)
	if got := textOf(t, ctx, "#reminder-history tbody"); !strings.Contains(got, "J-14") || !strings.Contains(got, "envoyée le") {
		t.Fatalf("history = %q", got)
	}
	if n := len(e.smtp.Messages()); n != len(lines) {
		t.Fatalf("%d mails delivered for %d queued", n, len(lines))
	}
}
