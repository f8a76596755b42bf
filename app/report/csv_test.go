package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"retkoop/app/money"
)

// readCSV checks the BOM and parses a ';'-separated file into records keyed
// by header name.
func readCSV(t *testing.T, b []byte, header []string) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(utf8BOM)) {
		t.Fatal("CSV does not start with the UTF-8 BOM")
	}
	r := csv.NewReader(bytes.NewReader(b[len(utf8BOM):]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v", err)
	}
	if strings.Join(recs[0], ";") != strings.Join(header, ";") {
		t.Fatalf("header %v, want %v", recs[0], header)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range header {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// only returns the records of one section.
func only(recs []map[string]string, section string) []map[string]string {
	var out []map[string]string
	for _, r := range recs {
		if r["section"] == section {
			out = append(out, r)
		}
	}
	return out
}

func TestCRFCSV(t *testing.T) {
	crf := fixtureCRF()
	var buf bytes.Buffer
	if err := CRFCSV(&buf, crf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("lines are not CRLF-terminated")
	}
	recs := readCSV(t, buf.Bytes(), CRFCSVHeader)
	for _, r := range recs {
		if r["uai"] != "0310036W" || r["exercice"] != "2025-2026" {
			t.Fatalf("row without its coop and exercice: %v", r)
		}
		if strings.ContainsAny(r["montant"], " \u00a0.€") {
			t.Errorf("amount %q is not plain French notation", r["montant"])
		}
	}
	// Summing the account rows read back gives the totals: the file is
	// usable as data, not only as a print-out.
	var charges, produits money.Money
	for _, r := range only(recs, SectionCharge) {
		charges += money.MustParse(r["montant"])
	}
	for _, r := range only(recs, SectionProduit) {
		produits += money.MustParse(r["montant"])
	}
	if charges != crf.TotalCharges || produits != crf.TotalProduits {
		t.Errorf("sums %s / %s, want %s / %s", charges, produits, crf.TotalCharges, crf.TotalProduits)
	}
	check := func(section, compte string, want money.Money) {
		t.Helper()
		for _, r := range only(recs, section) {
			if r["compte"] == compte {
				if got := money.MustParse(r["montant"]); got != want {
					t.Errorf("%s/%s = %s, want %s", section, compte, got, want)
				}
				return
			}
		}
		t.Errorf("no row %s/%s", section, compte)
	}
	check(SectionTotalCharges, "", crf.TotalCharges)
	check(SectionTotalProduits, "", crf.TotalProduits)
	check(SectionResultat, "", crf.Resultat)
	check(SectionTresorerieDebut, "total", crf.TresorerieDebut.Total)
	check(SectionTresorerieFin, "banque", crf.TresorerieFin.Banque)
	check(SectionTresorerieFin, "caisse", crf.TresorerieFin.Caisse)
	if got := only(recs, SectionCharge)[0]; got["montant"] != "1234,56" || got["libelle"] != crf.Charges[0].Libelle {
		t.Errorf("first charge %v", got)
	}
	subs := only(recs, SectionSubvention)
	if len(subs) != 2 || subs[1]["libelle"] != "Communauté de communes Cœur et Coteaux du Comminges" ||
		subs[0]["date"] != "12/11/2025" || subs[1]["montant"] != "500,00" {
		t.Errorf("subsidies %v", subs)
	}
}

func TestCRFCSVQuotesSeparators(t *testing.T) {
	crf := fixtureCRF()
	crf.Charges[0].Libelle = `Sortie "cinéma"; goûter`
	var buf bytes.Buffer
	if err := CRFCSV(&buf, crf); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes(), CRFCSVHeader)
	if got := only(recs, SectionCharge)[0]["libelle"]; got != crf.Charges[0].Libelle {
		t.Errorf("libellé read back as %q", got)
	}
}

func TestConsolidatedCSV(t *testing.T) {
	c, _ := fixtureConsolidated()
	var buf bytes.Buffer
	if err := ConsolidatedCSV(&buf, c); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes(), ConsolidatedCSVHeader)
	find := func(section, code string) map[string]string {
		t.Helper()
		for _, r := range only(recs, section) {
			if r["code"] == code {
				return r
			}
		}
		t.Fatalf("no row %s/%s", section, code)
		return nil
	}
	if find(SectionCouverture, "coops")["valeur"] != "430" || find(SectionCouverture, "coops_inclus")["valeur"] != "412" {
		t.Error("coverage counts wrong")
	}
	if !strings.Contains(find(SectionCouverture, "coops_inclus")["libelle"], "412 / 430 coops") {
		t.Error("coverage sentence missing")
	}
	for section, want := range map[string]money.Money{
		SectionTotalCharges: c.TotalCharges, SectionTotalProduits: c.TotalProduits, SectionResultat: c.Resultat,
	} {
		if got := money.MustParse(find(section, "")["valeur"]); got != want {
			t.Errorf("%s = %s, want %s", section, got, want)
		}
	}
	if got := find(SectionTresorerieFin, "total")["valeur"]; got != "1318399,88" {
		t.Errorf("closing treasury %q", got)
	}
	if got := find(SectionSubventionType, "74400008")["valeur"]; got != "612000,00" {
		t.Errorf("subsidies by type %q", got)
	}
	if r := find(SectionExclue, "0310099B"); r["libelle"] != "École de Montréjeau" || r["valeur"] != "CRF non validé" {
		t.Errorf("excluded %v", r)
	}
	for _, r := range recs {
		if r["ad"] != "31" || r["exercice"] != "2025-2026" {
			t.Fatalf("row without AD and exercice: %v", r)
		}
	}
}
