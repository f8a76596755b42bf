package apptest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestConsolidationPages: coop A's validated CRF is the whole AD's
// accounts (1 / 2 coops), A2 is listed as left out with its reason, the
// downloads carry the same figures, the chart is an SVG; AD B's coop is
// nowhere.
func TestConsolidationPages(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return octNow }
	ctx := context.Background()
	w.closingYear()
	w.closeBookDirectly()
	if err := w.app.ValidateCRF(ctx, w.coopScopeOf(w.coopA), ex25); err != nil {
		t.Fatal(err)
	}
	staff := w.login("staff@a.example")
	res := staff.get("/ad/consolidation?exercice=2025-2026")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", res.StatusCode)
	}
	doc := staff.doc(res)
	if got := doc.Find("#coverage-count").Text(); got != "1 / 2 coops" {
		t.Errorf("coverage %q", got)
	}
	if got := plainText(doc.Find("#cons-resultat").Text()); got != "526,50 €" {
		t.Errorf("résultat %q", got)
	}
	if got := plainText(doc.Find("#cons-fin").Text()); !strings.Contains(got, "1 540,00 €") || !strings.Contains(got, "6,50 €") {
		t.Errorf("treasury at 31 August %q", got)
	}
	if href, _ := doc.Find("#cons-included a").Attr("href"); href != "/ad/coops/"+itoa(w.coopA.ID)+"/exercices/2025-2026" {
		t.Errorf("drill-down to %q", href)
	}
	if got := doc.Find("#cons-excluded").Text(); !strings.Contains(got, "0310100R") || !strings.Contains(got, "non validé par le mandataire") {
		t.Errorf("left out: %q", got)
	}
	if doc.Find("#progress svg[role=img]").Length() != 1 {
		t.Error("no progress chart")
	}
	if strings.Contains(doc.Text(), "Victime") {
		t.Error("AD B's coop in AD A's accounts")
	}
	res = staff.get("/ad/consolidation/export?exercice=2025-2026&format=xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "comptes-consolides-31-2025-2026.xlsx") {
		t.Fatalf("xlsx: %d %v", res.StatusCode, res.Header)
	}
	f, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Consolidation", "B4"); !strings.Contains(v, "1 / 2 coops") {
		t.Errorf("xlsx coverage cell %q", v)
	}
	res = staff.get("/ad/consolidation/export?exercice=2025-2026&format=csv")
	if b := body(t, res); !strings.Contains(b, ";resultat;;") || !strings.Contains(b, ";526,50\r\n") || !strings.Contains(b, "coops_inclus") {
		t.Errorf("csv:\n%s", b)
	}
	if res := staff.get("/ad/consolidation/export?exercice=2025-2026&format=pdf"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown format: %d", res.StatusCode)
	}
	res = staff.get("/ad/consolidation/avancement.svg?exercice=2025-2026")
	if b := body(t, res); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(b, "<svg") {
		t.Errorf("chart: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res := staff.get("/ad/consolidation?exercice=2025"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad exercice: %d", res.StatusCode)
	}
}
