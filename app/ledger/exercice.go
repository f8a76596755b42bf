package ledger

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Exercice is a coop's accounting year, the school year from 1 September to
// 31 August, named after its two calendar years ("2025-2026").
type Exercice struct {
	// StartYear is the year of the 1 September that opens the exercice.
	StartYear int
}

// ParseExercice reads a name like "2025-2026"; the second year must follow
// the first.
func ParseExercice(s string) (Exercice, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	y1, err1 := strconv.Atoi(a)
	y2, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || len(a) != 4 || len(b) != 4 || y2 != y1+1 {
		return Exercice{}, fmt.Errorf("exercice invalide : « %s » (attendu AAAA-AAAA, par exemple 2025-2026)", s)
	}
	return Exercice{StartYear: y1}, nil
}

// ExerciceFor returns the exercice containing the civil date of d.
func ExerciceFor(d time.Time) Exercice {
	if d.Month() >= time.September {
		return Exercice{StartYear: d.Year()}
	}
	return Exercice{StartYear: d.Year() - 1}
}

// String returns the name, "2025-2026".
func (e Exercice) String() string {
	return strconv.Itoa(e.StartYear) + "-" + strconv.Itoa(e.StartYear+1)
}

// Debut returns 1 September of the exercice, midnight UTC.
func (e Exercice) Debut() time.Time {
	return time.Date(e.StartYear, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// Fin returns 31 August of the exercice, midnight UTC.
func (e Exercice) Fin() time.Time {
	return time.Date(e.StartYear+1, time.August, 31, 0, 0, 0, 0, time.UTC)
}

// Contains reports whether the civil date of d falls inside the exercice.
// Only the calendar day counts, whatever d's location.
func (e Exercice) Contains(d time.Time) bool {
	k := dayKey(d)
	return k >= dayKey(e.Debut()) && k <= dayKey(e.Fin())
}

// Next returns the following exercice.
func (e Exercice) Next() Exercice { return Exercice{StartYear: e.StartYear + 1} }

// Prev returns the previous exercice.
func (e Exercice) Prev() Exercice { return Exercice{StartYear: e.StartYear - 1} }

// dayKey turns the civil date of t into an ordered integer (20251012) so that
// the book compares days, never instants: a date saved at midnight in Paris
// and one at midnight UTC are the same day.
func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// frDate formats a date as JJ/MM/AAAA for messages.
func frDate(t time.Time) string { return t.Format("02/01/2006") }

// isoDate formats a date as AAAA-MM-JJ for JSON.
func isoDate(t time.Time) string { return t.Format("2006-01-02") }
