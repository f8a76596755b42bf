package apptest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitText waits until the element's text contains want (htmx swaps).
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`(() => { const e = document.querySelector(`+"`"+sel+"`"+`);
		return e && e.textContent.replace(/\s/g, " ").includes(`+"`"+want+"`"+`); })()`,
		chromedp.WithPollingTimeout(15*time.Second))
}

// TestBrowserBookSplitAndTransfer: a mandataire enters a dépense split over
// two accounts (adding a line, watching the amount left to ventilate),
// then a withdrawal from the bank to the caisse; htmx inserts each row
// without reloading the page and the balances follow.
func TestBrowserBookSplitAndTransfer(t *testing.T) {
	w := newWorld(t)
	ctx := newBrowser(t)
	browserLogin(t, ctx, w, "0310036W", w.pw["0310036W"])
	browse(t, ctx, "open the book",
		chromedp.WaitVisible(chromedp.ID("coop-params")),
		chromedp.Click(chromedp.CSS(`nav a[href="/coop/cahier"]`)),
		chromedp.WaitVisible(chromedp.ID("entry-form")),
		// A marker that a full reload would lose.
		chromedp.Evaluate[chromedp.Void](`window.retkoopNoReload = true`),
	)
	browse(t, ctx, "split dépense",
		chromedp.SetValue(chromedp.ID("f-date"), "2025-10-12"),
		chromedp.SendKeys(chromedp.ID("f-libelle"), "Sortie au musée et fournitures"),
		chromedp.SetValue(chromedp.ID("f-cheque"), "0012345"),
		chromedp.SendKeys(chromedp.ID("f-montant"), "150"),
		chromedp.SetValue(chromedp.ID("f-compte-0"), "62510008"),
		chromedp.SendKeys(chromedp.ID("f-montant-ligne-0"), "100"),
		waitText("#ventilation-reste", "Reste à ventiler : 50,00"),
		chromedp.Click(chromedp.ID("add-line")),
		chromedp.WaitVisible(chromedp.ID("f-montant-ligne-3")),
		chromedp.SetValue(chromedp.ID("f-compte-1"), "60600008"),
		chromedp.SendKeys(chromedp.ID("f-montant-ligne-1"), "40"),
		waitText("#ventilation-reste", "Reste à ventiler : 10,00"),
		chromedp.SendKeys(chromedp.ID("f-montant-ligne-1"), "\b\b50"),
		waitText("#ventilation-reste", "Ventilation équilibrée"),
		chromedp.Click(chromedp.ID("entry-submit")),
		chromedp.WaitVisible(chromedp.ID("entry-saved")),
		waitText("#solde-banque", "850,00"),
	)
	browse(t, ctx, "transfer from the bank to the caisse",
		chromedp.SetValue(chromedp.ID("f-type"), "transfert"),
		chromedp.WaitNotVisible(chromedp.ID("ventilation")),
		chromedp.WaitVisible(chromedp.ID("f-vers")),
		chromedp.SetValue(chromedp.ID("f-date"), "2025-10-20"),
		chromedp.SendKeys(chromedp.ID("f-libelle"), "Retrait pour la caisse"),
		chromedp.SetValue(chromedp.ID("f-mode"), "especes"),
		chromedp.SetValue(chromedp.ID("f-vers"), "caisse"),
		chromedp.SendKeys(chromedp.ID("f-montant"), "100"),
		chromedp.Click(chromedp.ID("entry-submit")),
		waitText("#solde-caisse", "120,00"),
	)
	if got := textOf(t, ctx, "#solde-banque"); !strings.Contains(plainText(got), "750,00 €") {
		t.Errorf("bank balance shown = %q", got)
	}
	rows := textOf(t, ctx, "#book-rows")
	for _, want := range []string{"62510008", "60600008", "Banque → Caisse", "750,00", "120,00"} {
		if !strings.Contains(plainText(rows), want) {
			t.Errorf("book rows lack %q:\n%s", want, rows)
		}
	}
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.retkoopNoReload === true`))
	if err != nil || !still {
		t.Errorf("the page was reloaded (%v)", err)
	}
	ops := w.bookOf(w.coopA)
	if len(ops) != 2 || len(ops[0].Lines) != 2 || ops[0].Lines[1].Amount != 5000 || ops[1].Counterpart != "caisse" {
		t.Fatalf("book = %+v", ops)
	}
}
