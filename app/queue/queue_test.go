package queue

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"retkoop/workflow"
)

func TestParseDefaultsAndRoundTrip(t *testing.T) {
	q := Parse(url.Values{})
	if q.Tab != ATraiter || q.Sort != SortNom || q.Desc || q.Page != 1 || q.Filter != (Filter{}) {
		t.Fatalf("defaults: %+v", q)
	}
	if got := q.Values().Encode(); got != "" {
		t.Fatalf("default query encodes as %q, want empty", got)
	}
	full := url.Values{"onglet": {"en_retard"}, "q": {" Muret "}, "manquant": {"quitus"}, "retard": {"1"}, "tenue": {"saisie"},
		"non_revus": {"1"}, "nouveaux": {"1"}, "tri": {"score"}, "ordre": {"desc"}, "page": {"3"}}
	q = Parse(full)
	want := Query{Tab: EnRetard, Sort: SortScore, Desc: true, Page: 3, Filter: Filter{Q: "Muret", Missing: workflow.Quitus,
		Late: true, Source: SourceSaisie, Unreviewed: true, Unread: true}}
	if !reflect.DeepEqual(q, want) {
		t.Fatalf("parse:\n got %+v\nwant %+v", q, want)
	}
	if again := Parse(q.Values()); !reflect.DeepEqual(again, q) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", again, q)
	}
}

func TestParseRejectsUnknownValues(t *testing.T) {
	q := Parse(url.Values{"onglet": {"supprimes"}, "manquant": {"rien"}, "tenue": {"tableur"}, "tri": {"id; DROP TABLE"},
		"ordre": {"desc"}, "page": {"-4"}, "retard": {"oui"}})
	if q.Tab != ATraiter || q.Filter.Missing != "" || q.Filter.Source != "" || q.Sort != SortNom || q.Desc || q.Page != 1 || q.Filter.Late {
		t.Fatalf("unknown values kept: %+v", q)
	}
}

func TestSortedByTogglesAndResetsPage(t *testing.T) {
	q := Query{Tab: Tous, Sort: SortNom, Page: 4}
	s := q.SortedBy(SortNom)
	if !s.Desc || s.Page != 1 {
		t.Fatalf("same key must reverse and go to page 1: %+v", s)
	}
	if s2 := s.SortedBy(SortNom); s2.Desc {
		t.Fatalf("second click must go back to ascending: %+v", s2)
	}
	if a := q.SortedBy(SortActivite); a.Sort != SortActivite || !a.Desc {
		t.Fatalf("activity starts with the most recent: %+v", a)
	}
	if u := q.SortedBy(SortUAI); u.Desc {
		t.Fatalf("UAI starts ascending: %+v", u)
	}
}

func TestPagesAndOffset(t *testing.T) {
	for _, c := range []struct{ total, pages int }{{0, 1}, {1, 1}, {50, 1}, {51, 2}, {2000, 40}} {
		if got := Pages(c.total); got != c.pages {
			t.Errorf("Pages(%d) = %d, want %d", c.total, got, c.pages)
		}
	}
	if got := (Query{Page: 3}).Offset(); got != 100 {
		t.Errorf("offset of page 3 = %d", got)
	}
}

func TestTabsAndFilters(t *testing.T) {
	inc := Facts{Status: workflow.DossierIncomplet, Missing: []workflow.ItemKey{workflow.Quitus, workflow.Releve}, Source: SourceCahier,
		UAI: "0310036W", Name: "École Jean-Jaurès", Commune: "Muret"}
	recv := Facts{Status: workflow.DossierTransmis, Unreviewed: 2, Source: SourceSaisie, Unread: true, UAI: "0310100R", Name: "École Alpha", Commune: "Toulouse"}
	corr := Facts{Status: workflow.DossierACorriger, Unreviewed: 1, Source: SourceCahier, Name: "Maternelle"}
	val := Facts{Status: workflow.DossierValide, Source: SourceCahier, Name: "Validée"}
	cases := []struct {
		name    string
		q       Query
		overdue bool
		want    []bool // inc, recv, corr, val
	}{
		{"à traiter", Query{Tab: ATraiter}, false, []bool{false, true, true, false}},
		{"incomplets", Query{Tab: Incomplets}, false, []bool{true, false, false, false}},
		{"à corriger", Query{Tab: ACorriger}, false, []bool{false, false, true, false}},
		{"en retard avant l'échéance", Query{Tab: EnRetard}, false, []bool{false, false, false, false}},
		{"en retard après l'échéance", Query{Tab: EnRetard}, true, []bool{true, false, true, false}},
		{"validés", Query{Tab: Valides}, true, []bool{false, false, false, true}},
		{"tous", Query{Tab: Tous}, true, []bool{true, true, true, true}},
		{"manque le quitus", Query{Tab: Tous, Filter: Filter{Missing: workflow.Quitus}}, true, []bool{true, false, false, false}},
		{"filtre retard", Query{Tab: Tous, Filter: Filter{Late: true}}, true, []bool{true, false, true, false}},
		{"CRF saisi", Query{Tab: Tous, Filter: Filter{Source: SourceSaisie}}, false, []bool{false, true, false, false}},
		{"documents non revus", Query{Tab: Tous, Filter: Filter{Unreviewed: true}}, false, []bool{false, true, true, false}},
		{"nouveautés", Query{Tab: Tous, Filter: Filter{Unread: true}}, false, []bool{false, true, false, false}},
		{"recherche sans accents", Query{Tab: Tous, Filter: Filter{Q: "jaures MURET"}}, false, []bool{true, false, false, false}},
		{"recherche UAI", Query{Tab: Tous, Filter: Filter{Q: "0310100r"}}, false, []bool{false, true, false, false}},
		{"recherche et onglet", Query{Tab: Valides, Filter: Filter{Q: "alpha"}}, false, []bool{false, false, false, false}},
	}
	for _, c := range cases {
		for i, f := range []Facts{inc, recv, corr, val} {
			if got := c.q.Matches(f, c.overdue); got != c.want[i] {
				t.Errorf("%s: facts %d matched %v, want %v", c.name, i, got, c.want[i])
			}
		}
	}
	counts := Count(Filter{}, []Facts{inc, recv, corr, val}, true)
	want := map[Tab]int{ATraiter: 2, Incomplets: 1, ACorriger: 1, EnRetard: 2, Valides: 1, Tous: 4}
	if !reflect.DeepEqual(counts.ByTab, want) || counts.Unread != 1 {
		t.Fatalf("counts %+v", counts)
	}
}

func TestLateAgreesWithWorkflow(t *testing.T) {
	camp, err := workflow.NewCampaign("2025-2026")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 5, 10, 0, 0, 0, workflow.Paris())
	before := time.Date(2026, 9, 30, 23, 0, 0, 0, workflow.Paris())
	d := workflow.NewDossier(1, 1, true)
	for _, at := range []time.Time{before, now} {
		overdue := workflow.Late(workflow.NewDossier(0, 0, true), camp, at)
		if got, want := Late(d.Status(), overdue), workflow.Late(d, camp, at); got != want {
			t.Errorf("at %s: Late = %v, workflow says %v", at, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"École Saint-Exupéry": "ecole saint-exupery", "CŒUR": "coeur", "Lycée": "lycee", "0310036W": "0310036w"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if !MatchesSearch("  ", "x") {
		t.Error("an empty search matches everything")
	}
	if MatchesSearch("jaures blagnac", "École Jean-Jaurès", "Muret") {
		t.Error("every word must be found")
	}
}

func TestMarks(t *testing.T) {
	d := workflow.NewDossier(1, 1, false) // CRF entered directly: no closing
	at := time.Date(2026, 9, 10, 10, 0, 0, 0, time.UTC)
	s := workflow.Stamp{At: at, By: "test"}
	var err error
	for _, ev := range []workflow.Event{
		workflow.StepCompleted{Stamp: s, Item: workflow.CRA},
		workflow.StepCompleted{Stamp: s, Item: workflow.Subventions}, // no subsidy: no proofs asked
		workflow.DocumentReceived{Stamp: s, Item: workflow.Quitus, Source: workflow.SourceWeb, DocumentID: 1},
		workflow.DocumentReceived{Stamp: s, Item: workflow.Releve, Source: workflow.SourceWeb, DocumentID: 2},
		workflow.ItemAccepted{Stamp: s, Item: workflow.Quitus},
		workflow.CorrectionRequested{Stamp: s, Item: workflow.Releve, Reason: "illisible"},
	} {
		if d, _, err = workflow.Apply(d, ev); err != nil {
			t.Fatal(err)
		}
	}
	got := map[workflow.ItemKey]string{}
	for _, m := range Marks(d) {
		got[m.Key] = m.Symbol
	}
	want := map[workflow.ItemKey]string{workflow.Cloture: "–", workflow.CRA: "●", workflow.CRF: "○", workflow.Subventions: "●",
		workflow.Quitus: "✓", workflow.Releve: "✗", workflow.Justificatifs: "–"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("marks\n got %v\nwant %v", got, want)
	}
	if n := len(ShortNames()); n != len(Marks(d)) {
		t.Fatalf("%d headings for %d marks", n, len(Marks(d)))
	}
}
