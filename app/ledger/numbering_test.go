package ledger

import (
	"strings"
	"testing"
)

func TestNextPiece(t *testing.T) {
	tests := []struct {
		existing string
		kind     Kind
		want     string
	}{
		{"", Depense, "1"},
		{"1,2,3", Depense, "4"},
		{"1,3,2", Recette, "4"},
		{"9", Depense, "10"},
		{"R01,D01,R02", Recette, "R03"},
		{"R01,D01,R02", Depense, "D02"},
		{"R01,D01,R02", Transfert, "T01"},
		{"R01,R02", Depense, "D01"},
		{"r07,d01", Recette, "r08"},
		{"R09,D01", Recette, "R10"},
		{"2025-017", Depense, "2025-018"},
		{"2025-001,2025-099", Recette, "2025-100"},
		{"2025-999", Recette, "2025-1000"},
		{"F12,F3", Recette, "F13"},
		{"A1,B7,A2", Recette, "A3"}, // no kind style: continue the latest series
		{"facture,3", Depense, "4"}, // pièces without a number are ignored
		{"facture", Depense, "1"},
		{"007", Depense, "008"},
	}
	for _, tt := range tests {
		var ex []string
		if tt.existing != "" {
			ex = strings.Split(tt.existing, ",")
		}
		if got := NextPiece(ex, tt.kind); got != tt.want {
			t.Errorf("NextPiece(%q, %s) = %q, want %q", tt.existing, tt.kind, got, tt.want)
		}
	}
}

func TestNextCheque(t *testing.T) {
	tests := []struct {
		existing []string
		want     string
	}{
		{nil, ""},
		{[]string{"", "abc"}, ""},
		{[]string{"1234567"}, "1234568"},
		{[]string{"0001234", "0001236", "0001235"}, "0001237"},
		{[]string{"0009999"}, "0010000"},
		{[]string{"999"}, "1000"},
		{[]string{"123 4567", "1234560"}, "1234568"},
		{[]string{"CHQ12", "40"}, "41"},
	}
	for _, tt := range tests {
		if got := NextCheque(tt.existing); got != tt.want {
			t.Errorf("NextCheque(%q) = %q, want %q", tt.existing, got, tt.want)
		}
	}
}
