package workflow

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseExercice(t *testing.T) {
	cases := []struct {
		in    string
		start int
		ok    bool
	}{
		{"2025-2026", 2025, true},
		{" 2030-2031 ", 2030, true},
		{"2025-2027", 0, false},
		{"2026-2025", 0, false},
		{"2025/2026", 0, false},
		{"25-26", 0, false},
		{"2025", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		got, err := ParseExercice(c.in)
		if c.ok != (err == nil) || got != c.start {
			t.Errorf("ParseExercice(%q) = %d, %v", c.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidExercice) {
			t.Errorf("ParseExercice(%q) error %v does not wrap ErrInvalidExercice", c.in, err)
		}
	}
	_, err := ParseExercice("2025-2027")
	if want := "exercice invalide : « 2025-2027 » (attendu deux années qui se suivent, par exemple 2025-2026)"; err.Error() != want {
		t.Errorf("message = %q", err)
	}
}

func TestNewCampaign(t *testing.T) {
	c, err := NewCampaign("2025-2026")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 9, 30, 0, 0, 0, 0, paris); !c.Deadline.Equal(want) {
		t.Errorf("deadline = %v, want %v", c.Deadline, want)
	}
	if FormatRules(c.Rules) != "J-21, J-7, J-1, J+1, +14" {
		t.Errorf("rules = %s", FormatRules(c.Rules))
	}
	if _, err := NewCampaign("2025"); !errors.Is(err, ErrInvalidExercice) {
		t.Errorf("NewCampaign(2025) error = %v", err)
	}
}

func TestLate(t *testing.T) {
	c, _ := NewCampaign("2025-2026")
	incomplete := fresh()
	transmitted := build(t, fresh(), completeEvents()...)
	toFix := build(t, transmitted, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "x"})
	validated := build(t, transmitted, DossierValidated{Stamp: staff})
	utc := time.UTC
	cases := []struct {
		name string
		d    Dossier
		c    Campaign
		now  time.Time
		days int
	}{
		{"before the deadline", incomplete, c, time.Date(2026, 9, 20, 12, 0, 0, 0, paris), 0},
		{"last minute of the deadline day", incomplete, c, time.Date(2026, 9, 30, 23, 59, 0, 0, paris), 0},
		{"first minute after", incomplete, c, time.Date(2026, 10, 1, 0, 0, 0, 0, paris), 1},
		{"after midnight in Paris, still 30 September in UTC", incomplete, c, time.Date(2026, 9, 30, 22, 30, 0, 0, utc), 1},
		{"across the change to winter time", incomplete, c, time.Date(2026, 10, 30, 9, 0, 0, 0, paris), 30},
		{"correction pending after the deadline", toFix, c, time.Date(2026, 10, 3, 9, 0, 0, 0, paris), 3},
		{"transmitted is never late", transmitted, c, time.Date(2026, 12, 1, 9, 0, 0, 0, paris), 0},
		{"validated is never late", validated, c, time.Date(2026, 12, 1, 9, 0, 0, 0, paris), 0},
		{"deadline set by the AD, written in UTC", incomplete, Campaign{Deadline: time.Date(2026, 10, 15, 0, 0, 0, 0, utc)}, time.Date(2026, 10, 16, 8, 0, 0, 0, paris), 1},
		{"no deadline", incomplete, Campaign{}, time.Date(2027, 1, 1, 0, 0, 0, 0, paris), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DaysLate(c.d, c.c, c.now); got != c.days {
				t.Errorf("DaysLate = %d, want %d", got, c.days)
			}
			if got := Late(c.d, c.c, c.now); got != (c.days > 0) {
				t.Errorf("Late = %v", got)
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	cases := []struct {
		in   string
		want []Rule
		text string
	}{
		{"J-21, J-7, J-1, J+1, +14", DefaultRules(), "J-21, J-7, J-1, J+1, +14"},
		{"j-7 ; J – 1\nJ+1,+14j", []Rule{{Offset: -7}, {Offset: -1}, {Offset: 1, Every: 14}}, "J-7, J-1, J+1, +14"},
		{"J+1, +14, J-15, J−7", []Rule{{Offset: -15}, {Offset: -7}, {Offset: 1, Every: 14}}, "J-15, J-7, J+1, +14"},
		{"J, J+0", nil, ""}, // duplicate, checked below
		{"J", []Rule{{Offset: 0}}, "J"},
		{"J-7, +7", []Rule{{Offset: -7, Every: 7}}, "J-7, +7"},
		{"  ", nil, ""},
		{"J-7,,", []Rule{{Offset: -7}}, "J-7"},
	}
	for _, c := range cases {
		got, err := ParseRules(c.in)
		if c.in == "J, J+0" {
			if err == nil {
				t.Errorf("ParseRules(%q) accepted a duplicate", c.in)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseRules(%q) = %v, %v; want %v", c.in, got, err, c.want)
			continue
		}
		if text := FormatRules(got); text != c.text {
			t.Errorf("FormatRules = %q, want %q", text, c.text)
		}
		if again, err := ParseRules(FormatRules(got)); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q = %v, %v", c.in, again, err)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{"J7", "règles de relance invalides : « J7 » n'est pas une règle ; " + rulesHelp},
		{"7 jours avant", "règles de relance invalides : « 7 jours avant » n'est pas une règle ; " + rulesHelp},
		{"+14, J+1", "règles de relance invalides : « +14 » doit suivre une règle qu'il répète, par exemple « J+1, +14 »"},
		{"J+1, +14, +7", "règles de relance invalides : « +7 » suit une règle déjà répétée"},
		{"J+1, +0", "règles de relance invalides : « +0 » doit donner un nombre de jours entre 1 et 366 ; " + rulesHelp},
		{"J+400", "règles de relance invalides : « J+400 » doit donner un nombre de jours entre 0 et 366 ; " + rulesHelp},
		{"J-7, J+1, J-7", "règles de relance invalides : « J-7 » apparaît deux fois"},
		{"J-x", "règles de relance invalides : « J-x » doit donner un nombre de jours entre 0 et 366 ; " + rulesHelp},
	}
	for _, c := range cases {
		_, err := ParseRules(c.in)
		if err == nil || err.Error() != c.msg || !errors.Is(err, ErrInvalidRules) {
			t.Errorf("ParseRules(%q) error = %v\nwant %s", c.in, err, c.msg)
		}
	}
}

func TestRuleName(t *testing.T) {
	cases := map[Rule]string{{Offset: -21}: "J-21", {Offset: 0}: "J", {Offset: 15}: "J+15", {Offset: 1, Every: 14}: "J+1"}
	for r, want := range cases {
		if r.Name() != want {
			t.Errorf("%+v.Name() = %s, want %s", r, r.Name(), want)
		}
	}
}
