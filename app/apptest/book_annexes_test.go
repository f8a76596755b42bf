package apptest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/ledger"
)

func TestCashCountBravoAndGap(t *testing.T) {
	w := newWorld(t)
	// Opening cash 20 €, + 80 € on 05/09: 100 € in the box.
	w.addOp(w.coopA, tOp(ledger.Recette, "05/09/2025", "1", ledger.Caisse, "80"))
	c := w.login("0310036W")
	form := url.Values{"date": {"2025-09-30"}, "n_5000": {"1"}, "n_2000": {"2"}, "n_200": {"5"}}
	res := c.post("/coop/cahier/2025-2026/caisse", form)
	wantStatus(t, res, http.StatusSeeOther)
	doc := c.doc(c.get(res.Header.Get("Location")))
	if msg := text(doc, "#arrete-message"); !strings.HasPrefix(msg, "Bravo") {
		t.Errorf("equal count: %q", msg)
	}
	form.Set("n_200", "4")
	res = c.post("/coop/cahier/2025-2026/caisse", form, "HX-Request", "true")
	if res.StatusCode != http.StatusOK || res.Header.Get("HX-Redirect") == "" {
		t.Fatalf("htmx count: %d", res.StatusCode)
	}
	doc = c.doc(c.get(res.Header.Get("HX-Redirect")))
	if msg := text(doc, "#arrete-message"); !strings.Contains(msg, "Il manque 2,00") {
		t.Errorf("gap message: %q", msg)
	}
	if n := doc.Find("#cash-history tbody tr").Length(); n != 2 {
		t.Errorf("history rows = %d", n)
	}
	// A count outside the exercice or with a bad number is refused.
	bad := c.post("/coop/cahier/2025-2026/caisse", url.Values{"date": {"2026-09-30"}, "n_100": {"3"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if msg := text(c.doc(bad), ".error"); !strings.Contains(msg, "hors de l'exercice") {
		t.Errorf("outside message: %q", msg)
	}
	bad = c.post("/coop/cahier/2025-2026/caisse", url.Values{"date": {"2026-01-30"}, "n_100": {"trois"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if v, _ := c.doc(bad).Find("#c-n_100").Attr("value"); v != "trois" {
		t.Errorf("typed count lost: %q", v)
	}
}

func TestSubsidiesTable(t *testing.T) {
	w := newWorld(t)
	mixed := tOp(ledger.Recette, "12/11/2025", "R1", ledger.Banque, "700",
		ledger.Line{Account: "74400008", Amount: 50000}, ledger.Line{Account: "70800008", Amount: 20000})
	id := w.addOp(w.coopA, mixed)
	w.addOp(w.coopA, tOp(ledger.Recette, "13/11/2025", "R2", ledger.Banque, "80"))
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/cahier/2025-2026/subventions"))
	rows := doc.Find("#subsidies tbody tr")
	if rows.Length() != 1 || text(doc, "#subsidies-total") != "500,00 €" {
		t.Fatalf("rows = %d, total %q", rows.Length(), text(doc, "#subsidies-total"))
	}
	// htmx: the row comes back with the funder.
	res := c.post("/coop/cahier/2025-2026/subventions/"+itoa(id), url.Values{"financeur": {"Mairie de Toulouse"}}, "HX-Request", "true")
	wantStatus(t, res, http.StatusOK)
	// A lone <tr> is parsed in a table, as htmx does.
	frag, _ := goquery.NewDocumentFromReader(strings.NewReader("<table>" + body(t, res) + "</table>"))
	row := frag.Find("#subvention-" + itoa(id))
	if v, _ := row.Find(`input[name="financeur"]`).Attr("value"); v != "Mairie de Toulouse" {
		t.Errorf("htmx row funder = %q", v)
	}
	// Plain post, then the page and the CRF input show the funder.
	wantStatus(t, c.post("/coop/cahier/2025-2026/subventions/"+itoa(id), url.Values{"financeur": {"Commune de Muret"}}), http.StatusSeeOther)
	funders, _ := w.coopScopeOf(w.coopA).Funders(t.Context())
	if funders[id] != "Commune de Muret" {
		t.Errorf("funders = %v", funders)
	}
	// Another coop's operation is a 404.
	wantStatus(t, w.login("0310100R").post("/coop/cahier/2025-2026/subventions/"+itoa(id), url.Values{"financeur": {"x"}}), http.StatusNotFound)
}

func TestInventoryRegister(t *testing.T) {
	w := newWorld(t)
	buy := tOp(ledger.Depense, "15/01/2026", "D7", ledger.Banque, "450",
		ledger.Line{Account: "68000008", Amount: 30000}, ledger.Line{Account: "68000008", Amount: 12000}, ledger.Line{Account: "60600008", Amount: 3000})
	buy.Libelle = "Tablette et appareil photo"
	id := w.addOp(w.coopA, buy)
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/cahier/2025-2026/inventaire"))
	if n := doc.Find("#inventory tbody tr").Length(); n != 2 || text(doc, "#inventory-total") != "420,00 €" {
		t.Fatalf("rows = %d, total %q", n, text(doc, "#inventory-total"))
	}
	// A gift, then the appareil photo renamed and disposed of.
	wantStatus(t, c.post("/coop/cahier/2025-2026/inventaire", url.Values{"date": {"2026-02-03"},
		"description": {"Piano offert par une famille"}, "valeur": {"150"}}), http.StatusSeeOther)
	ref := "op-" + itoa(id) + "-1"
	wantStatus(t, c.post("/coop/cahier/2025-2026/inventaire/modifier", url.Values{"ref": {ref},
		"description": {"Appareil photo"}, "sortie": {"2026-06-30"}}), http.StatusSeeOther)
	doc = c.doc(c.get("/coop/cahier/2025-2026/inventaire"))
	if n := doc.Find("#inventory tbody tr").Length(); n != 3 {
		t.Fatalf("rows = %d", n)
	}
	if got := text(doc, "#inventory-total"); got != "450,00 €" {
		t.Errorf("total in service = %q", got)
	}
	row := doc.Find("#inv-" + ref)
	if v, _ := row.Find(`input[name="description"]`).Attr("value"); v != "Appareil photo" || !row.HasClass("disposed") {
		t.Errorf("disposed row: %q", v)
	}
	bad := c.post("/coop/cahier/2025-2026/inventaire", url.Values{"date": {"2026-02-03"}, "description": {" "}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	// Another coop cannot touch the entry.
	wantStatus(t, w.login("0310100R").post("/coop/cahier/2025-2026/inventaire/modifier", url.Values{"ref": {ref},
		"description": {"Volé"}}), http.StatusNotFound)
}

func TestProjectsTotals(t *testing.T) {
	w := newWorld(t)
	in := tOp(ledger.Recette, "05/09/2025", "1", ledger.Banque, "800")
	in.Project = "Classe verte"
	out := tOp(ledger.Depense, "06/09/2025", "2", ledger.Banque, "950")
	out.Project = "Classe verte"
	w.addOp(w.coopA, in)
	w.addOp(w.coopA, out)
	w.addOp(w.coopA, tOp(ledger.Recette, "07/09/2025", "3", ledger.Banque, "10"))
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/cahier/2025-2026/projets"))
	first := doc.Find("#projects tbody tr").First()
	if !strings.Contains(first.Text(), "Classe verte") || plainText(first.Find(`td[data-label="Résultat"]`).Text()) != "-150,00 €" {
		t.Errorf("project row = %q", first.Text())
	}
	// The project filter of the book keeps its two operations.
	doc = c.doc(c.get("/coop/cahier/2025-2026?projet=Classe+verte"))
	if text(doc, "#book-count") != "2" || text(doc, "#total-resultat") != "-150,00 €" {
		t.Errorf("filtered book: %s operations, %s", text(doc, "#book-count"), text(doc, "#total-resultat"))
	}
}

func TestRegieJourney(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	wantStatus(t, c.post("/coop/cahier/2025-2026/regies", url.Values{"code": {"CE1"}, "libelle": {"Mme Martin"}}), http.StatusSeeOther)
	bad := c.post("/coop/cahier/2025-2026/regies", url.Values{"code": {"CE 1"}, "libelle": {"x"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	// Advance 100 €, a class expense of 62,50 € ventilated, then settle.
	adv := entryValues("transfert", "2025-10-01", "T1", "Avance à la régie CE1", "banque", "100")
	adv.Set("vers", "regie:CE1")
	wantStatus(t, c.post("/coop/cahier/2025-2026/operations", adv), http.StatusSeeOther)
	exp := entryValues("depense", "2025-10-15", "D1", "Peinture", "regie:CE1", "62,50", "60600008", "")
	wantStatus(t, c.post("/coop/cahier/2025-2026/operations", exp), http.StatusSeeOther)
	doc := c.doc(c.get("/coop/cahier/2025-2026/regies"))
	if msg := text(doc, "#regies-problems"); !strings.Contains(msg, "il reste 37,50") {
		t.Fatalf("problems = %q", msg)
	}
	settle, _ := doc.Find("#regie-CE1 a.settle").Attr("href")
	q, _ := url.Parse(settle)
	if q.Query().Get("montant") != "37,50" || q.Query().Get("de") != "regie:CE1" {
		t.Fatalf("settle link = %s", settle)
	}
	// The settle link prefills the entry form.
	form := c.doc(c.get(settle))
	if v, _ := form.Find("#f-montant").Attr("value"); v != "37,50" {
		t.Errorf("prefilled amount = %q", v)
	}
	st := entryValues("transfert", "2025-10-20", "T2", "Solde de la régie CE1", "regie:CE1", "37,50")
	st.Set("vers", "caisse")
	wantStatus(t, c.post("/coop/cahier/2025-2026/operations", st), http.StatusSeeOther)
	doc = c.doc(c.get("/coop/cahier/2025-2026/regies"))
	if doc.Find("#regies-ok").Length() != 1 || doc.Find("#regies-problems").Length() != 0 {
		t.Errorf("régie not shown settled: %s", text(doc, "#regies"))
	}
	book := c.doc(c.get("/coop/cahier/2025-2026"))
	if text(book, "#solde-banque") != "900,00 €" || text(book, "#solde-caisse") != "57,50 €" || text(book, "#solde-regie-CE1") != "0,00 €" {
		t.Errorf("balances: bank %s cash %s régie %s", text(book, "#solde-banque"), text(book, "#solde-caisse"), text(book, "#solde-regie-CE1"))
	}
}
