package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"retkoop/app/ledger"
)

func TestBookHomeRedirectsToOpenExercice(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	res := c.get("/coop/cahier")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/coop/cahier/2025-2026" {
		t.Fatalf("status %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The coop home links to the book of each exercice.
	doc := c.doc(c.get("/coop"))
	if href, _ := doc.Find(`#exercices a[href="/coop/cahier/2025-2026"]`).Attr("href"); href == "" {
		t.Error("no link to the book on the coop home")
	}
}

func TestBookPageShowsRunningBalances(t *testing.T) {
	w := newWorld(t)
	// Opening: bank 1 000,00 €, cash 20,00 €.
	w.addOp(w.coopA, tOp(ledger.Recette, "05/09/2025", "1", ledger.Caisse, "80"))
	split := tOp(ledger.Depense, "10/10/2025", "2", ledger.Banque, "150", ledger.Line{Account: "60600008", Amount: 10000},
		ledger.Line{Account: "62510008", Amount: 5000})
	split.Mode, split.Cheque = ledger.Cheque, "1234567"
	w.addOp(w.coopA, split)
	deposit := tOp(ledger.Transfert, "11/10/2025", "3", ledger.Caisse, "60")
	deposit.Counterpart = ledger.Banque
	w.addOp(w.coopA, deposit)
	c := w.login("0310036W")
	res := c.get("/coop/cahier/2025-2026")
	wantStatus(t, res, http.StatusOK)
	doc := c.doc(res)
	rows := doc.Find("#book-rows tr")
	if rows.Length() != 3 {
		t.Fatalf("rows = %d", rows.Length())
	}
	cell := func(i int, label string) string {
		return plainText(rows.Eq(i).Find(fmt.Sprintf(`td[data-label="%s"]`, label)).Text())
	}
	want := [][2]string{{"1 000,00 €", "100,00 €"}, {"850,00 €", "100,00 €"}, {"910,00 €", "40,00 €"}}
	for i, wnt := range want {
		if got := [2]string{cell(i, "Banque"), cell(i, "Caisse")}; got != wnt {
			t.Errorf("row %d balances = %q, want %q", i, got, wnt)
		}
	}
	if got := text(doc, "#solde-banque"); got != "910,00 €" {
		t.Errorf("bank balance = %q", got)
	}
	if got := text(doc, "#total-depenses"); got != "150,00 €" {
		t.Errorf("total dépenses = %q", got)
	}
	if !strings.Contains(cell(1, "Libellé"), "62510008") || !strings.Contains(cell(1, "Libellé"), "n° 1234567") {
		t.Errorf("split row = %q", cell(1, "Libellé"))
	}
	if doc.Find("table.stack#book-table").Length() != 1 || doc.Find(`#book-rows td[data-label="Date"]`).Length() != 3 {
		t.Error("the book is not a stacked table with labels for phones")
	}
	if doc.Find("#book-head").Text() == "" || !strings.Contains(doc.Find("#book-head").Text(), "0310036W") {
		t.Error("the coop header (printed) is missing")
	}
	// The htmx variant is the page content only.
	hx := c.get("/coop/cahier/2025-2026", "HX-Request", "true")
	b := body(t, hx)
	if strings.Contains(b, "<html") || !strings.Contains(b, `id="book-view"`) || hx.Header.Get("Vary") != "HX-Request" {
		t.Errorf("htmx variant: %.200s", b)
	}
}

func TestBookPageUnknownExerciceIs404(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	wantStatus(t, c.get("/coop/cahier/2019-2020"), http.StatusNotFound)
	wantStatus(t, c.get("/coop/cahier/n-importe-quoi"), http.StatusNotFound)
}
