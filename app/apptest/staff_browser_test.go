package apptest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserStaffReviewJourney: after the deadline, a staff member opens
// the review queue, goes to the late tab, filters by commune and missing
// item, opens the dossier from its row, accepts nothing yet but asks for a
// correction of the quitus with a reason; the mandataire logs in and sees
// the reason on their dossier. The consolidation page shows its coverage
// and chart.
func TestBrowserStaffReviewJourney(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return octNow }
	mand := w.login("0310036W")
	if res := mand.upload("/coop/dossier/2025-2026/elements/quitus/documents", "quitus.pdf", pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	ctx := newBrowser(t)
	browserLogin(t, ctx, w, "staff@a.example", w.pw["staff@a.example"])
	rowA := "#queue-coop-" + itoa(w.coopA.ID)
	rowA2 := "#queue-coop-" + itoa(w.coopA2.ID)
	browse(t, ctx, "open the queue from the navigation",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/ad/dossiers"]`)),
		chromedp.Click(chromedp.CSS(`nav a[href="/ad/dossiers"]`)),
		chromedp.WaitVisible(chromedp.ID("queue-tabs")),
		chromedp.Click(chromedp.ID("tab-en_retard")),
		chromedp.WaitVisible(chromedp.CSS(`#tab-en_retard[aria-current="page"]`)),
		chromedp.WaitVisible(chromedp.CSS(rowA)),
		chromedp.WaitVisible(chromedp.CSS(rowA2)),
	)
	if got := textOf(t, ctx, "#tab-en_retard .count"); got != "2" {
		t.Fatalf("late tab counts %q", got)
	}
	browse(t, ctx, "filter by commune and missing item",
		chromedp.SendKeys(chromedp.ID("q"), "toulouse"),
		chromedp.SetValue(chromedp.ID("manquant"), "releve"),
		chromedp.Click(chromedp.CSS(`#queue-filters button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(rowA2)),
		chromedp.WaitVisible(chromedp.CSS(rowA)),
	)
	if got := textOf(t, ctx, rowA); !strings.Contains(got, "J+5") || !strings.Contains(got, "nouveau") {
		t.Errorf("row of A: %q", got)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "q=toulouse") || !strings.Contains(loc, "manquant=releve") || !strings.Contains(loc, "onglet=en_retard") {
		t.Errorf("the filtered queue's address %s does not keep the view", loc)
	}
	browse(t, ctx, "open the dossier and ask for a correction",
		chromedp.Click(chromedp.CSS(rowA+" td a")),
		chromedp.WaitVisible(chromedp.ID("dossier-checks")),
		chromedp.WaitVisible(chromedp.ID("motif-quitus")),
		chromedp.SendKeys(chromedp.ID("motif-quitus"), "Il manque la signature du parent vérificateur."),
		chromedp.Click(chromedp.CSS(`#dossier-item-quitus form[action$="/corriger"] button`)),
		chromedp.WaitVisible(chromedp.ID("notice")),
		chromedp.WaitVisible(chromedp.CSS(`#dossier-item-quitus[data-status="a_corriger"]`)),
	)
	browse(t, ctx, "consolidation page",
		chromedp.Click(chromedp.CSS(`nav a[href="/ad/consolidation"]`)),
		chromedp.WaitVisible(chromedp.ID("coverage-count")),
		chromedp.WaitVisible(chromedp.CSS("#progress svg")),
	)
	if got := textOf(t, ctx, "#coverage-count"); got != "0 / 2 coops" {
		t.Errorf("coverage %q", got)
	}
	browse(t, ctx, "staff logout",
		chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
		chromedp.WaitVisible(chromedp.ID("login-form")),
	)
	browserLogin(t, ctx, w, "0310036W", w.pw["0310036W"])
	browse(t, ctx, "the mandataire sees the correction",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/coop/dossier"]`)),
		chromedp.Click(chromedp.CSS(`nav a[href="/coop/dossier"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dossier-item-quitus[data-status="a_corriger"]`)),
	)
	if got := textOf(t, ctx, "#dossier-item-quitus .correction .reason"); got != "Il manque la signature du parent vérificateur." {
		t.Errorf("the mandataire reads %q", got)
	}
}
