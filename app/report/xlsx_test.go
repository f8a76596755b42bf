package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// findRow returns the first row of sheet whose column col (0-based) is label.
func findRow(t *testing.T, f *excelize.File, sheet string, col int, label string) []string {
	t.Helper()
	r, _ := findRowIndex(t, f, sheet, col, label)
	return r
}

// findRowIndex is findRow that also gives the row's number (1-based).
func findRowIndex(t *testing.T, f *excelize.File, sheet string, col int, label string) ([]string, int) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > col && r[col] == label {
			return r, i + 1
		}
	}
	t.Fatalf("sheet %s has no row labelled %q", sheet, label)
	return nil, 0
}

// assertAmount checks that a raw cell holds the amount in euros.
func assertAmount(t *testing.T, got string, want money.Money) {
	t.Helper()
	if m, err := money.Parse(got); err != nil || m != want {
		t.Errorf("cell %q, want %s", got, want.Plain())
	}
}

// assertEuroFormat checks that the cell is shown with the euro format.
func assertEuroFormat(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != euroFormat {
		t.Errorf("%s!%s number format = %v, want %s", sheet, cell, st.CustomNumFmt, euroFormat)
	}
}

func TestCRFXLSX(t *testing.T) {
	crf := fixtureCRF()
	var buf bytes.Buffer
	if err := CRFXLSX(&buf, crf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "CRF,Subventions" {
		t.Fatalf("sheets %v", got)
	}
	if r := findRow(t, f, "CRF", 0, "Coopérative"); r[1] != "École élémentaire Jules-Ferry" {
		t.Errorf("coop name %q", r[1])
	}
	assertAmount(t, findRow(t, f, "CRF", 1, "Total des charges")[2], crf.TotalCharges)
	assertAmount(t, findRow(t, f, "CRF", 1, "Total des produits")[2], crf.TotalProduits)
	assertAmount(t, findRow(t, f, "CRF", 1, "Résultat de l'exercice (excédent)")[2], crf.Resultat)
	first, n := findRowIndex(t, f, "CRF", 0, "60600008")
	assertAmount(t, first[2], money.MustParse("1 234,56"))
	assertEuroFormat(t, f, "CRF", fmt.Sprintf("C%d", n))
	assertAmount(t, findRow(t, f, "CRF", 1, "Trésorerie au 31/08/2026")[2], crf.TresorerieFin.Total)
	assertAmount(t, findRow(t, f, "CRF", 1, "Caisse au 31/08/2026")[2], crf.TresorerieFin.Caisse)
	if r := findRow(t, f, "CRF", 1, "Équilibre (report à nouveau ± résultat = trésorerie de fin)"); r[2] != "Oui" {
		t.Errorf("équilibre %q", r[2])
	}

	sub := findRow(t, f, "Subventions", 2, "Mairie de Saint-Gaudens")
	assertAmount(t, sub[3], money.MustParse("1 000,00"))
	if shown, _ := f.GetCellValue("Subventions", "A3"); shown != "12/11/2025" {
		t.Errorf("subsidy date shown as %q, want 12/11/2025", shown)
	}
	assertAmount(t, findRow(t, f, "Subventions", 2, "Total des subventions")[3], money.MustParse("1 500,00"))
}

func fixtureConsolidated() (ledger.Consolidated, []CoopRow) {
	a := fixtureCRF()
	b := fixtureCRF()
	b.UAI, b.Nom = "0310037X", "École maternelle Les Câlins"
	c := ledger.Consolidated{
		AD: "31", Exercice: "2025-2026", Coops: 430, CoopsInclus: 412, Inclus: []string{a.UAI, b.UAI},
		Charges:      []ledger.AccountLine{{Compte: "60600008", Libelle: "Achats de fournitures", Montant: money.MustParse("508 600,12")}},
		Produits:     []ledger.AccountLine{{Compte: "74400008", Libelle: "Subventions de la Commune", Montant: money.MustParse("612 000,00")}},
		TotalCharges: money.MustParse("508 600,12"), TotalProduits: money.MustParse("612 000,00"),
		Resultat:        money.MustParse("103 399,88"),
		TresorerieDebut: ledger.Treasuries{Banque: money.MustParse("1 200 000,00"), Caisse: money.MustParse("15 000,00"), Total: money.MustParse("1 215 000,00")},
		TresorerieFin:   ledger.Treasuries{Banque: money.MustParse("1 300 000,00"), Caisse: money.MustParse("18 399,88"), Total: money.MustParse("1 318 399,88")},
		Exclus: []ledger.Excluded{
			{UAI: "0310099B", Nom: "École de Montréjeau", Raison: "CRF non validé"},
			{UAI: "0310100C", Nom: "École d'Aspet", Raison: "aucun CRF"},
		},
		SubventionsParType: []ledger.AccountLine{{Compte: "74400008", Libelle: "Subventions de la Commune", Montant: money.MustParse("612 000,00")}},
	}
	return c, []CoopRow{CoopRowOf(a, "Saint-Gaudens"), CoopRowOf(b, "Saint-Gaudens")}
}

func TestConsolidatedXLSX(t *testing.T) {
	c, coops := fixtureConsolidated()
	var buf bytes.Buffer
	if err := ConsolidatedXLSX(&buf, c, coops); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Consolidation,Exclues,Coopératives" {
		t.Fatalf("sheets %v", got)
	}
	if r := findRow(t, f, "Consolidation", 0, "Couverture"); !strings.HasPrefix(r[1], "412 / 430 coops") {
		t.Errorf("coverage %q", r[1])
	}
	assertAmount(t, findRow(t, f, "Consolidation", 1, "Total des charges")[2], c.TotalCharges)
	assertAmount(t, findRow(t, f, "Consolidation", 1, "Total des produits")[2], c.TotalProduits)
	assertAmount(t, findRow(t, f, "Consolidation", 1, "Résultat de l'exercice (excédent)")[2], c.Resultat)
	assertAmount(t, findRow(t, f, "Consolidation", 1, "Trésorerie en fin d'exercice")[2], c.TresorerieFin.Total)
	assertAmount(t, findRow(t, f, "Consolidation", 1, "Total des subventions")[2], money.MustParse("612 000,00"))
	if r := findRow(t, f, "Exclues", 0, "0310100C"); r[1] != "École d'Aspet" || r[2] != "aucun CRF" {
		t.Errorf("excluded row %v", r)
	}
	row := findRow(t, f, "Coopératives", 0, "0310037X")
	if row[1] != "École maternelle Les Câlins" {
		t.Errorf("coop row %v", row)
	}
	assertAmount(t, row[6], coops[1].Resultat)
	total := findRow(t, f, "Coopératives", 1, "Total (2 coops)")
	assertAmount(t, total[4], coops[0].TotalCharges+coops[1].TotalCharges)
	assertAmount(t, total[10], coops[0].TresorerieFin.Total+coops[1].TresorerieFin.Total)

	// Without coops, no drill-down sheet.
	buf.Reset()
	if err := ConsolidatedXLSX(&buf, c, nil); err != nil {
		t.Fatal(err)
	}
	f2, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if len(f2.GetSheetList()) != 2 {
		t.Errorf("sheets %v without coops", f2.GetSheetList())
	}
}
