package fr

import (
	"testing"
	"time"

	"retkoop/workflow"
)

// TestParis: the real zone, with summer time (a fixed +1 h fallback fails
// the July case), and one location shared with workflow.
func TestParis(t *testing.T) {
	if Paris.String() != "Europe/Paris" {
		t.Errorf("Paris = %s", Paris)
	}
	if Paris != workflow.Paris() {
		t.Error("fr.Paris is not workflow's location: a shown date could differ from the day a deadline counts")
	}
	for _, tc := range []struct {
		at   time.Time
		want int // offset from UTC in hours
	}{
		{time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC), 1},
		{time.Date(2026, time.July, 15, 12, 0, 0, 0, time.UTC), 2},
		// Summer time ends on 25 October 2026 at 01:00 UTC.
		{time.Date(2026, time.October, 25, 0, 59, 0, 0, time.UTC), 2},
		{time.Date(2026, time.October, 25, 1, 0, 0, 0, time.UTC), 1},
	} {
		if _, off := tc.at.In(Paris).Zone(); off != tc.want*3600 {
			t.Errorf("offset at %s = %ds, want %dh", tc.at, off, tc.want)
		}
	}
}

func TestMonth(t *testing.T) {
	for m, want := range map[time.Month]string{
		time.January: "janvier", time.February: "février", time.March: "mars", time.April: "avril",
		time.May: "mai", time.June: "juin", time.July: "juillet", time.August: "août",
		time.September: "septembre", time.October: "octobre", time.November: "novembre", time.December: "décembre",
		0: "%!Month(0)", 13: "%!Month(13)",
	} {
		if got := Month(m); got != want {
			t.Errorf("Month(%d) = %q, want %q", m, got, want)
		}
	}
}
