package apptest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func checkStatus(doc *goquery.Document, key string) string {
	s, _ := doc.Find("#check-" + key).Attr("data-status")
	return s
}

// TestDossierReviewShowsTheCrossChecks: on coop A's dossier the staff see
// the CRF, the CRA and the cross-checks; the subsidies turn green once the
// tableau is validated and its proof received, the rest is green from the
// start (statement, cash count and book agree).
func TestDossierReviewShowsTheCrossChecks(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	ctx := context.Background()
	w.closingYear()
	// A statement without lines: every bank operation of the book is still
	// to be ticked (+540 €), so the statement's 1 000 € explain the book's
	// 1 540 €.
	w.statementAt("1000")
	w.countCash()
	staff := w.login("staff@a.example")
	page := "/ad/coops/" + itoa(w.coopA.ID) + "/dossier/2025-2026"
	res := staff.get(page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dossier page: %d", res.StatusCode)
	}
	doc := staff.doc(res)
	for key, want := range map[string]string{"equilibre": "ok", "ouverture": "ok", "banque": "ok", "subventions": "ko", "caisse": "ok", "regies": "ok"} {
		if got := checkStatus(doc, key); got != want {
			t.Errorf("check %s: %s, want %s (%s)", key, got, want, doc.Find("#check-"+key).Text())
		}
	}
	if got := plainText(doc.Find("#check-banque").Text()); !strings.Contains(got, "1 000,00") || !strings.Contains(got, "540,00") {
		t.Errorf("bank check figures: %q", got)
	}
	if got := doc.Find("#dossier-crf #crf-total-produits").Text(); got != "842,00 €" && got != "842,00\u00a0€" {
		t.Errorf("CRF shown with produits %q", got)
	}
	if doc.Find("#dossier-cra").Length() != 1 {
		t.Error("no CRA section")
	}

	w.closeBookDirectly()
	cs := w.coopScopeOf(w.coopA)
	if err := w.app.ValidateCRF(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	if err := w.app.ValidateSubsidies(ctx, cs, ex25); err != nil {
		t.Fatal(err)
	}
	doc = staff.doc(staff.get(page))
	if got := doc.Find("#check-subventions").Text(); checkStatus(doc, "subventions") != "ko" || !strings.Contains(got, "0 justificatif(s) reçu(s) sur 1") {
		t.Errorf("subsidy without proof: %q", got)
	}
	if !strings.Contains(doc.Find("#dossier-checks").Text(), "validé par le mandataire") {
		t.Error("the CRF's state is not shown")
	}
	mand := w.login("0310036W")
	if res := mand.upload("/coop/dossier/2025-2026/elements/justificatifs_subventions/documents", "mairie.pdf", pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("proof upload: %d", res.StatusCode)
	}
	doc = staff.doc(staff.get(page))
	if checkStatus(doc, "subventions") != "ok" || doc.Find(`#dossier-checks [data-status="ko"]`).Length() != 0 {
		t.Errorf("checks after the proof: %s", doc.Find("#dossier-checks").Text())
	}
	// The mandataire's dossier page has no staff review.
	if d := mand.doc(mand.get("/coop/dossier/2025-2026")); d.Find("#dossier-checks").Length() != 0 {
		t.Error("the mandataire sees the staff's cross-checks")
	}
}
