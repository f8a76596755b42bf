package apptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBankJourney: a mandataire imports a statement from the bank
// page, confirms the proposals and creates the bank's fee in place (htmx,
// no reload), and the état de rapprochement at 31 August shows no gap.
func TestBrowserBankJourney(t *testing.T) {
	w := newWorld(t)
	w.seedBankBook()
	ctx := newBrowser(t)
	file := filepath.Join(t.TempDir(), "releve-juin-septembre.ofx")
	if err := os.WriteFile(file, bankOFX(), 0o600); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, w, "0310036W", w.pw["0310036W"])
	browse(t, ctx, "import the statement",
		chromedp.WaitVisible(chromedp.ID("coop-params")),
		chromedp.Click(chromedp.CSS(`nav a[href="/coop/banque"]`)),
		chromedp.WaitVisible(chromedp.ID("bank-todo-empty")),
		chromedp.Click(chromedp.CSS(`#bank-statements a[href="/coop/banque/import"]`)),
		chromedp.WaitVisible(chromedp.ID("bank-import-form")),
		chromedp.SetUploadFiles(chromedp.ID("bi-file"), []string{file}),
		chromedp.Submit(chromedp.ID("bank-import-form")),
		chromedp.WaitVisible(chromedp.ID("import-notice")),
	)
	if got := textOf(t, ctx, "#import-notice"); !strings.Contains(got, "4 pointée(s) automatiquement, 2 à confirmer") {
		t.Fatalf("import notice %q", got)
	}
	card := w.lineByLabel(t, "CB PAPETERIE DU CENTRE 20/06")
	deposit := w.lineByLabel(t, "REMISE CHEQUES 0004513")
	fee := w.lineByLabel(t, "FRAIS COMMISSION INTERVENTION")
	row := func(id int64) string { return fmt.Sprintf("#bank-line-%d", id) }
	browse(t, ctx, "confirm the proposals and create the fee",
		chromedp.Navigate(w.srv.URL+"/coop/banque"),
		chromedp.WaitVisible(chromedp.ID("bank-todo-lines")),
		chromedp.Evaluate[chromedp.Void](`window.retkoopNoReload = true`),
		chromedp.Click(chromedp.CSS(row(card.ID)+` form[action$="/confirmer"] button`)),
		waitText(row(card.ID), "Rapprochement confirmé"),
		chromedp.Click(chromedp.CSS(row(deposit.ID)+` form[action$="/confirmer"] button`)),
		waitText(row(deposit.ID), "Rapprochement confirmé"),
		chromedp.Click(chromedp.CSS(row(fee.ID)+` form.bank-create button`)),
		waitText(row(fee.ID), "Opération créée dans le cahier et pointée"),
	)
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.retkoopNoReload === true`))
	if err != nil || !still {
		t.Errorf("the page was reloaded (%v)", err)
	}
	browse(t, ctx, "see the rapprochement",
		chromedp.Click(chromedp.CSS(`#bank-head a[href="/coop/banque/rapprochement"]`)),
		chromedp.WaitVisible(chromedp.ID("rappro-table")),
	)
	if got := plainText(textOf(t, ctx, "#rappro-ecart")); !strings.HasPrefix(got, "0,00") {
		t.Fatalf("écart shown %q", got)
	}
	if got := textOf(t, ctx, "#rappro-verdict"); !strings.Contains(got, "Écart nul") {
		t.Fatalf("verdict %q", got)
	}
	if got := plainText(textOf(t, ctx, "#rappro-open")); !strings.Contains(got, "Autocar de la sortie") {
		t.Fatalf("open items %q: the cheque cashed in September is missing", got)
	}
}
