package apptest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/service"
	"retkoop/app/store"
)

// rows parses a fragment made of table rows (an htmx swap target), which
// an HTML parser drops outside a table.
func (c *client) rows(res *http.Response) *goquery.Document {
	c.w.t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + body(c.w.t, res) + "</tbody></table>"))
	if err != nil {
		c.w.t.Fatal(err)
	}
	return doc
}

// TestBankPagesImportAndLines drives the bank pages as a browser without
// JavaScript (plain posts, redirects) and as htmx (rows swapped in place).
func TestBankPagesImportAndLines(t *testing.T) {
	w := newWorld(t)
	b := w.seedBankBook()
	c := w.login("0310036W")

	doc := c.doc(c.get("/coop/banque"))
	if doc.Find("#bank-todo-empty").Length() != 1 || doc.Find(`a[href="/coop/banque/import"]`).Length() == 0 {
		t.Fatal("empty bank page: no 'rien à traiter' nor import link")
	}
	if got := text(doc, "#bank-summary-ecart"); got == "" {
		t.Fatal("no rapprochement summary on the bank page")
	}
	res := c.upload("/coop/banque/import", "releve.ofx", bankOFX())
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/coop/banque/releves/") {
		t.Fatalf("OFX upload: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	stmtURL := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	doc = c.follow(res)
	if got := text(doc, "#import-notice"); !strings.Contains(got, "7 lignes, dont 7 nouvelles") || !strings.Contains(got, "4 pointée(s) automatiquement, 2 à confirmer, 1 non rapprochée(s)") {
		t.Fatalf("import notice %q", got)
	}
	if n := doc.Find("#bank-statement-lines tr.bank-line").Length(); n != 7 {
		t.Fatalf("%d lines on the statement page", n)
	}
	if again := c.follow(c.upload("/coop/banque/import", "releve.ofx", bankOFX())); !strings.Contains(text(again, "#import-notice"), "rien n'a été ajouté") {
		t.Fatalf("re-import notice %q", text(again, "#import-notice"))
	}
	doc = c.doc(c.get(stmtURL + "?statut=a-confirmer"))
	if n := doc.Find("tr.bank-line").Length(); n != 2 {
		t.Fatalf("filter 'à confirmer': %d lines", n)
	}

	// Plain post: confirm the card payment, back to the filtered list.
	card := w.lineByLabel(t, "CB PAPETERIE DU CENTRE 20/06")
	back := stmtURL + "?statut=a-confirmer"
	res = c.post(fmt.Sprintf("/coop/banque/lignes/%d/confirmer", card.ID), url.Values{"choix": {"0"}, "retour": {back}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("%s#bank-line-%d", back, card.ID) {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if l := w.lineByLabel(t, card.Label); l.Status != store.BankTicked || l.Auto() {
		t.Fatalf("confirmed line %+v", l)
	}
	// A foreign "retour" is not followed.
	deposit := w.lineByLabel(t, "REMISE CHEQUES 0004513")
	res = c.post(fmt.Sprintf("/coop/banque/lignes/%d/rejeter", deposit.ID), url.Values{"retour": {"https://evil.example/"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/coop/banque#") {
		t.Fatalf("reject with a foreign retour: %d %s", res.StatusCode, loc)
	}

	// htmx: undo the automatic tick of cheque 1001, in place.
	chq := w.lineByLabel(t, "CHEQUE 1001")
	res = c.post(fmt.Sprintf("/coop/banque/lignes/%d/annuler", chq.ID), url.Values{"retour": {stmtURL}}, "HX-Request", "true")
	frag := c.rows(res)
	row := frag.Find(fmt.Sprintf("tr#bank-line-%d", chq.ID))
	if res.StatusCode != http.StatusOK || row.Length() != 1 || frag.Find("nav, footer").Length() != 0 ||
		!strings.Contains(row.Find(".badge").Text(), "Non rapprochée") || !strings.Contains(row.Text(), "Pointage annulé") {
		t.Fatalf("htmx undo: %d %s", res.StatusCode, row.Text())
	}
	if res.Header.Get("Vary") != "HX-Request" {
		t.Error("fragment without Vary: HX-Request")
	}
	for _, op := range w.bookOf(w.coopA) {
		if op.ID == b.cheque1001 && op.Ticked != nil {
			t.Fatal("undo left cheque 1001 ticked")
		}
	}

	// htmx: create the fee from its line, prefilled on 62700008.
	fee := w.lineByLabel(t, "FRAIS COMMISSION INTERVENTION")
	doc = c.doc(c.get("/coop/banque"))
	form := doc.Find(fmt.Sprintf("#bank-line-%d form.bank-create", fee.ID))
	if v, _ := form.Find("select[name=compte] option[selected]").Attr("value"); v != "62700008" {
		t.Fatalf("fee suggested on %q", v)
	}
	lib, _ := form.Find("input[name=libelle]").Attr("value")
	res = c.post(fmt.Sprintf("/coop/banque/lignes/%d/operation", fee.ID), url.Values{"compte": {"62700008"}, "libelle": {lib},
		"retour": {"/coop/banque"}}, "HX-Request", "true")
	row = c.rows(res).Find(fmt.Sprintf("tr#bank-line-%d", fee.ID))
	if res.StatusCode != http.StatusOK || !strings.Contains(row.Find(".badge").Text(), "Pointée") || !strings.Contains(row.Text(), lib) {
		t.Fatalf("htmx create: %d %s", res.StatusCode, row.Text())
	}
	// An unmatched line without an account: the message, no operation.
	res = c.post(fmt.Sprintf("/coop/banque/lignes/%d/operation", chq.ID), url.Values{"compte": {""}}, "HX-Request", "true")
	if res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("HX-Retarget") != "#alerts" {
		t.Fatalf("create without account: %d %s", res.StatusCode, res.Header.Get("HX-Retarget"))
	}

	// Rematch picks the cheque again.
	res = c.post("/coop/banque/rapprocher", nil)
	if doc = c.follow(res); !strings.Contains(text(doc, "#bank-notice"), "1 ligne(s) pointée(s) automatiquement") {
		t.Fatalf("rematch notice %q", text(doc, "#bank-notice"))
	}

	for _, path := range []string{"/coop/banque/releves/999999", fmt.Sprintf("/coop/banque/releves/%s", "abc")} {
		if res := c.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	if res := c.post("/coop/banque/lignes/999999/confirmer", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("confirm an unknown line: %d", res.StatusCode)
	}
}

// TestBankCSVMappingStep: a CSV whose columns the coop never confirmed
// shows the column step with a preview; confirming imports it with the
// closing balance typed and remembers the columns, so that the next file
// of that bank is imported at once. A statement without balance asks for
// it on its page.
func TestBankCSVMappingStep(t *testing.T) {
	w := newWorld(t)
	w.seedBankBook()
	c := w.login("0310036W")
	csv := []byte("Montant;Quand;Intitulé\n-45,00;14/06/2026;CHEQUE 1001\n120,00;14/06/2026;REMISE CHEQUES\n")
	res := c.upload("/coop/banque/import", "juin.csv", csv)
	doc := c.doc(res)
	if res.StatusCode != http.StatusOK || doc.Find("#mapping-form").Length() != 1 {
		t.Fatalf("CSV upload: %d, no column step", res.StatusCode)
	}
	content, _ := doc.Find(`#mapping-form input[name=contenu]`).Attr("value")
	form := url.Values{"contenu": {content}, "nom": {"juin.csv"}, "entete": {"0"}, "col_date": {"1"}, "col_libelle": {"2"},
		"col_debit": {"-1"}, "col_credit": {"-1"}, "col_montant": {"0"}, "solde": {"1 075,00"}, "apercu": {"1"}}
	doc = c.doc(c.post("/coop/banque/import", form))
	if n := doc.Find("#mapping-sample tbody tr").Length(); n != 2 {
		t.Fatalf("preview with the chosen columns: %d lines", n)
	}
	form.Del("apercu")
	form.Set("importer", "1")
	res = c.post("/coop/banque/import", form)
	doc = c.follow(res)
	if got := text(doc, "#statement-closing"); !strings.Contains(got, "1 075,00") {
		t.Fatalf("closing balance %q", got)
	}
	next := []byte(string(csv) + "300,00;16/06/2026;VIR SEPA MAIRIE\n")
	res = c.upload("/coop/banque/import", "juin-2.csv", next)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second CSV of the same bank: %d, want an import at once", res.StatusCode)
	}
	doc = c.follow(res)
	if !strings.Contains(text(doc, "#import-notice"), "dont 1 nouvelles") || doc.Find("#closing-form").Length() != 1 {
		t.Fatalf("second CSV: %q, closing form %d", text(doc, "#import-notice"), doc.Find("#closing-form").Length())
	}
	action, _ := doc.Find("#closing-form").Attr("action")
	if res := c.post(action, url.Values{"solde": {"abc"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad closing balance: %d", res.StatusCode)
	}
	doc = c.follow(c.post(action, url.Values{"solde": {"1375"}}))
	if got := text(doc, "#statement-closing"); !strings.Contains(got, "1 375,00") {
		t.Fatalf("closing balance entered %q", got)
	}
	res = c.upload("/coop/banque/import", "vide.ofx", []byte("<OFX></OFX>"))
	if res.StatusCode != http.StatusUnprocessableEntity || c.doc(res).Find("#import-errors").Length() != 1 {
		t.Fatalf("unreadable file: %d", res.StatusCode)
	}
}

// TestBankPointageAndRapprochement: manual pointage with htmx and plain
// posts, and the état de rapprochement page.
func TestBankPointageAndRapprochement(t *testing.T) {
	w := newWorld(t)
	b := w.seedBankBook()
	c := w.login("0310036W")
	doc := c.doc(c.get("/coop/banque/pointage?exercice=2025-2026&date=2026-06-30"))
	if n := doc.Find("#pointage-table tbody tr").Length(); n != 8 {
		t.Fatalf("%d unticked operations listed", n)
	}
	res := c.post(fmt.Sprintf("/coop/banque/operations/%d/pointer", b.carte), url.Values{"date": {"2026-06-30"}}, "HX-Request", "true")
	row := c.rows(res).Find(fmt.Sprintf("tr#bank-op-%d", b.carte))
	if res.StatusCode != http.StatusOK || !strings.Contains(row.Text(), "✓ 30/06/2026") || row.Find("form[action$=depointer]").Length() != 1 {
		t.Fatalf("htmx tick: %d %s", res.StatusCode, row.Text())
	}
	res = c.post(fmt.Sprintf("/coop/banque/operations/%d/pointer", b.remise), url.Values{"date": {"2026-06-30"},
		"retour": {"/coop/banque/pointage?exercice=2025-2026"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), fmt.Sprintf("#bank-op-%d", b.remise)) {
		t.Fatalf("plain tick: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	doc = c.doc(c.get("/coop/banque/pointage?exercice=2025-2026"))
	if n := doc.Find("#pointage-table tbody tr").Length(); n != 6 {
		t.Fatalf("%d unticked operations after two ticks", n)
	}
	if res := c.post(fmt.Sprintf("/coop/banque/operations/%d/pointer", b.carte), url.Values{"date": {"hier"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("tick without a date: %d", res.StatusCode)
	}
	res = c.post(fmt.Sprintf("/coop/banque/operations/%d/depointer", b.carte), nil, "HX-Request", "true")
	if row = c.rows(res).Find(fmt.Sprintf("tr#bank-op-%d", b.carte)); !strings.Contains(row.Text(), "Pointer au") {
		t.Fatalf("htmx untick: %s", row.Text())
	}

	w.importBankOFX()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	for _, l := range w.bankLines() {
		if l.Status == store.BankProposed {
			if err := service.ConfirmProposal(ctx, cs, l.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	doc = c.doc(c.get("/coop/banque/rapprochement?date=2026-08-31"))
	if got := text(doc, "#rappro-ecart"); !strings.Contains(got, "8,00") || doc.Find("#rappro-verdict.error").Length() != 1 {
		t.Fatalf("gap before the fee is created: %q", got)
	}
	fee := w.lineByLabel(t, "FRAIS COMMISSION INTERVENTION")
	if _, _, err := service.CreateLineOperation(ctx, cs, fee.ID, service.LineOperation{Account: "62700008"}); err != nil {
		t.Fatal(err)
	}
	doc = c.doc(c.get("/coop/banque/rapprochement")) // default: 31/08 of the exercice being kept
	if got := text(doc, "#rappro-ecart"); !strings.HasPrefix(got, "0,00") || doc.Find("#rappro-verdict.success").Length() != 1 ||
		!strings.Contains(text(doc, "h1"), "31/08/2026") || doc.Find("#rappro-open tbody tr").Length() != 2 {
		t.Fatalf("rapprochement page: ecart %q, h1 %q", got, text(doc, "h1"))
	}
	frag := c.doc(c.get("/coop/banque/rapprochement?date=2026-08-31", "HX-Request", "true"))
	if frag.Find("footer").Length() != 0 || frag.Find("#rappro-table").Length() != 1 {
		t.Fatal("htmx rapprochement: not a fragment")
	}
}
