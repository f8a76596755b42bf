package apptest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/workflow"
)

// enteredForm is coop A2's CRF typed in the form: 1 000 € + 20 € at the
// opening, 200 € of supplies, 300 € of subsidy from the commune.
func enteredForm(finBanque string) url.Values {
	return url.Values{"debut_banque": {"1000,00"}, "debut_caisse": {"20"}, "fin_banque": {finBanque}, "fin_caisse": {"20,00"},
		"compte_60600008": {"200"}, "compte_74400008": {"300,00"},
		"sub_date": {"2025-11-12", ""}, "sub_compte": {"74400008", "74100008"}, "sub_financeur": {"Mairie de Muret", ""},
		"sub_montant": {"300", ""}}
}

func TestCRFEnteredDirectlyThroughHTTP(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	ctx := context.Background()
	ad, _ := w.db.ForAD(ctx, w.adA.ID, nil)
	if err := ad.UpdateCoop(ctx, w.coopA2.ID, store.CoopParams{Name: w.coopA2.Name, Status: "active", BookMode: store.BookEntered}); err != nil {
		t.Fatal(err)
	}
	cs := w.coopScopeOf(w.coopA2)
	m := w.login("0310100R")

	res := m.get("/coop/crf/2025-2026/saisie")
	wantStatus(t, res, http.StatusOK)
	doc := m.doc(res)
	if v, _ := doc.Find("#e-debut_banque").Attr("value"); v != "1000,00" {
		t.Errorf("opening not prefilled from the AD's balances: %q", v)
	}
	if doc.Find("#e-compte_60600008").Length() != 1 || doc.Find("#e-compte_75600008").Length() != 1 || doc.Find("#entry-problems").Length() != 0 {
		t.Fatal("the form lacks the chart's accounts, or complains before anything was typed")
	}
	wantStatus(t, m.get("/coop/cahier/2025-2026/cloture"), http.StatusFound) // no book to close

	bad := enteredForm("1100")
	bad.Set("compte_60600008", "douze euros")
	res = m.post("/coop/crf/2025-2026/saisie", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = m.doc(res)
	if got := text(doc, "#e-compte_60600008-err"); !strings.Contains(got, "Montant illisible") {
		t.Errorf("field error = %q", got)
	}
	if v, _ := doc.Find("#e-compte_60600008").Attr("value"); v != "douze euros" {
		t.Errorf("typed value lost: %q", v)
	}
	if st, _ := cs.CRFState(ctx, ex25); st.ID != 0 {
		t.Fatal("an unreadable form was saved")
	}

	wantStatus(t, m.post("/coop/crf/2025-2026/saisie", enteredForm("1090")), http.StatusSeeOther)
	doc = m.doc(m.get("/coop/crf/2025-2026/saisie?saisie=1"))
	if got := text(doc, "#entry-problems"); !strings.Contains(got, "ne s'équilibrent pas") || !strings.Contains(got, "écart de -10,00 €") {
		t.Errorf("problems = %q", got)
	}
	if v, _ := doc.Find("#s-fin-0").Attr("value"); v != "Mairie de Muret" {
		t.Errorf("subsidy row not shown back: %q", v)
	}
	wantStatus(t, m.post("/coop/crf/2025-2026/valider", nil), http.StatusUnprocessableEntity)

	wantStatus(t, m.post("/coop/crf/2025-2026/saisie", enteredForm("1100")), http.StatusSeeOther)
	doc = m.doc(m.get("/coop/crf/2025-2026"))
	if got := text(doc, "#crf-head"); !strings.Contains(got, "saisi directement") {
		t.Errorf("head = %q", got)
	}
	if text(doc, "#crf-resultat") != "100,00 €" || doc.Find("#crf-problems").Length() != 0 {
		t.Fatalf("résultat %q, problems %q", text(doc, "#crf-resultat"), text(doc, "#crf-problems"))
	}
	wantStatus(t, m.post("/coop/crf/2025-2026/valider", nil), http.StatusSeeOther)
	wantStatus(t, m.post("/coop/crf/2025-2026/subventions", nil), http.StatusSeeOther)

	res = m.get("/coop/crf/2025-2026/export?format=json")
	var got ledger.CRF
	if err := json.Unmarshal([]byte(body(t, res)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Source != "saisie" || got.Statut != "valide" || got.TresorerieFin.Total != money.MustParse("1120") ||
		len(got.Subventions) != 1 || got.Subventions[0].Financeur != "Mairie de Muret" {
		t.Fatalf("json = %+v", got)
	}
	next, err := cs.Exercice(ctx, "2026-2027")
	if err != nil || next.OpeningBank != money.MustParse("1100") || next.OpeningCash != money.MustParse("20") {
		t.Fatalf("next exercice = %+v, %v", next, err)
	}
	_, d, _ := cs.Dossier(ctx, ex25)
	if it, _ := d.Item(workflow.CRF); it.Status != workflow.ItemRecu || len(d.Subsidies) != 1 {
		t.Fatalf("dossier: crf %s, subsidies %+v", it.Status, d.Subsidies)
	}
	if _, ok := d.Item(workflow.Cloture); ok {
		t.Error("a coop without a book has a closing item")
	}
	doc = m.doc(m.get("/coop/crf/2025-2026/saisie"))
	if doc.Find("#entry-frozen").Length() != 1 || doc.Find("#entry-crf-form").Length() != 0 {
		t.Fatal("the validated figures are still editable")
	}
	res = m.post("/coop/crf/2025-2026/saisie", enteredForm("1200"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(body(t, res), "est validé") {
		t.Error("the refusal is not explained")
	}
	wantStatus(t, m.get("/coop/crf/2025-2026/quitus.pdf"), http.StatusOK)

	// A coop keeping its book has no entry form.
	a := w.login("0310036W")
	res = a.get("/coop/crf/2025-2026/saisie")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/coop/crf/2025-2026" {
		t.Fatalf("book coop on the entry form: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}
