package bank

import "testing"

func TestSuggestOperation(t *testing.T) {
	tests := []struct {
		label, amount               string
		kind, mode, account, cheque string
	}{
		{"FRAIS TENUE DE COMPTE", "-3,50", KindDepense, modePrelevement, "62700008", ""},
		{"COTISATION CARTE AFFAIRES", "-24,00", KindDepense, modePrelevement, "62700008", ""},
		{"COMMISSION INTERVENTION", "-8,00", KindDepense, modePrelevement, "62700008", ""},
		{"AGIOS TRIMESTRIELS", "-1,20", KindDepense, modePrelevement, "62700008", ""},
		{"VIR SEPA MAIRIE DE TOULOUSE SUBVENTION", "500,00", KindRecette, modeVirement, "74400008", ""},
		{"VIREMENT COMMUNE DE BALMA", "300,00", KindRecette, modeVirement, "74400008", ""},
		{"VIR CONSEIL DEPARTEMENTAL HAUTE GARONNE", "250,00", KindRecette, modeVirement, "74300008", ""},
		{"VIR SEPA APE JULES FERRY", "400,00", KindRecette, modeVirement, "75800008", ""},
		{"VIR INST M OU MME DUPONT", "15,00", KindRecette, modeVirement, "", ""},
		{"VIR SEPA AUTOCARS DUPUY", "-320,00", KindDepense, modeVirement, "", ""},
		{"PRLV SEPA OCCE 31", "-245,60", KindDepense, modePrelevement, "62810008", ""},
		{"CB LIBRAIRIE PRIVAT 11/08", "-35,20", KindDepense, modeCarte, "", ""},
		{"CHEQUE 1234567", "-45,00", KindDepense, modeCheque, "", "1234567"},
		{"REMISE CHEQUES 0004512", "120,00", KindRecette, modeRemise, "", ""},
		{"VERSEMENT ESPÈCES", "80,00", KindRecette, modeEspeces, "caisse", ""},
		{"RETRAIT DAB TOULOUSE", "-50,00", KindDepense, modeEspeces, "caisse", ""},
		{"INTERETS CREDITEURS", "2,10", KindRecette, modeVirement, "76000008", ""},
		{"OPERATION DIVERSE", "-9,99", KindDepense, modePrelevement, "", ""},
		{"VIR SEPA FRAIS SORTIE ZOO", "-120,00", KindDepense, modeVirement, "", ""},
		{"COMMISSION SUR OPERATION", "-0,50", KindDepense, modePrelevement, "62700008", ""},
	}
	for _, tt := range tests {
		l := Line{Date: day("2026-08-20"), Label: tt.label + "  ", Amount: eur(tt.amount)}
		s := SuggestOperation(l)
		if s.Kind != tt.kind || s.Mode != tt.mode || s.Account != tt.account || s.Cheque != tt.cheque {
			t.Errorf("%q %s → %s/%s/%q/%q, want %s/%s/%q/%q", tt.label, tt.amount, s.Kind, s.Mode, s.Account, s.Cheque, tt.kind, tt.mode, tt.account, tt.cheque)
		}
		if s.Amount != eur(tt.amount).Abs() || s.Date != day("2026-08-20") || s.Libelle != tt.label {
			t.Errorf("%q: amount %v date %v libellé %q", tt.label, s.Amount, s.Date, s.Libelle)
		}
	}
}

// TestUnmatchedFeeSuggestion is the journey of the issue: a statement line
// of bank fees has no operation in the book, stays unmatched, and the
// suggestion books it on 62700008.
func TestUnmatchedFeeSuggestion(t *testing.T) {
	fee := line(10, "2025-10-31", "FRAIS TENUE DE COMPTE", "-3,50")
	res := Match([]BankLine{fee, line(11, "2025-10-13", "CB LIBRAIRIE PRIVAT", "-35,20")},
		[]Entry{entry(1, "2025-10-11", "-35,20", "carte", "", "Librairie Privat")}, Options{})
	if len(res.Unmatched) != 1 || res.Unmatched[0] != 10 {
		t.Fatalf("unmatched = %v, want [10]", res.Unmatched)
	}
	s := SuggestOperation(fee.Line)
	if s.Account != "62700008" || s.Kind != KindDepense || s.Mode != modePrelevement || s.Amount != eur("3,50") {
		t.Errorf("suggestion = %+v", s)
	}
}
