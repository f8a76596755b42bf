package apptest

import (
	"testing"

	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/worker"
)

func TestSuggestCoop(t *testing.T) {
	coops := []store.Coop{
		{ID: 1, UAI: "0310036W", Name: "École Alpha", Commune: "Toulouse", MandataireEmail: "marie.dupont@gmail.com"},
		{ID: 2, UAI: "0310100R", Name: "École Alpha-Deux", Commune: "Muret", MandataireEmail: "direction@ac-toulouse.fr"},
		{ID: 3, UAI: "0311234Y", Name: "École maternelle Jean Jaurès", Commune: "Blagnac", MandataireEmail: "ce.0311234y@ac-toulouse.fr"},
		{ID: 4, UAI: "0312345F", Name: "Groupe scolaire Les Platanes", Commune: "Balma", MandataireEmail: "coop@ecole-platanes.fr"},
		{ID: 5, UAI: "0310999T", Name: "École des Tilleuls", Commune: "Toulouse", MandataireEmail: "direction@ac-toulouse.fr"},
	}
	for _, c := range []struct {
		name string
		in   service.SuggestInput
		want int64 // 0: no suggestion
	}{
		{"sender of one coop", service.SuggestInput{From: "Marie.Dupont@gmail.com", Subject: "Documents"}, 1},
		{"address shared by two coops: the first", service.SuggestInput{From: "direction@ac-toulouse.fr"}, 2},
		{"digits of a UAI with a wrong letter", service.SuggestInput{From: "x@free.fr", Subject: "quitus 0311234X"}, 3},
		{"digits in a file name", service.SuggestInput{From: "x@free.fr", Names: []string{"scan_0312345.pdf"}}, 4},
		{"eight digits are not a UAI", service.SuggestInput{From: "x@free.fr", Subject: "facture 03112345"}, 0},
		{"every distinctive word of the name, accents aside", service.SuggestInput{From: "x@free.fr", Text: "Coop de l'école Jean-Jaures, Blagnac"}, 3},
		{"the longer name wins", service.SuggestInput{From: "x@free.fr", Subject: "École Alpha Deux"}, 2},
		{"shared words alone say nothing", service.SuggestInput{From: "x@free.fr", Subject: "Ecole maternelle"}, 0},
		{"a commune of two coops alone is not enough", service.SuggestInput{From: "x@free.fr", Subject: "Toulouse"}, 0},
		{"school domain of one coop", service.SuggestInput{From: "tresorier@ecole-platanes.fr"}, 4},
		{"academic domain of several coops", service.SuggestInput{From: "autre@ac-toulouse.fr"}, 0},
		{"webmail domain", service.SuggestInput{From: "quelquun@gmail.com"}, 0},
		{"nothing", service.SuggestInput{}, 0},
	} {
		got, ok := service.SuggestCoop(c.in, coops)
		if (c.want == 0 && ok) || (c.want != 0 && (!ok || got != c.want)) {
			t.Errorf("%s: suggestCoop = %d, %v; want %d", c.name, got, ok, c.want)
		}
	}
}

func TestExcerptCutsOnARune(t *testing.T) {
	if got := worker.Excerpt("  Hélène  ", 10); got != "Hélène" {
		t.Errorf("short text = %q", got)
	}
	if got := worker.Excerpt("ééééé", 3); got != "é…" {
		t.Errorf("cut inside a rune = %q, want é…", got)
	}
}
