package workflow

import (
	"reflect"
	"testing"
	"time"
)

func TestCalendarAssumptions(t *testing.T) {
	// The cases below rely on these weekdays.
	for _, c := range []struct {
		y    int
		m    time.Month
		d    int
		want time.Weekday
	}{{2026, 9, 30, time.Wednesday}, {2026, 9, 27, time.Sunday}, {2026, 10, 4, time.Sunday}, {2026, 9, 1, time.Tuesday}, {2026, 7, 13, time.Monday}} {
		if got := time.Date(c.y, c.m, c.d, 12, 0, 0, 0, paris).Weekday(); got != c.want {
			t.Fatalf("%d-%02d-%02d is a %s, not a %s", c.y, c.m, c.d, got, c.want)
		}
	}
}

func TestDueReminder(t *testing.T) {
	c, _ := NewCampaign("2025-2026")
	sunday := c
	// J+4 is 4 October 2026, a Sunday.
	sunday.Rules = []Rule{{Offset: 4}}
	// J-21 is 20 August, in the summer break.
	early := Campaign{Deadline: time.Date(2026, 9, 10, 0, 0, 0, 0, paris), Rules: []Rule{{Offset: -21}}}
	previous, _ := NewCampaign("2024-2025")
	noRules := c
	noRules.Rules = nil

	incomplete := fresh()
	transmitted := build(t, fresh(), completeEvents()...)
	toFix := build(t, transmitted, CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "Illisible"})
	validated := build(t, transmitted, DossierValidated{Stamp: staff})

	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, paris) }
	sent := func(names ...string) map[string]bool {
		s := map[string]bool{}
		for _, n := range names {
			s[n] = true
		}
		return s
	}
	cases := []struct {
		name string
		d    Dossier
		c    Campaign
		sent map[string]bool
		now  time.Time
		want string // rule name, "" when nothing is due
	}{
		{"before the first rule", incomplete, c, nil, at(9, 8, 11, 0), ""},
		{"rule day before 10:00", incomplete, c, nil, at(9, 9, 9, 59), ""},
		{"rule day at 10:00", incomplete, c, nil, at(9, 9, 10, 0), "J-21"},
		{"rule already sent", incomplete, c, sent("J-21"), at(9, 9, 10, 0), ""},
		{"missed days still send the rule", incomplete, c, nil, at(9, 15, 11, 0), "J-21"},
		{"scheduler down over two rules: only the latest", incomplete, c, nil, at(9, 24, 11, 0), "J-7"},
		{"latest sent, an earlier one not: nothing", incomplete, c, sent("J-7"), at(9, 24, 11, 0), ""},
		{"J-1", incomplete, c, sent("J-21", "J-7"), at(9, 29, 10, 0), "J-1"},
		{"deadline day itself has no rule", incomplete, c, sent("J-21", "J-7", "J-1"), at(9, 30, 15, 0), ""},
		{"J+1", incomplete, c, sent("J-21", "J-7", "J-1"), at(10, 1, 10, 0), "J+1"},
		{"between repeats", incomplete, c, sent("J+1"), at(10, 10, 11, 0), ""},
		{"first repeat", incomplete, c, sent("J+1"), at(10, 15, 10, 0), "J+15"},
		{"second repeat, winter time, now given in UTC", incomplete, c, sent("J+15"), time.Date(2026, 10, 29, 9, 30, 0, 0, time.UTC), "J+29"},
		{"second repeat not yet at 09:30 Paris", incomplete, c, sent("J+15"), time.Date(2026, 10, 29, 8, 30, 0, 0, time.UTC), ""},
		{"evening quiet hours", incomplete, c, nil, at(9, 9, 20, 0), ""},
		{"last minute before quiet hours", incomplete, c, nil, at(9, 9, 19, 59), "J-21"},
		{"morning quiet hours", incomplete, c, nil, at(9, 10, 7, 59), ""},
		{"morning, first allowed minute", incomplete, c, nil, at(9, 10, 8, 0), "J-21"},
		{"Sunday", incomplete, c, sent("J-21"), at(9, 27, 11, 0), ""},
		{"Monday after the Sunday", incomplete, c, sent("J-21"), at(9, 28, 8, 0), "J-7"},
		{"rule on a Sunday waits", incomplete, sunday, nil, at(10, 4, 11, 0), ""},
		{"rule on a Sunday goes Monday at 08:00", incomplete, sunday, nil, at(10, 5, 8, 0), "J+4"},
		{"rule in the summer break waits", incomplete, early, nil, at(8, 20, 11, 0), ""},
		{"last day of the summer break", incomplete, early, nil, at(8, 31, 12, 0), ""},
		{"rule of the summer break goes on 1 September", incomplete, early, nil, at(9, 1, 8, 0), "J-21"},
		{"previous campaign still chasing before the break", incomplete, previous, nil, at(7, 13, 11, 0), "J+281"},
		{"previous campaign silent from 14 July", incomplete, previous, nil, at(7, 14, 11, 0), ""},
		{"transmitted dossier gets nothing", transmitted, c, nil, at(9, 24, 11, 0), ""},
		{"validated dossier gets nothing", validated, c, nil, at(10, 2, 11, 0), ""},
		{"pending correction is chased", toFix, c, sent("J-21"), at(9, 24, 11, 0), "J-7"},
		{"pending correction after the deadline", toFix, c, sent("J-21", "J-7", "J-1"), at(10, 2, 11, 0), "J+1"},
		{"no rules", incomplete, noRules, nil, at(10, 2, 11, 0), ""},
		{"no deadline", incomplete, Campaign{Rules: DefaultRules()}, nil, at(10, 2, 11, 0), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rule, due := DueReminder(c.d, c.c, c.sent, c.now)
			got := ""
			if due {
				got = rule.Name()
				if rule.Every != 0 {
					t.Errorf("due rule %+v is not a single date", rule)
				}
			}
			if got != c.want {
				t.Errorf("DueReminder = %q, want %q", got, c.want)
			}
		})
	}
}

// TestDueReminderOncePerRule runs an hourly scheduler over the whole autumn
// and checks that each rule is sent once, on its day or the first allowed
// moment after.
func TestDueReminderOncePerRule(t *testing.T) {
	c, _ := NewCampaign("2025-2026")
	d := fresh()
	sent := map[string]bool{}
	var got []string
	var when []time.Time
	for now := time.Date(2026, 9, 1, 0, 0, 0, 0, paris); now.Before(time.Date(2026, 11, 1, 0, 0, 0, 0, paris)); now = now.Add(time.Hour) {
		if r, ok := DueReminder(d, c, sent, now); ok {
			sent[r.Name()] = true
			got = append(got, r.Name())
			when = append(when, now)
		}
	}
	want := []string{"J-21", "J-7", "J-1", "J+1", "J+15", "J+29"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	for i, w := range when {
		if w.Hour() != 10 {
			t.Errorf("%s sent at %v, want 10:00", got[i], w)
		}
	}
}

func TestSchedule(t *testing.T) {
	c, _ := NewCampaign("2025-2026")
	c.Rules = append(c.Rules, Rule{Offset: 4}, Rule{Offset: -42}) // Sunday 4 October; Wednesday 19 August
	got := Schedule(c, time.Date(2026, 10, 31, 0, 0, 0, 0, paris))
	want := []struct {
		name string
		at   time.Time
	}{
		{"J-42", time.Date(2026, 9, 1, 8, 0, 0, 0, paris)},
		{"J-21", time.Date(2026, 9, 9, 10, 0, 0, 0, paris)},
		{"J-7", time.Date(2026, 9, 23, 10, 0, 0, 0, paris)},
		{"J-1", time.Date(2026, 9, 29, 10, 0, 0, 0, paris)},
		{"J+1", time.Date(2026, 10, 1, 10, 0, 0, 0, paris)},
		{"J+4", time.Date(2026, 10, 5, 8, 0, 0, 0, paris)},
		{"J+15", time.Date(2026, 10, 15, 10, 0, 0, 0, paris)},
		{"J+29", time.Date(2026, 10, 29, 10, 0, 0, 0, paris)},
	}
	if len(got) != len(want) {
		t.Fatalf("Schedule = %+v", got)
	}
	for i, w := range want {
		if got[i].Rule.Name() != w.name || !got[i].At.Equal(w.at) {
			t.Errorf("occurrence %d = %s at %v, want %s at %v", i, got[i].Rule.Name(), got[i].At, w.name, w.at)
		}
	}
}

func TestSendingAllowed(t *testing.T) {
	cases := []struct {
		t    time.Time
		want bool
	}{
		{time.Date(2026, 9, 9, 8, 0, 0, 0, paris), true},
		{time.Date(2026, 9, 9, 7, 59, 59, 0, paris), false},
		{time.Date(2026, 9, 9, 19, 59, 0, 0, paris), true},
		{time.Date(2026, 9, 9, 20, 0, 0, 0, paris), false},
		{time.Date(2026, 9, 12, 11, 0, 0, 0, paris), true},  // Saturday
		{time.Date(2026, 9, 13, 11, 0, 0, 0, paris), false}, // Sunday
		{time.Date(2026, 7, 13, 11, 0, 0, 0, paris), true},
		{time.Date(2026, 7, 14, 11, 0, 0, 0, paris), false},
		{time.Date(2026, 8, 31, 11, 0, 0, 0, paris), false},
		{time.Date(2026, 9, 1, 8, 0, 0, 0, paris), true},
		{time.Date(2026, 9, 9, 6, 30, 0, 0, time.UTC), true}, // 08:30 in Paris
	}
	for _, c := range cases {
		if got := SendingAllowed(c.t); got != c.want {
			t.Errorf("SendingAllowed(%v) = %v, want %v", c.t, got, c.want)
		}
	}
}

func TestReminderContent(t *testing.T) {
	d := build(t, fresh(),
		StepCompleted{Stamp: mand, Item: Cloture},
		StepCompleted{Stamp: mand, Item: CRA},
		StepCompleted{Stamp: mand, Item: CRF},
		StepCompleted{Stamp: mand, Item: Subventions, Subsidies: []Subsidy{subA, subB}},
		DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 1},
		DocumentReceived{Stamp: mail, Item: Justificatifs, Source: SourceMail, DocumentID: 2, SubsidyRef: "s1"},
		CorrectionRequested{Stamp: staff, Item: Quitus, Reason: "Il manque la signature d'un parent"},
	)
	got := ReminderContent(d)
	want := Reminder{
		Missing: []MissingItem{
			{Key: Releve, Label: "Relevé bancaire au 31 août"},
			{Key: Justificatifs, Label: "Justificatifs des subventions", Subsidies: []Subsidy{subB}},
		},
		Corrections: []OpenCorrection{{ID: 1, Key: Quitus, Label: "Quitus de la commission de contrôle des comptes", Reason: "Il manque la signature d'un parent", Since: staff.At}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReminderContent =\n%+v\nwant\n%+v", got, want)
	}
	if keys := got.MissingKeys(); !reflect.DeepEqual(keys, []ItemKey{Releve, Justificatifs}) {
		t.Errorf("MissingKeys = %v", keys)
	}
	empty := ReminderContent(build(t, fresh(), completeEvents()...))
	if len(empty.Missing) != 0 || len(empty.Corrections) != 0 || empty.Missing == nil {
		t.Errorf("complete dossier content = %+v", empty)
	}
}
