package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/store"
	"retkoop/workflow"
)

func TestCRFPageValidationsAndDownloads(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	m := w.login("0310036W")

	// Before the closing: a draft from the book, not yet validable.
	res := m.get("/coop/crf/2025-2026")
	wantStatus(t, res, http.StatusOK)
	doc := m.doc(res)
	for sel, want := range map[string]string{
		"#crf-total-charges": "315,50 €", "#crf-total-produits": "842,00 €", "#crf-resultat": "526,50 €",
		"#crf-statut": "Brouillon", "#crf-coop": "École Alpha", "#crf-exercice": "2025-2026",
		`#crf-charges tr[data-compte="62810008"] td.num`: "144,00 €", `#crf-produits tr[data-compte="74400008"] td.num`: "300,00 €",
	} {
		if got := text(doc, sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := text(doc, "#crf-fin"); !strings.Contains(got, "1 540,00 €") || !strings.Contains(got, "6,50 €") || !strings.Contains(got, "1 546,50 €") {
		t.Errorf("treasury at 31/08 = %q", got)
	}
	if got := text(doc, "#crf-debut"); !strings.Contains(got, "1 020,00 €") {
		t.Errorf("treasury at 01/09 = %q", got)
	}
	if got := text(doc, "#crf-subventions tbody"); !strings.Contains(got, "12/11/2025") || !strings.Contains(got, "Mairie de Toulouse") {
		t.Errorf("subsidies = %q", got)
	}
	if got := text(doc, "#crf-problems"); !strings.Contains(got, "pas encore clôturé") {
		t.Errorf("problems = %q", got)
	}
	if _, disabled := doc.Find("#crf-validate").Attr("disabled"); !disabled {
		t.Error("validation offered before the closing")
	}
	if doc.Find("#crf-sections, .crf-section").Length() != 5 {
		t.Errorf("sections = %d", doc.Find(".crf-section").Length())
	}
	wantStatus(t, m.post("/coop/crf/2025-2026/valider", nil), http.StatusUnprocessableEntity)
	wantStatus(t, m.get("/coop/crf/2025-2026/quitus.pdf"), http.StatusUnprocessableEntity)
	if b := body(t, m.get("/coop/crf/2025-2026", "HX-Request", "true")); strings.Contains(b, "<html") {
		t.Error("htmx variant is a whole page")
	}

	w.closeBookDirectly()
	doc = m.doc(m.get("/coop/crf/2025-2026"))
	if _, disabled := doc.Find("#crf-validate").Attr("disabled"); disabled || doc.Find("#crf-problems").Length() != 0 {
		t.Fatal("validation not offered after the closing")
	}
	res = m.post("/coop/crf/2025-2026/valider", nil)
	wantStatus(t, res, http.StatusSeeOther)
	doc = m.doc(m.get(res.Header.Get("Location")))
	if got := text(doc, "#crf-statut"); got != "Validé par le mandataire" {
		t.Errorf("status after validation = %q", got)
	}
	if doc.Find("#crf-notice").Length() != 1 || doc.Find("#subsidies-validate").Length() != 1 {
		t.Error("no notice or no subsidies step after validating the CRF")
	}
	wantStatus(t, m.post("/coop/crf/2025-2026/valider", nil), http.StatusUnprocessableEntity)
	wantStatus(t, m.post("/coop/crf/2025-2026/subventions", nil), http.StatusSeeOther)
	wantStatus(t, m.post("/coop/crf/2025-2026/subventions", nil), http.StatusUnprocessableEntity)
	doc = m.doc(m.get("/coop/crf/2025-2026"))
	if got := text(doc, "#step-subventions"); !strings.Contains(got, "Tableau des subventions validé le") {
		t.Errorf("subsidies step = %q", got)
	}
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	_, d, _ := cs.Dossier(ctx, ex25)
	if it, _ := d.Item(workflow.CRF); it.Status != workflow.ItemRecu || len(d.Subsidies) != 1 {
		t.Fatalf("dossier after the validations: crf %s, subsidies %+v", it.Status, d.Subsidies)
	}

	// Downloads.
	res = m.get("/coop/crf/2025-2026/export?format=json")
	wantStatus(t, res, http.StatusOK)
	var got ledger.CRF
	if err := json.Unmarshal([]byte(body(t, res)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Statut != "valide" || got.TotalProduits != 84200 || got.Resultat != 52650 || got.Source != "cahier" || !got.Equilibre {
		t.Errorf("json = %+v", got)
	}
	for format, magic := range map[string]string{"pdf": "%PDF-", "xlsx": "PK", "csv": "uai;exercice;section"} {
		res := m.get("/coop/crf/2025-2026/export?format=" + format)
		wantStatus(t, res, http.StatusOK)
		if b := body(t, res); !strings.HasPrefix(strings.TrimPrefix(b, "\ufeff"), magic) {
			t.Errorf("%s starts with %q", format, b[:min(len(b), 20)])
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "crf-0310036W-2025-2026."+format) {
			t.Errorf("%s disposition %q", format, cd)
		}
	}
	wantStatus(t, m.get("/coop/crf/2025-2026/export?format=doc"), http.StatusUnprocessableEntity)
	res = m.get("/coop/crf/2025-2026/quitus.pdf")
	wantStatus(t, res, http.StatusOK)
	quitus := []byte(body(t, res))
	if !bytes.HasPrefix(quitus, []byte("%PDF-")) {
		t.Fatal("quitus is not a PDF")
	}

	// The quitus carries the coop, the balances and a QR code naming the
	// coop, the exercice and the document.
	flat := strings.Join(strings.Fields(extractPDFText(t, quitus)), " ")
	for _, want := range []string{"Commission de contrôle des comptes", "École Alpha", "0310036W", "Exercice 2025-2026",
		"1 540,00 €", "6,50 €", "1 546,50 €", "OCCE 31"} {
		if !strings.Contains(flat, want) {
			t.Errorf("quitus text lacks %q", want)
		}
	}
	qr := decodePDFQR(t, quitus)
	if qr.UAI != "0310036W" || qr.Exercice != "2025-2026" || qr.Type != report.TypeQuitus {
		t.Errorf("quitus QR = %+v", qr)
	}

	// The past exercice stays browsable from the home page.
	doc = m.doc(m.get("/coop"))
	if doc.Find(`#exercices a[href="/coop/crf/2025-2026"]`).Length() != 1 {
		t.Error("no link to the CRF from the coop home")
	}
	if doc := m.doc(m.get("/coop/cahier/2025-2026")); doc.Find(`#book-head a[href="/coop/crf/2025-2026"]`).Length() != 1 {
		t.Error("no link to the CRF from the book")
	}
	s := w.login("staff@a.example")
	res = s.get("/ad/coops/" + itoa(w.coopA.ID) + "/exercices/2025-2026/crf?format=json")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(body(t, res), `"statut": "valide"`) {
		t.Error("staff export lacks the status")
	}
	if st, _ := cs.CRFState(ctx, ex25); st.Status != store.CRFValid {
		t.Fatalf("state = %s", st.Status)
	}
}
