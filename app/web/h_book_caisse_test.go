package web

import (
	"testing"
	"time"
)

// todayIn reads the injected clock, in Paris time, and keeps the date
// inside the exercice.
func TestTodayIn(t *testing.T) {
	at := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		ex, now, want string
	}{
		{"2025-2026", "2026-03-10T12:00:00Z", "2026-03-10"},
		{"2025-2026", "2026-03-10T23:30:00Z", "2026-03-11"}, // already the 11th in Paris
		{"2025-2026", "2026-10-02T09:00:00Z", "2026-08-31"}, // after the exercice: its last day
		{"2026-2027", "2026-05-02T09:00:00Z", "2026-09-01"}, // before: its first day
	}
	for _, c := range cases {
		if got := todayIn(c.ex, at(c.now)); got != c.want {
			t.Errorf("todayIn(%s, %s) = %s, want %s", c.ex, c.now, got, c.want)
		}
	}
}
