package report

import (
	"slices"
	"time"
)

// ProgressPoints turns the moments dossiers were transmitted and validated
// (zero times ignored) into the cumulative counts at the end of each day
// where something happened, days taken in loc (Paris): the series of
// ProgressSVG.
func ProgressPoints(transmitted, validated []time.Time, loc *time.Location) []ProgressPoint {
	type tally struct{ t, v int }
	byDay := map[time.Time]*tally{}
	add := func(at time.Time, valid bool) {
		if at.IsZero() {
			return
		}
		y, m, d := at.In(loc).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		n := byDay[day]
		if n == nil {
			n = &tally{}
			byDay[day] = n
		}
		if valid {
			n.v++
		} else {
			n.t++
		}
	}
	for _, at := range transmitted {
		add(at, false)
	}
	for _, at := range validated {
		add(at, true)
	}
	days := make([]time.Time, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	out := make([]ProgressPoint, len(days))
	var t, v int
	for i, d := range days {
		t += byDay[d].t
		v += byDay[d].v
		out[i] = ProgressPoint{Day: d, Transmis: t, Valides: v}
	}
	return out
}
