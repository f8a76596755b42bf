package ledger

import "testing"

// TestProblemCodeValues pins the values: templates compare them as strings
// (crf.html links "cloture" and "saisie" to the page that fixes them) and
// the app sorts the closing checklist by them.
func TestProblemCodeValues(t *testing.T) {
	tests := []struct {
		code ProblemCode
		want string
	}{
		{ProblemDates, "dates"},
		{ProblemVentilation, "ventilation"},
		{ProblemIdentite, "identite"},
		{ProblemCaisseNeg, "caisse_negative"},
		{ProblemRegieNeg, "regie_negative"},
		{ProblemRegie, "regie_non_soldee"},
		{ProblemRapprochement, "rapprochement"},
		{ProblemArreteCaisse, "arrete_caisse"},
		{ProblemDeclaration, "declaration"},
		{ProblemCloture, "cloture"},
		{ProblemSaisie, "saisie"},
		{ProblemCompte, "compte"},
		{ProblemMontant, "montant"},
		{ProblemOuverture, "ouverture"},
		{ProblemSubventions, "subventions"},
	}
	seen := map[ProblemCode]bool{}
	for _, tt := range tests {
		if string(tt.code) != tt.want {
			t.Errorf("%q, want %q", tt.code, tt.want)
		}
		if seen[tt.code] {
			t.Errorf("%q used twice", tt.code)
		}
		seen[tt.code] = true
	}
}
