package apptest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"retkoop/app/demo"
	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/app/web"
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

// TestBookFiltersAndPages: a year of 130 generated operations, shown 50 by
// 50 with the running balances of the whole book, filtered by month,
// treasury, account, text and pointage, with the totals of the filtered
// rows; the cached list follows every change of the book.
func TestBookFiltersAndPages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	ex, _ := cs.Exercice(ctx, ex25)
	g := demo.NewDemoYear(rand.New(rand.NewPCG(5, 5)), ledger.Exercice{StartYear: 2025}, store.OpeningBalances(ex))
	if err := w.db.System().BulkInsertOperations(ctx, []store.BulkBook{{CoopID: w.coopA.ID, ExerciceID: ex.ID,
		Regies: g.Regies(), Ops: g.Generate(130)}}); err != nil {
		t.Fatal(err)
	}
	ops := w.bookOf(w.coopA)
	entries := ledger.NewBook(store.OpeningBalances(ex), ops).Entries()
	c := w.login("0310036W")
	// The default page is the last one: the latest operations.
	doc := c.doc(c.get("/coop/cahier/2025-2026"))
	if n := doc.Find("#book-rows tr").Length(); n != 30 || text(doc, "#book-count") != "130" {
		t.Fatalf("last page: %d rows of %s", n, text(doc, "#book-count"))
	}
	page2 := c.doc(c.get("/coop/cahier/2025-2026?page=2"))
	rows := page2.Find("#book-rows tr")
	if rows.Length() != web.BookPageSize {
		t.Fatalf("page 2: %d rows", rows.Length())
	}
	for i := range web.BookPageSize {
		e := entries[web.BookPageSize+i]
		row := rows.Eq(i)
		if id, _ := row.Attr("id"); id != "entry-"+itoa(e.Op.ID) ||
			plainText(row.Find(`td[data-label="Banque"]`).Text()) != plainText(e.Banque.String()) ||
			plainText(row.Find(`td[data-label="Caisse"]`).Text()) != plainText(e.Caisse.String()) {
			t.Fatalf("page 2 row %d = %s, want %d with %v / %v", i, row.Text(), e.Op.ID, e.Banque, e.Caisse)
		}
	}
	if _, ok := page2.Find(`a[rel="prev"]`).Attr("href"); !ok {
		t.Error("no link to page 1")
	}
	// Filters: the page shows what the ledger's filter selects, and its totals.
	for _, tc := range []struct {
		query string
		f     ledger.Filter
	}{
		{"mois=2025-10", ledger.Filter{From: tday("01/10/2025"), To: tday("31/10/2025")}},
		{"tresorerie=caisse", ledger.Filter{Treasury: ledger.Caisse}},
		{"compte=60600008", ledger.Filter{Account: "60600008"}},
		{"q=sortie", ledger.Filter{Text: "sortie"}},
		{"non_pointees=1&tresorerie=banque", ledger.Filter{Unticked: true, Treasury: ledger.Banque}},
		{"projet=Classe+verte", ledger.Filter{Project: "Classe verte"}},
	} {
		want := tc.f.Select(ops)
		totals := ledger.ComputeTotals(want)
		for _, hx := range []bool{false, true} {
			var res *http.Response
			if hx {
				res = c.get("/coop/cahier/2025-2026?tout=1&"+tc.query, "HX-Request", "true")
			} else {
				res = c.get("/coop/cahier/2025-2026?tout=1&" + tc.query)
			}
			d := c.doc(res)
			if n := d.Find("#book-rows tr").Length(); n != len(want) || len(want) == 0 {
				t.Errorf("%s (htmx %v): %d rows, want %d", tc.query, hx, n, len(want))
			}
			if got := text(d, "#total-depenses"); got != plainText(totals.Depenses.String()) {
				t.Errorf("%s: dépenses %s, want %v", tc.query, got, totals.Depenses)
			}
		}
	}
	// A new operation shows at once in the (cached) list.
	form := entryValues("recette", "2026-08-20", "999", "Don de fin d'année", "banque", "12,34", "75600008", "")
	wantStatus(t, c.post("/coop/cahier/2025-2026/operations", form), http.StatusSeeOther)
	doc = c.doc(c.get("/coop/cahier/2025-2026"))
	if text(doc, "#book-count") != "131" || !strings.Contains(doc.Find("#book-rows tr").Last().Text(), "Don de fin d'année") {
		t.Errorf("the new operation is not in the list: %s", text(doc, "#book-count"))
	}
}
