package ledger

import (
	"testing"
	"time"

	"retkoop/app/money"
)

func totalsFixture() []Operation {
	affil := dep(1, "03/10/2025", "1", Banque, "100", "62810008")
	affil.Lines = []Line{{"62810008", eur("80")}, {"61681008", eur("20")}}
	sortie := dep(2, "10/10/2025", "2", Banque, "250", "62510008")
	sortie.Project = "Classe verte"
	part := rec(3, "05/10/2025", "3", Caisse, "180", "70800008")
	part.Project = "Classe verte"
	sub := rec(4, "12/11/2025", "4", Banque, "500", "74400008")
	sub.Libelle = "Subvention mairie"
	tick := day("30/11/2025")
	sub.Ticked = &tick
	return []Operation{affil, sortie, part, sub, xfer(5, "06/10/2025", "5", Caisse, Banque, "180")}
}

func TestComputeTotals(t *testing.T) {
	tot := ComputeTotals(totalsFixture())
	if tot.Recettes != eur("680") || tot.Depenses != eur("350") || tot.Resultat() != eur("330") {
		t.Errorf("totals = %v %v %v", tot.Recettes, tot.Depenses, tot.Resultat())
	}
	want := []AccountTotal{{"61681008", eur("20")}, {"62510008", eur("250")}, {"62810008", eur("80")},
		{"70800008", eur("180")}, {"74400008", eur("500")}}
	got := tot.Accounts()
	if len(got) != len(want) {
		t.Fatalf("Accounts = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Accounts[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	cv := tot.ByProject["Classe verte"]
	if cv.Recettes != eur("180") || cv.Depenses != eur("250") || cv.Resultat() != -eur("70") {
		t.Errorf("project = %+v", cv)
	}
	if none := tot.ByProject[""]; none.Recettes != eur("500") || none.Depenses != eur("100") {
		t.Errorf("no project = %+v", none)
	}
	if ps := tot.Projects(); len(ps) != 1 || ps[0] != "Classe verte" {
		t.Errorf("Projects = %v", ps)
	}
}

func TestTotalsFromLinesNotAmounts(t *testing.T) {
	op := dep(1, "03/10/2025", "1", Banque, "100", "62810008")
	op.Lines[0].Amount = eur("80") // unbalanced: 20 € not ventilated
	if tot := ComputeTotals([]Operation{op}); tot.Depenses != eur("80") {
		t.Errorf("Depenses = %v, want the ventilated 80 €", tot.Depenses)
	}
}

func TestFilter(t *testing.T) {
	ops := totalsFixture()
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all", Filter{}, []string{"1", "2", "3", "4", "5"}},
		{"october", Filter{From: day("01/10/2025"), To: day("31/10/2025")}, []string{"1", "2", "3", "5"}},
		{"to is inclusive whatever the hour", Filter{To: time.Date(2025, 10, 5, 23, 0, 0, 0, time.UTC)}, []string{"1", "3"}},
		{"caisse incl. transfers", Filter{Treasury: Caisse}, []string{"3", "5"}},
		{"banque incl. transfers", Filter{Treasury: Banque}, []string{"1", "2", "4", "5"}},
		{"recettes", Filter{Kind: Recette}, []string{"3", "4"}},
		{"account", Filter{Account: "61681008"}, []string{"1"}},
		{"project", Filter{Project: "Classe verte"}, []string{"2", "3"}},
		{"text", Filter{Text: "MAIRIE"}, []string{"4"}},
		{"unticked bank", Filter{Treasury: Banque, Unticked: true}, []string{"1", "2", "5"}},
	}
	for _, tt := range tests {
		got := pieces(tt.f.Select(ops))
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
	oct := ComputeTotals(Filter{Project: "Classe verte"}.Select(ops))
	if oct.Resultat() != money.Money(-7000) {
		t.Errorf("filtered résultat = %v", oct.Resultat())
	}
}
