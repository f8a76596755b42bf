package ledger

import "testing"

func TestRegieValidate(t *testing.T) {
	tests := []struct {
		name string
		r    Regie
		want string
	}{
		{"ok", Regie{ID: "CE1", Label: "Mme Martin"}, ""},
		{"accents and dash", Regie{ID: "CP-Élodie_2", Label: "CP"}, ""},
		{"empty code", Regie{Label: "CP"}, "obligatoire"},
		{"space", Regie{ID: "CE 1", Label: "CP"}, "sans espace"},
		{"colon", Regie{ID: "CE:1", Label: "CP"}, "pas « : »"},
		{"semicolon", Regie{ID: "CE;1", Label: "CP"}, "pas « ; »"},
		{"too long", Regie{ID: "ABCDEFGHIJKLMNOPQRSTU", Label: "CP"}, "20 caractères"},
		{"no label", Regie{ID: "CE1"}, "l'enseignant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantContains(t, tt.r.Validate(), tt.want) })
	}
}

func TestUnsettledRegies(t *testing.T) {
	ce1, cp := Regie{ID: "CE1", Label: "Mme A"}, Regie{ID: "CP", Label: "M. B"}
	closing := Balances{Banque: eur("100"), ce1.Treasury(): eur("12,50"), RegieTreasury("CM2"): eur("-3")}
	got := UnsettledRegies([]Regie{ce1, cp}, closing)
	if len(got) != 2 {
		t.Fatalf("problems = %+v", got)
	}
	wantContains(t, errString(got[0].Message), "la régie « CE1 » n'est pas soldée : il reste 12,50")
	wantContains(t, errString(got[1].Message), "la régie « CM2 » n'est pas soldée : elle a dépensé 3,00")
	if got[0].Code != ProblemRegie {
		t.Errorf("code = %s", got[0].Code)
	}
	if UnsettledRegies([]Regie{cp}, Balances{cp.Treasury(): 0}) != nil {
		t.Error("a settled régie is reported")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
