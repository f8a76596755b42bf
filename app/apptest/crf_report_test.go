package apptest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"retkoop/app/report"
)

// rawRow is one line of the fixture book, as typed in the CSV file; the
// expected CRF is summed from these rows by the test itself, not by the
// code under test.
type rawRow struct {
	date, piece, libelle, mode, cheque, treasury, account string
	recette, depense                                      int64 // cents
}

var fixtureRows = []rawRow{
	{"02/09/2025", "R1", "Cotisations des familles", "remise", "", "banque", "75600008", 125000, 0},
	{"03/09/2025", "R2", "Vente de gâteaux", "especes", "", "caisse", "70810008", 3550, 0},
	{"10/10/2025", "D1", "OCCE cotisation et assurance", "cheque", "0012345", "banque", "62810008", 0, 18000},
	{"10/10/2025", "D1", "OCCE cotisation et assurance", "cheque", "0012345", "banque", "61681008", 0, 4500},
	{"12/10/2025", "T1", "Dépôt d'espèces", "especes", "", "caisse", "banque", 0, 3000},
	{"12/11/2025", "S1", "Subvention mairie", "virement", "", "banque", "74400008", 50000, 0},
	{"15/01/2026", "S2", "Subvention département", "virement", "", "banque", "74300008", 25000, 0},
	{"03/03/2026", "D2", "Car et entrées de la sortie", "cheque", "0012346", "banque", "62480008", 0, 42000},
	{"03/03/2026", "D2", "Car et entrées de la sortie", "cheque", "0012346", "banque", "62510008", 0, 31040},
	{"20/06/2026", "R3", "Kermesse", "especes", "", "caisse", "70810008", 61230, 0},
	{"21/06/2026", "T2", "Dépôt de la kermesse", "especes", "", "caisse", "banque", 0, 60000},
	{"25/06/2026", "D3", "Livres de la bibliothèque", "carte", "", "banque", "61810008", 0, 8990},
	{"30/06/2026", "D4", "Frais bancaires", "prelevement", "", "banque", "62700008", 0, 1200},
}

// fixtureOpening is ledgerCLI's coop A opening: 100 € bank, 10 € cash.
var fixtureOpening = map[string]int64{"banque": 10000, "caisse": 1000}

func fixtureCSV() string {
	var b strings.Builder
	b.WriteString("date;piece;libelle;mode;cheque;tresorerie;compte;recette;depense;pointage\n")
	cell := func(c int64) string {
		if c == 0 {
			return ""
		}
		return fmt.Sprintf("%d,%02d", c/100, c%100)
	}
	for _, r := range fixtureRows {
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s;%s;%s;%s;\n", r.date, r.piece, r.libelle, r.mode, r.cheque, r.treasury, r.account,
			cell(r.recette), cell(r.depense))
	}
	return b.String()
}

// crfJSON is the contract's CRF, decoded without the app's types.
type crfJSON struct {
	UAI, Nom, Exercice, Debut, Fin, Source, Statut string
	Charges, Produits                              []struct {
		Compte, Libelle string
		Montant         int64
	}
	TotalCharges    int64 `json:"total_charges"`
	TotalProduits   int64 `json:"total_produits"`
	Resultat        int64
	TresorerieDebut struct{ Banque, Caisse, Total int64 } `json:"tresorerie_debut"`
	TresorerieFin   struct{ Banque, Caisse, Total int64 } `json:"tresorerie_fin"`
	Subventions     []struct {
		Date, Compte, Financeur string
		Montant                 int64
	}
	Equilibre bool
}

// expectedFromRows sums the fixture rows by hand.
func expectedFromRows() (charges, produits map[string]int64, fin map[string]int64, subsidies []string) {
	charges, produits, fin = map[string]int64{}, map[string]int64{}, map[string]int64{}
	for k, v := range fixtureOpening {
		fin[k] = v
	}
	for _, r := range fixtureRows {
		switch {
		case r.account == "banque" || r.account == "caisse": // internal transfer
			fin[r.treasury] -= r.depense
			fin[r.account] += r.depense
		case r.recette > 0:
			produits[r.account] += r.recette
			fin[r.treasury] += r.recette
		default:
			charges[r.account] += r.depense
			fin[r.treasury] -= r.depense
		}
		if strings.HasPrefix(r.account, "74") {
			iso := r.date[6:] + "-" + r.date[3:5] + "-" + r.date[:2]
			subsidies = append(subsidies, fmt.Sprintf("%s %s %s %d", iso, r.account, r.libelle, r.recette))
		}
	}
	return charges, produits, fin, subsidies
}

func sum(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}

// frEUR writes cents the way the PDF prints them, with plain spaces.
func frEUR(c int64) string {
	s := fmt.Sprintf("%d", c/100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return fmt.Sprintf("%s,%02d €", s, c%100)
}

func TestReportCRFMatchesTheRawOperations(t *testing.T) {
	env, _, _ := ledgerCLI(t)
	if code, _, errs := ledgerRun(t, env, []byte(fixtureCSV()), "--uai", "0310036W", "--exercice", ex25); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := runCLI(env, "report", "crf", "--uai", "0310036w", "--exercice", ex25, "--format", "json")
	if code != 0 {
		t.Fatalf("report crf: exit %d: %s", code, errs)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"uai", "nom", "exercice", "debut", "fin", "source", "charges", "produits", "total_charges",
		"total_produits", "resultat", "tresorerie_debut", "tresorerie_fin", "subventions", "equilibre", "statut"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("the JSON lacks the contract's key %q", k)
		}
	}
	var got crfJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	charges, produits, fin, subsidies := expectedFromRows()
	if got.UAI != "0310036W" || got.Nom != "École Alpha" || got.Exercice != ex25 || got.Debut != "2025-09-01" ||
		got.Fin != "2026-08-31" || got.Source != "cahier" || got.Statut != "brouillon" || !got.Equilibre {
		t.Errorf("header = %+v", got)
	}
	check := func(what string, lines []struct {
		Compte, Libelle string
		Montant         int64
	}, want map[string]int64) {
		codes := make([]string, 0, len(want))
		for c := range want {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		if len(lines) != len(codes) {
			t.Fatalf("%s: %d lines, want %d", what, len(lines), len(codes))
		}
		for i, c := range codes {
			if lines[i].Compte != c || lines[i].Montant != want[c] || lines[i].Libelle == "" {
				t.Errorf("%s[%d] = %+v, want %s %d", what, i, lines[i], c, want[c])
			}
		}
	}
	check("charges", got.Charges, charges)
	check("produits", got.Produits, produits)
	if got.TotalCharges != sum(charges) || got.TotalProduits != sum(produits) || got.Resultat != sum(produits)-sum(charges) {
		t.Errorf("totals = %d %d %d, want %d %d %d", got.TotalCharges, got.TotalProduits, got.Resultat,
			sum(charges), sum(produits), sum(produits)-sum(charges))
	}
	if got.TresorerieDebut.Banque != 10000 || got.TresorerieDebut.Caisse != 1000 || got.TresorerieDebut.Total != 11000 {
		t.Errorf("tresorerie_debut = %+v", got.TresorerieDebut)
	}
	if got.TresorerieFin.Banque != fin["banque"] || got.TresorerieFin.Caisse != fin["caisse"] ||
		got.TresorerieFin.Total != fin["banque"]+fin["caisse"] {
		t.Errorf("tresorerie_fin = %+v, want %v", got.TresorerieFin, fin)
	}
	var subs []string
	for _, s := range got.Subventions {
		subs = append(subs, fmt.Sprintf("%s %s %s %d", s.Date, s.Compte, s.Financeur, s.Montant))
	}
	if strings.Join(subs, "|") != strings.Join(subsidies, "|") {
		t.Errorf("subventions = %v, want %v", subs, subsidies)
	}

	// The PDF prints the same figures, and its QR code names the coop,
	// the exercice and the document.
	code, pdf, errs := runCLI(env, "report", "crf", "--uai", "0310036W", "--exercice", ex25, "--format", "pdf")
	if code != 0 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("pdf: exit %d: %s", code, errs)
	}
	text := extractPDFText(t, []byte(pdf))
	for _, want := range []string{"Compte-rendu financier", "École Alpha", "0310036W", "Exercice 2025-2026",
		frEUR(sum(charges)), frEUR(sum(produits)), frEUR(sum(produits) - sum(charges)), frEUR(fin["banque"]), frEUR(fin["caisse"]),
		frEUR(fin["banque"] + fin["caisse"]), frEUR(charges["62480008"]), "Subvention mairie", frEUR(50000), "BROUILLON"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	qr := decodePDFQR(t, []byte(pdf))
	if qr.UAI != "0310036W" || qr.Exercice != ex25 || qr.Type != report.TypeCRF || len(qr.Hash) != 8 {
		t.Errorf("QR = %+v", qr)
	}

	for format, prefix := range map[string]string{"xlsx": "PK", "csv": "uai;exercice;section"} {
		code, out, errs := runCLI(env, "report", "crf", "--uai", "0310036W", "--exercice", ex25, "--format", format)
		if code != 0 || !strings.HasPrefix(strings.TrimPrefix(out, "\ufeff"), prefix) {
			t.Errorf("%s: exit %d, %q: %s", format, code, out[:min(20, len(out))], errs)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--uai", "0310036W", "--exercice", ex25, "--format", "odt"}, "format « odt » inconnu"},
		{[]string{"--uai", "0319999X", "--exercice", ex25}, "aucune coopérative d'UAI"},
		{[]string{"--uai", "0310036W", "--exercice", "2019-2020"}, "n'a pas d'exercice 2019-2020"},
		{[]string{"--uai", "0310036W"}, "il faut --uai UAI et --exercice"},
		{[]string{"--uai", "0310036W", "--exercice", "2025"}, "exercice invalide"},
	} {
		code, _, errs := runCLI(env, append([]string{"report", "crf"}, tc.args...)...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q, want %q", tc.args, code, errs, tc.want)
		}
	}
	if code, out, _ := runCLI(env, "report", "crf", "--help"); code != 0 || !strings.Contains(out, "report crf --uai") {
		t.Errorf("--help: %d %q", code, out)
	}
}
