package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"retkoop/app/ledger"
	"retkoop/app/store"
)

func TestCreateOperationPlainPost(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	form := entryValues("depense", "2025-10-12", "D1", "Sortie au musée et fournitures", "banque", "150,00",
		"62510008", "100", "60600008", "50")
	form.Set("mode", "cheque")
	form.Set("cheque", "0012345")
	form.Set("projet", "Musée")
	res := c.post("/coop/cahier/2025-2026/operations", form)
	wantStatus(t, res, http.StatusSeeOther)
	ops := w.bookOf(w.coopA)
	if len(ops) != 1 || len(ops[0].Lines) != 2 || ops[0].Amount != 15000 || ops[0].Project != "Musée" || ops[0].Cheque != "0012345" {
		t.Fatalf("book = %+v", ops)
	}
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "#entry-"+itoa(ops[0].ID)) {
		t.Errorf("redirect to %s", loc)
	}
	// A retried POST (same idempotency key) creates nothing more.
	wantStatus(t, c.post("/coop/cahier/2025-2026/operations", form), http.StatusSeeOther)
	if n := len(w.bookOf(w.coopA)); n != 1 {
		t.Fatalf("retry created a second operation (%d)", n)
	}
	if n, _ := w.db.System().AuditCount(context.Background(), w.coopA.ID, "operation.create"); n != 1 {
		t.Errorf("audit rows = %d", n)
	}
}

func TestCreateOperationHTMXInsertsTheRow(t *testing.T) {
	w := newWorld(t)
	w.addOp(w.coopA, tOp(ledger.Recette, "05/09/2025", "1", ledger.Banque, "80"))
	c := w.login("0310036W")
	// One account without an amount takes the whole amount.
	form := entryValues("recette", "2025-09-20", "2", "Vente de photos", "caisse", "45,50", "70700008", "")
	res := c.post("/coop/cahier/2025-2026/operations", form, "HX-Request", "true")
	wantStatus(t, res, http.StatusOK)
	doc := c.doc(res)
	ops := w.bookOf(w.coopA)
	if len(ops) != 2 || ops[1].Lines[0].Amount != 4550 {
		t.Fatalf("book = %+v", ops)
	}
	if doc.Find("html").Length() != 0 && doc.Find("body > *").Length() == 0 {
		t.Fatal("empty response")
	}
	// The fresh form (new key, next pièce), the list and the balances.
	if doc.Find("form#entry-form").Length() != 1 || text(doc, "#entry-saved") == "" {
		t.Error("no fresh form with a confirmation")
	}
	if k, _ := doc.Find(`#entry-form input[name="idem"]`).Attr("value"); k == "" || k == form.Get("idem") {
		t.Errorf("fresh form reuses the idempotency key %q", k)
	}
	if p, _ := doc.Find("#f-piece").Attr("value"); p != "3" {
		t.Errorf("next pièce suggested = %q", p)
	}
	view := doc.Find(`#book-view[hx-swap-oob="true"]`)
	row := view.Find("#entry-" + itoa(ops[1].ID))
	if row.Length() != 1 || !row.HasClass("new") {
		t.Error("the new row is not in the out-of-band list")
	}
	if got := plainText(row.Find(`td[data-label="Caisse"]`).Text()); got != "65,50 €" {
		t.Errorf("cash after the new row = %q", got)
	}
	if got := plainText(doc.Find(`#book-balances[hx-swap-oob="true"] #solde-caisse`).Text()); got != "65,50 €" {
		t.Errorf("balances = %q", got)
	}
}

func TestCreateOperationRefusesUnbalancedVentilation(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	form := entryValues("depense", "2025-10-12", "D1", "Achats", "banque", "150", "62510008", "100", "60600008", "20")
	res := c.post("/coop/cahier/2025-2026/operations", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := c.doc(res)
	if msg := text(doc, "#err-lines"); !strings.Contains(msg, "reste 30,00") {
		t.Errorf("lines error = %q", msg)
	}
	if v, _ := doc.Find("#f-libelle").Attr("value"); v != "Achats" {
		t.Errorf("typed values lost: %q", v)
	}
	if msg := text(doc, "#ventilation-reste"); !strings.Contains(msg, "Reste à ventiler : 30,00") {
		t.Errorf("rest = %q", msg)
	}
	// htmx: the form comes back with the message (htmx swaps only 2xx).
	hx := c.post("/coop/cahier/2025-2026/operations", form, "HX-Request", "true")
	wantStatus(t, hx, http.StatusOK)
	if msg := text(c.doc(hx), "#err-lines"); !strings.Contains(msg, "reste 30,00") {
		t.Errorf("htmx lines error = %q", msg)
	}
	// Negative cash, unreadable amount.
	cash := entryValues("depense", "2025-10-12", "D2", "Achat", "caisse", "25", "60600008", "")
	if msg := text(c.doc(c.post("/coop/cahier/2025-2026/operations", cash)), "#form-errors"); !strings.Contains(msg, "caisse deviendrait négative") {
		t.Errorf("negative cash message = %q", msg)
	}
	bad := entryValues("depense", "2025-10-12", "D2", "Achat", "banque", "douze", "60600008", "")
	if msg := text(c.doc(c.post("/coop/cahier/2025-2026/operations", bad)), "#err-amount"); !strings.Contains(msg, "Montant illisible") {
		t.Errorf("amount message = %q", msg)
	}
	if n := len(w.bookOf(w.coopA)); n != 0 {
		t.Fatalf("refused operations were written: %d", n)
	}
}

func TestEntryFormAddsLinesAndShowsTheRest(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	form := entryValues("depense", "2025-10-12", "D1", "Achats", "banque", "150", "62510008", "100", "60600008", "20", "60600008", "10")
	form.Set("ajouter_ligne", "1")
	for _, hx := range []bool{false, true} {
		var res *http.Response
		if hx {
			res = c.post("/coop/cahier/2025-2026/formulaire", form, "HX-Request", "true")
		} else {
			res = c.post("/coop/cahier/2025-2026/formulaire", form)
		}
		wantStatus(t, res, http.StatusOK)
		doc := c.doc(res)
		if n := doc.Find(`#entry-form select[name="compte"]`).Length(); n != 4 {
			t.Errorf("htmx=%v: %d lines, want 4", hx, n)
		}
		if msg := text(doc, "#ventilation-reste"); msg != "Reste à ventiler : 20,00 €." {
			t.Errorf("htmx=%v: rest = %q", hx, msg)
		}
		if doc.Find("#err-lines").Length() != 0 {
			t.Errorf("htmx=%v: the refresh shows errors", hx)
		}
	}
	if n := len(w.bookOf(w.coopA)); n != 0 {
		t.Fatal("the refresh saved an operation")
	}
}

func TestEditAndDeleteOperation(t *testing.T) {
	w := newWorld(t)
	id := w.addOp(w.coopA, tOp(ledger.Recette, "05/09/2025", "1", ledger.Caisse, "80"))
	out := w.addOp(w.coopA, tOp(ledger.Depense, "06/09/2025", "2", ledger.Caisse, "90"))
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/operations/" + itoa(id)))
	if v, _ := doc.Find("#f-montant").Attr("value"); v != "80,00" {
		t.Fatalf("edit form amount = %q", v)
	}
	// Lowering the recette would empty the caisse: refused, nothing changed.
	form := entryValues("recette", "2025-09-05", "1", "Cotisations", "caisse", "50", "75600008", "")
	res := c.post("/coop/operations/"+itoa(id), form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(c.doc(res), "#form-errors"); !strings.Contains(msg, "caisse deviendrait négative") {
		t.Errorf("message = %q", msg)
	}
	form.Set("montant", "95")
	wantStatus(t, c.post("/coop/operations/"+itoa(id), form), http.StatusSeeOther)
	ops := w.bookOf(w.coopA)
	if ops[0].Amount != 9500 || ops[0].Libelle != "Cotisations" {
		t.Fatalf("after edit = %+v", ops[0])
	}
	// htmx edit answers with a redirect header.
	form.Set("libelle", "Cotisations de septembre")
	hx := c.post("/coop/operations/"+itoa(id), form, "HX-Request", "true")
	if hx.StatusCode != http.StatusOK || !strings.HasPrefix(hx.Header.Get("HX-Redirect"), "/coop/cahier/2025-2026") {
		t.Errorf("htmx edit: %d %s", hx.StatusCode, hx.Header.Get("HX-Redirect"))
	}
	// Deleting the recette would empty the caisse; deleting the dépense works.
	wantStatus(t, c.post("/coop/operations/"+itoa(id)+"/supprimer", nil), http.StatusUnprocessableEntity)
	wantStatus(t, c.post("/coop/operations/"+itoa(out)+"/supprimer", nil), http.StatusSeeOther)
	if n := len(w.bookOf(w.coopA)); n != 1 {
		t.Fatalf("book after delete = %d", n)
	}
	ctx := context.Background()
	for action, want := range map[string]int{"operation.update": 2, "operation.delete": 1} {
		if n, _ := w.db.System().AuditCount(ctx, w.coopA.ID, action); n != want {
			t.Errorf("%s audit rows = %d, want %d", action, n, want)
		}
	}
	// Another coop's operation is a 404, for every route.
	other := w.login("0310100R")
	wantStatus(t, other.get("/coop/operations/"+itoa(id)), http.StatusNotFound)
	wantStatus(t, other.post("/coop/operations/"+itoa(id), entryValues("recette", "2025-09-05", "1", "x", "caisse", "5")), http.StatusNotFound)
	wantStatus(t, other.post("/coop/operations/"+itoa(id)+"/supprimer", nil), http.StatusNotFound)
}

func TestClosedExerciceRefusesEntries(t *testing.T) {
	w := newWorld(t)
	id := w.addOp(w.coopA, tOp(ledger.Recette, "05/09/2025", "1", ledger.Caisse, "80"))
	cs := w.coopScopeOf(w.coopA)
	closeExercice(t, w, cs)
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/cahier/2025-2026"))
	if doc.Find("#entry-form").Length() != 0 || doc.Find("#book-closed").Length() != 1 {
		t.Error("a closed book still shows the entry form")
	}
	res := c.post("/coop/cahier/2025-2026/operations", entryValues("recette", "2025-09-20", "2", "Photos", "caisse", "10", "70700008", ""))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(c.doc(res), ".error"); !strings.Contains(msg, "clôturé") {
		t.Errorf("message = %q", msg)
	}
	wantStatus(t, c.post("/coop/operations/"+itoa(id)+"/supprimer", nil), http.StatusUnprocessableEntity)
	if n := len(w.bookOf(w.coopA)); n != 1 {
		t.Fatal("closed book changed")
	}
}

// closeExercice marks 2025-2026 closed the way the closing feature does.
func closeExercice(t *testing.T, w *world, cs *store.CoopScope) {
	t.Helper()
	if err := cs.CloseExercice(context.Background(), store.Closing{Exercice: ex25, By: "test"}); err != nil {
		t.Fatal(err)
	}
}

func TestAttachPieceToOperation(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	pdf := []byte("%PDF-1.4\n% facture\n%%EOF\n")
	form := entryValues("recette", "2025-09-20", "R1", "Subvention", "banque", "500", "74400008", "")
	res := c.postMultipart("/coop/cahier/2025-2026/operations", form, "piece_jointe", "facture.pdf", pdf)
	wantStatus(t, res, http.StatusSeeOther)
	doc := c.doc(c.get("/coop/cahier/2025-2026"))
	href, ok := doc.Find("#book-rows a.clip").Attr("href")
	if !ok {
		t.Fatal("no link to the pièce")
	}
	got := c.get(href)
	if got.StatusCode != http.StatusOK || got.Header.Get("Content-Type") != "application/pdf" || body(t, got) != string(pdf) {
		t.Errorf("pièce served: %d %s", got.StatusCode, got.Header.Get("Content-Type"))
	}
	// Another coop cannot read it.
	wantStatus(t, w.login("0310100R").get(href), http.StatusNotFound)
	// A file that is not a PDF or an image is refused, with nothing written.
	form = entryValues("recette", "2025-09-21", "R2", "Dons", "banque", "5", "75600008", "")
	res = c.postMultipart("/coop/cahier/2025-2026/operations", form, "piece_jointe", "virus.exe", []byte("MZ\x90\x00binary"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(c.doc(res), ".error"); !strings.Contains(msg, "PDF") {
		t.Errorf("type message = %q", msg)
	}
	if n := len(w.bookOf(w.coopA)); n != 1 {
		t.Fatalf("book = %d", n)
	}
	_ = url.Values{}
}
