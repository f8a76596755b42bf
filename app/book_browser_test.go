package app

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
	browse(t, ctx, "step 0", chromedp.SetValue(chromedp.ID("f-date"), "2025-10-12"))
	browse(t, ctx, "step 1", chromedp.SendKeys(chromedp.ID("f-libelle"), "Sortie au musée et fournitures"))
	browse(t, ctx, "step 2", chromedp.SetValue(chromedp.ID("f-cheque"), "0012345"))
	browse(t, ctx, "step 3", chromedp.SendKeys(chromedp.ID("f-montant"), "150"))
	browse(t, ctx, "step 4", chromedp.SetValue(chromedp.ID("f-compte-0"), "62510008"))
	browse(t, ctx, "step 5", chromedp.SendKeys(chromedp.ID("f-montant-ligne-0"), "100"))
	browse(t, ctx, "step 6", waitText("#ventilation-reste", "Reste à ventiler : 50,00"))
	browse(t, ctx, "step 7", chromedp.Click(chromedp.ID("add-line")))
	browse(t, ctx, "step 8", chromedp.WaitVisible(chromedp.ID("f-montant-ligne-3")))
	browse(t, ctx, "step 9", chromedp.SetValue(chromedp.ID("f-compte-1"), "60600008"))
	browse(t, ctx, "step 10", chromedp.SendKeys(chromedp.ID("f-montant-ligne-1"), "40"))
	browse(t, ctx, "step 11", waitText("#ventilation-reste", "Reste à ventiler : 10,00"))
	browse(t, ctx, "step 12", chromedp.SendKeys(chromedp.ID("f-montant-ligne-1"), "\b\b50"))
	browse(t, ctx, "step 13", waitText("#ventilation-reste", "Ventilation équilibrée"))
	browse(t, ctx, "hook", chromedp.Evaluate[chromedp.Void](`window.evs = []; ['htmx:afterRequest','htmx:responseError','htmx:sendError','htmx:swapError','htmx:targetError','htmx:oobErrorNoTarget','htmx:beforeRequest','submit','click'].forEach(n => document.body.addEventListener(n, e => window.evs.push(n + ' ' + (e.detail && e.detail.xhr ? e.detail.xhr.status + ' ' + e.detail.xhr.responseText.slice(0,200) : (e.target && e.target.id)))))`))
	browse(t, ctx, "step 14", chromedp.Click(chromedp.ID("entry-submit")))
	browse(t, ctx, "dbg", chromedp.Sleep(3*time.Second))
	dbg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({dis: document.querySelector('#entry-submit').disabled, valid: document.querySelector('#entry-form').checkValidity(), inv: [...document.querySelectorAll('#entry-form :invalid')].map(e => e.id + ':' + e.validationMessage), date: document.querySelector('#f-date').value})`))
	t.Log(dbg, err)
	evs, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.evs)`))
	t.Log(evs, err)
	t.Log(textOf(t, ctx, "#alerts"))
	browse(t, ctx, "step 15", chromedp.WaitVisible(chromedp.ID("entry-saved")))
	browse(t, ctx, "step 16", waitText("#solde-banque", "850,00"))
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
