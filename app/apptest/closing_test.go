package apptest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/workflow"
)

func TestClosingPageListsEveryCheck(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if _, err := cs.CreateRegie(ctx, "CE1", "Mme Durand, CE1"); err != nil {
		t.Fatal(err)
	}
	adv := tOp(ledger.Transfert, "01/12/2025", "T2", ledger.Banque, "50")
	adv.Counterpart = ledger.RegieTreasury("CE1")
	w.addOp(w.coopA, adv)
	m := w.login("0310036W")

	res := m.get("/coop/cahier/2025-2026/cloture")
	wantStatus(t, res, http.StatusOK)
	doc := m.doc(res)
	ko := plainText(doc.Find("#checks li.check-ko").Text())
	for _, want := range []string{
		"aucun relevé bancaire couvrant le 31/08/2026 n'a été importé",
		"aucun arrêté de caisse n'a été fait",
		"la régie « CE1 » n'est pas soldée : il reste 50,00 € d'avance à rendre",
	} {
		if !strings.Contains(ko, want) {
			t.Errorf("failed checks lack %q:\n%s", want, ko)
		}
	}
	if href, _ := doc.Find(`#checks li.check-ko a[href="/coop/cahier/2025-2026/regies"]`).Attr("href"); href == "" {
		t.Error("no link to settle the régie")
	}
	if doc.Find(`#checks li.check-ko a[href="/coop/cahier/2025-2026/caisse"]`).Length() != 1 {
		t.Error("no link to count the caisse")
	}
	if ok := plainText(doc.Find("#checks li.check-ok").Text()); !strings.Contains(ok, "entièrement ventilée") ||
		!strings.Contains(ok, "datées dans l'exercice") || strings.Contains(ok, "terminée") {
		t.Errorf("passed checks = %q", ok)
	}
	if got := text(doc, "#closing-balances"); !strings.Contains(got, "1 490,00 €") || !strings.Contains(got, "6,50 €") {
		t.Errorf("closing balances = %q", got)
	}
	if doc.Find("#closing-form").Length() != 0 || doc.Find("#closing-blocked").Length() != 1 {
		t.Error("the closing form is offered while checks fail")
	}
	frag := m.get("/coop/cahier/2025-2026/cloture", "HX-Request", "true")
	if b := body(t, frag); strings.Contains(b, "<html") || !strings.Contains(b, `id="checks"`) || frag.Header.Get("Vary") != "HX-Request" {
		t.Errorf("htmx variant is not the content alone (Vary %q)", frag.Header.Get("Vary"))
	}

	// Closing anyway is refused, with the same list, and changes nothing.
	res = m.post("/coop/cahier/2025-2026/cloture", url.Values{})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := plainText(m.doc(res).Find("#checks").Text()); !strings.Contains(got, "aucun relevé bancaire") {
		t.Errorf("refused closing shows %q", got)
	}
	if ex, _ := cs.Exercice(ctx, ex25); ex.State != store.ExerciceOpen {
		t.Fatal("a refused closing closed the book")
	}
	if _, err := cs.Exercice(ctx, "2026-2027"); err == nil {
		t.Fatal("a refused closing opened the next exercice")
	}

	// A cash count that matches the book clears its check.
	if _, err := cs.AddCashCount(ctx, ex25, ledger.CashCount{Date: tday("31/08/2026"),
		Counts: map[money.Money]int{500: 1, 100: 1, 50: 1}}); err != nil {
		t.Fatal(err)
	}
	ok := plainText(m.doc(m.get("/coop/cahier/2025-2026/cloture")).Find("#checks li.check-ok").Text())
	if !strings.Contains(ok, "arrêté de caisse correspond") {
		t.Errorf("after a matching count, passed checks = %q", ok)
	}
}

func TestEarlyClosingAsksForTheDeclaration(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return time.Date(2026, 6, 20, 10, 0, 0, 0, fr.Paris) }
	w.closingYear()
	m := w.login("0310036W")
	doc := m.doc(m.get("/coop/cahier/2025-2026/cloture"))
	if got := plainText(doc.Find("#checks li.check-ko").First().Text()); !strings.Contains(got, "L'année est terminée") ||
		!strings.Contains(got, "l'exercice se termine le 31/08/2026") {
		t.Errorf("first failed check = %q", got)
	}
	w.app.Now = func() time.Time { return septNow }
	doc = m.doc(m.get("/coop/cahier/2025-2026/cloture"))
	if strings.Contains(doc.Find("#checks").Text(), "L'année est terminée") {
		t.Error("after 31 August the declaration is still asked")
	}
}

func TestClosedBookRefusesEveryWriteThroughHTTP(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	subsidy := w.closingYear()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if _, err := cs.CreateRegie(ctx, "CE1", "Mme Durand, CE1"); err != nil {
		t.Fatal(err)
	}
	w.closeBookDirectly()
	before := w.bookOf(w.coopA)
	m := w.login("0310036W")
	const closed = "clôturé"
	for _, tc := range []struct {
		name string
		res  func() *http.Response
	}{
		{"new operation", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/operations", entryValues("depense", "2026-06-01", "D9", "Achat", "caisse", "5", "60600008", "5"))
		}},
		{"edit operation", func() *http.Response {
			return m.post("/coop/operations/"+itoa(before[0].ID), entryValues("recette", "2025-09-15", "R1", "Modifiée", "banque", "500", "75600008", "500"))
		}},
		{"delete operation", func() *http.Response { return m.post("/coop/operations/"+itoa(before[0].ID)+"/supprimer", nil) }},
		{"advance to a régie", func() *http.Response {
			v := entryValues("transfert", "2026-06-01", "T9", "Avance à la régie CE1", "banque", "50")
			v.Set("vers", "regie:CE1")
			return m.post("/coop/cahier/2025-2026/operations", v)
		}},
		{"cash count", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/caisse", url.Values{"date": {"2026-08-31"}, "n_500": {"1"}})
		}},
		{"subsidy funder", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/subventions/"+itoa(subsidy), url.Values{"financeur": {"Autre"}})
		}},
		{"inventory", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/inventaire", url.Values{"date": {"2026-02-02"}, "description": {"Piano"}, "valeur": {"100"}})
		}},
		{"import", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/import", url.Values{"contenu": {sampleBook}, "confirmer": {"1"}, "nom": {"cahier.csv"}})
		}},
		{"opening of the closed exercice through a new closing", func() *http.Response {
			return m.post("/coop/cahier/2025-2026/cloture", url.Values{})
		}},
	} {
		res := tc.res()
		b := body(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, closed) {
			t.Errorf("%s: status %d, want 422 saying the exercice is closed", tc.name, res.StatusCode)
		}
	}
	after := w.bookOf(w.coopA)
	if len(after) != len(before) || after[0].Libelle != before[0].Libelle {
		t.Fatalf("the closed book changed: %d → %d operations", len(before), len(after))
	}
	if f, _ := cs.Funders(ctx); f[subsidy] != "Mairie de Toulouse" {
		t.Fatalf("funder changed to %q", f[subsidy])
	}
	if inv, _ := cs.Inventory(ctx, ex25); len(inv) != 0 {
		t.Fatalf("inventory changed: %+v", inv)
	}

	doc := m.doc(m.get("/coop/cahier/2025-2026/cloture"))
	if doc.Find("#closing-done").Length() != 1 || doc.Find("#closing-form").Length() != 0 {
		t.Fatal("the closing page of a closed book still offers to close")
	}
	if got := text(doc, "#closing-history tbody"); !strings.Contains(got, "Clôture") || !strings.Contains(got, "M. École Alpha (mandataire)") {
		t.Errorf("history = %q", got)
	}
	if doc := m.doc(m.get("/coop/cahier/2025-2026")); doc.Find("#book-closed").Length() != 1 || doc.Find("#entry-form").Length() != 0 {
		t.Error("the book page of a closed exercice offers the entry form")
	}
	next, err := cs.Exercice(ctx, "2026-2027")
	if err != nil || next.OpeningBank != money.MustParse("1540") || next.OpeningCash != money.MustParse("6.50") {
		t.Fatalf("next exercice = %+v, %v", next, err)
	}
}

func TestLedgerImportRefusesAClosedExercice(t *testing.T) {
	env, _, a := ledgerCLI(t)
	ctx := context.Background()
	if err := a.CloseExercice(ctx, store.Closing{Exercice: ex25, Balances: ledger.Treasuries{Banque: 10000, Caisse: 1000}}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := ledgerRun(t, env, []byte(sampleBook), "--uai", "0310036W", "--exercice", ex25)
	if code == 0 || !strings.Contains(errs, "clôturé") || !strings.Contains(errs, "aucune opération n'a été enregistrée") {
		t.Fatalf("exit %d: %s / %s", code, out, errs)
	}
	if ops, _ := a.BookOperations(ctx, ex25); len(ops) != 0 {
		t.Fatalf("the import wrote %d operations into a closed exercice", len(ops))
	}
}

func TestStaffReopensAClosedBook(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	w.closeBookDirectly()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if err := w.app.ValidateCRF(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	base := "/ad/coops/" + itoa(w.coopA.ID) + "/exercices/2025-2026"
	m := w.login("0310036W")
	wantStatus(t, m.post(base+"/rouvrir", url.Values{"motif": {"je veux corriger"}}), http.StatusNotFound)

	s := w.login("staff@a.example")
	doc := s.doc(s.get(base))
	if doc.Find("#reopen-form").Length() != 1 || text(doc, "#exercice-state") == "ouvert" {
		t.Fatal("the staff page of a closed exercice has no reopening form")
	}
	if got := text(doc, "#crf-total-produits"); got != "842,00 €" {
		t.Errorf("staff sees produits %q", got)
	}
	res := s.post(base+"/rouvrir", url.Values{"motif": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(s.doc(res), "#form-errors"); !strings.Contains(got, "motif") {
		t.Errorf("reopening without a reason: %q", got)
	}
	wantStatus(t, s.post(base+"/rouvrir", url.Values{"motif": {"Facture de juin oubliée"}}), http.StatusSeeOther)

	ex, _ := cs.Exercice(ctx, ex25)
	if ex.State != store.ExerciceOpen {
		t.Fatal("the exercice is still closed")
	}
	hist, _ := cs.ExerciceHistory(ctx, ex25)
	if len(hist) != 2 || hist[1].Action != store.ExerciceReopening || hist[1].Reason != "Facture de juin oubliée" ||
		!strings.Contains(hist[1].By, "(AD)") {
		t.Fatalf("history = %+v", hist)
	}
	if st, _ := cs.CRFState(ctx, ex25); st.Status != store.CRFDraft {
		t.Fatalf("crf after reopening = %s", st.Status)
	}
	// The dossier asks for the closing again, with the reason.
	_, d, err := cs.Dossier(ctx, ex25)
	if err != nil {
		t.Fatal(err)
	}
	if it, _ := d.Item(workflow.Cloture); it.Status != workflow.ItemACorriger {
		t.Fatalf("dossier item cloture = %s", it.Status)
	}
	// The mandataire writes again, and sees the reopening in the history.
	wantStatus(t, m.post("/coop/cahier/2025-2026/operations",
		entryValues("depense", "2026-06-10", "D4", "Facture de juin", "banque", "12", "60600008", "12")), http.StatusSeeOther)
	if got := text(m.doc(m.get("/coop/cahier/2025-2026/cloture")), "#closing-history"); !strings.Contains(got, "Facture de juin oubliée") {
		t.Errorf("mandataire's history = %q", got)
	}
}

func TestClosingEffectsOfTheDossier(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	w.closeBookDirectly()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if err := w.app.ValidateCRF(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	if err := w.app.ValidateSubsidies(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	if err := w.app.SaveCRA(ctx, cs, ex25, craAnswers(), true); err != nil {
		t.Fatal(err)
	}
	_, d, err := cs.Dossier(ctx, ex25)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRF, workflow.Subventions, workflow.CRA} {
		if it, _ := d.Item(k); it.Status != workflow.ItemRecu {
			t.Errorf("dossier item %s = %s, want recu", k, it.Status)
		}
	}
	if len(d.Subsidies) != 1 || d.Subsidies[0].Ref != "2025-11-12;74400008;30000" ||
		d.Subsidies[0].Label != "Mairie de Toulouse — 12/11/2025 — 300,00\u00a0€" {
		t.Fatalf("dossier subsidies = %+v", d.Subsidies)
	}
	staff := w.staffScopeOfA(t)
	apply := func(effects ...workflow.Effect) {
		t.Helper()
		if err := staff.Tx(ctx, func(tx *store.CoopScope) error { return w.app.CarryOut(ctx, tx, d, effects) }); err != nil {
			t.Fatal(err)
		}
	}
	status := func() string {
		st, _ := cs.CRFState(ctx, ex25)
		return st.Status
	}
	apply(workflow.LockCRF{})
	if status() != store.CRFLocked {
		t.Fatalf("after LockCRF: %s", status())
	}
	apply(workflow.UnlockCRF{})
	if status() != store.CRFValid {
		t.Fatalf("after UnlockCRF: %s", status())
	}
	apply(workflow.ReopenStep{Item: workflow.Subventions, Reason: "x"}, workflow.ReopenStep{Item: workflow.CRA, Reason: "x"})
	if st, _ := cs.CRFState(ctx, ex25); st.SubsidiesValidated() || st.Status != store.CRFValid {
		t.Fatalf("after reopening the subsidies: %+v", st)
	}
	if r, _ := cs.CRA(ctx, ex25); r.Submitted() {
		t.Fatal("the CRA is still submitted")
	}
	apply(workflow.ReopenStep{Item: workflow.CRF, Reason: "x"})
	if status() != store.CRFDraft {
		t.Fatalf("after reopening the CRF: %s", status())
	}
	apply(workflow.ReopenBook{Reason: "Relevé d'août manquant"})
	if ex, _ := cs.Exercice(ctx, ex25); ex.State != store.ExerciceOpen {
		t.Fatal("ReopenBook left the book closed")
	}
	apply(workflow.ReopenBook{Reason: "deux fois"}) // an open book stays open
	if hist, _ := cs.ExerciceHistory(ctx, ex25); len(hist) != 2 || hist[1].Reason != "Relevé d'août manquant" {
		t.Fatalf("history = %+v", hist)
	}
}

// staffScopeOfA is coop A's scope as AD A's staff member.
func (w *world) staffScopeOfA(t *testing.T) *store.CoopScope {
	t.Helper()
	ctx := context.Background()
	u, err := w.db.Auth().UserByLogin(ctx, "staff@a.example")
	if err != nil {
		t.Fatal(err)
	}
	ad, err := w.db.ForAD(ctx, w.adA.ID, &u.ID)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ad.Coop(ctx, w.coopA.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestClosingThroughHTTP(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	w.countCash()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	m := w.login("0310036W")

	// The statement says 990 € at 31 August: with the 540 € of operations
	// not yet on it, 10 € are unexplained.
	w.statementAt("990")
	doc := m.doc(m.get("/coop/cahier/2025-2026/cloture"))
	if got := plainText(doc.Find("#checks li.check-ko").Text()); !strings.Contains(got, "le rapprochement bancaire n'explique pas tout : écart de 10,00 €") {
		t.Fatalf("failed checks = %q", got)
	}
	if doc.Find("#checks li.check-ko").Length() != 1 {
		t.Fatalf("%d checks fail", doc.Find("#checks li.check-ko").Length())
	}

	w.statementAt("1000")
	doc = m.doc(m.get("/coop/cahier/2025-2026/cloture"))
	if n := doc.Find("#checks li.check-ko").Length(); n != 0 || doc.Find("#closing-form").Length() != 1 {
		t.Fatalf("%d checks fail: %s", n, plainText(doc.Find("#checks").Text()))
	}
	res := m.post("/coop/cahier/2025-2026/cloture", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/coop/crf/2025-2026?cloture=1" {
		t.Fatalf("closing redirects to %q", loc)
	}
	ex, _ := cs.Exercice(ctx, ex25)
	next, err := cs.Exercice(ctx, "2026-2027")
	if ex.State != store.ExerciceClosed || err != nil || next.OpeningBank != money.MustParse("1540") || next.OpeningCash != money.MustParse("6.50") {
		t.Fatalf("after closing: %+v / %+v, %v", ex, next, err)
	}
	// The report à nouveau opens the next CRF and is never a revenue.
	if r, err := cs.CRF(ctx, "2026-2027"); err != nil || r.CRF.TresorerieDebut.Total != money.MustParse("1546.50") ||
		r.CRF.TotalProduits != 0 || len(r.CRF.Produits) != 0 {
		t.Fatalf("next CRF = %+v, %v", r.CRF, err)
	}
	_, d, _ := cs.Dossier(ctx, ex25)
	if it, _ := d.Item(workflow.Cloture); it.Status != workflow.ItemRecu {
		t.Fatalf("dossier item cloture = %s", it.Status)
	}
	hist, _ := cs.ExerciceHistory(ctx, ex25)
	if len(hist) != 1 || len(hist[0].CarriedItems()) != 5 || !strings.Contains(hist[0].By, "(mandataire)") {
		t.Fatalf("history = %+v", hist)
	}
	doc = m.doc(m.get("/coop/crf/2025-2026?cloture=1"))
	if text(doc, "#rap-releve") != "1 000,00 €" || text(doc, "#rap-livre") != "1 540,00 €" || text(doc, "#rap-ecart") != "0,00 €" ||
		doc.Find("#crf-rapprochement .rap-item").Length() != 5 {
		t.Errorf("état de rapprochement = %q", text(doc, "#crf-rapprochement"))
	}
	if got := text(doc, "#crf-arrete"); !strings.Contains(got, "6,50 €") {
		t.Errorf("arrêté de caisse = %q", got)
	}
	if doc.Find("#crf-notice").Length() != 1 {
		t.Error("no notice after the closing")
	}
	if got := plainText(m.doc(m.get("/coop/cahier/2025-2026/cloture")).Find("#carried-items").Text()); !strings.Contains(got, "D3") {
		t.Errorf("carried items = %q", got)
	}
	// The cheque of August stays open in the next exercice's reconciliation.
	r, _, err := w.app.Rapprochement(ctx, cs, tday("30/09/2026"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range r.NonPointees {
		found = found || e.Piece == "D3"
	}
	if !found {
		t.Errorf("the August cheque is not carried into September: %+v", r.NonPointees)
	}
}

func TestReopeningAValidatedDossierUnlocksTheCRF(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	w.closeBookDirectly()
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if err := w.app.ValidateCRF(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	if err := w.app.ValidateSubsidies(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	if err := w.app.SaveCRA(ctx, cs, ex25, craAnswers(), true); err != nil {
		t.Fatal(err)
	}
	for i, item := range []workflow.ItemKey{workflow.Quitus, workflow.Releve, workflow.Justificatifs} {
		st, err := w.app.Docs().Put(strings.NewReader(fmt.Sprintf("%%PDF-1.4\n%% document %d\n%%%%EOF\n", i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.ReceiveFile(ctx, cs, ex25, item, workflow.SourceWeb, st, string(item)+".pdf"); err != nil {
			t.Fatal(err)
		}
	}
	staff := w.staffScopeOfA(t)
	stamp := workflow.Stamp{At: septNow, By: "Agent (AD)"}
	if _, err := w.app.DossierEvent(ctx, staff, ex25, workflow.DossierValidated{Stamp: stamp}); err != nil {
		t.Fatal(err)
	}
	if st, _ := cs.CRFState(ctx, ex25); st.Status != store.CRFLocked {
		t.Fatalf("validating the dossier left the CRF %s", st.Status)
	}
	// The locked CRF cannot be validated again by the mandataire.
	m := w.login("0310036W")
	wantStatus(t, m.post("/coop/crf/2025-2026/valider", nil), http.StatusUnprocessableEntity)
	if got := text(m.doc(m.get("/coop/crf/2025-2026")), "#crf-statut"); got != "Verrouillé par l'AD" {
		t.Errorf("status shown %q", got)
	}

	s := w.login("staff@a.example")
	wantStatus(t, s.post("/ad/coops/"+itoa(w.coopA.ID)+"/exercices/2025-2026/rouvrir", url.Values{"motif": {"Relevé illisible, refaites le rapprochement"}}),
		http.StatusSeeOther)
	row, d, _ := cs.Dossier(ctx, ex25)
	if d.Validated || row.Status == string(workflow.DossierValide) {
		t.Fatal("the dossier is still validated")
	}
	if it, _ := d.Item(workflow.Cloture); it.Status != workflow.ItemACorriger {
		t.Fatalf("cloture = %s", it.Status)
	}
	if ex, _ := cs.Exercice(ctx, ex25); ex.State != store.ExerciceOpen {
		t.Fatal("the book is still closed")
	}
	if st, _ := cs.CRFState(ctx, ex25); st.Status != store.CRFDraft || st.SubsidiesValidated() {
		t.Fatalf("crf after the reopening = %+v", st)
	}
	// Closing again answers the correction.
	w.countCash()
	w.statementAt("1000")
	wantStatus(t, m.post("/coop/cahier/2025-2026/cloture", nil), http.StatusSeeOther)
	_, d, _ = cs.Dossier(ctx, ex25)
	if it, _ := d.Item(workflow.Cloture); it.Status != workflow.ItemRecu {
		t.Fatalf("cloture after closing again = %s", it.Status)
	}
}
