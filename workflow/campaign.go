package workflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Campaign is the collection of one exercice's dossiers by one AD: its
// deadline and its reminder rules.
type Campaign struct {
	ID       int64  `json:"id"`
	ADID     int64  `json:"ad_id"`
	Exercice string `json:"exercice"`
	// Deadline is the last day to send the dossier; only its calendar date,
	// as written in its own location, counts.
	Deadline time.Time `json:"echeance"`
	Rules    []Rule    `json:"regles"`
}

// NewCampaign opens a campaign for an exercice with the default deadline
// (30 September after the exercice ends) and the default reminder rules;
// the AD may change both.
func NewCampaign(exercice string) (Campaign, error) {
	deadline, err := DefaultDeadline(exercice)
	if err != nil {
		return Campaign{}, err
	}
	return Campaign{Exercice: exercice, Deadline: deadline, Rules: DefaultRules()}, nil
}

// ErrInvalidExercice is wrapped by the errors of ParseExercice.
var ErrInvalidExercice = errors.New("exercice invalide")

// ParseExercice reads an exercice name like "2025-2026" (1 September 2025 to
// 31 August 2026) and returns its first year.
func ParseExercice(name string) (int, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(name), "-")
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if !ok || len(a) != 4 || len(b) != 4 || err1 != nil || err2 != nil || end != start+1 {
		return 0, fmt.Errorf("%w : « %s » (attendu deux années qui se suivent, par exemple 2025-2026)", ErrInvalidExercice, name)
	}
	return start, nil
}

// DefaultDeadline returns 30 September of the year the exercice ends, at
// midnight Paris time.
func DefaultDeadline(exercice string) (time.Time, error) {
	start, err := ParseExercice(exercice)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(start+1, time.September, 30, 0, 0, 0, 0, paris), nil
}

// DaysLate returns how many days after the campaign's deadline the dossier
// still is not transmitted: 0 while the deadline has not passed (the whole
// deadline day, Paris time, is on time) and for transmitted or validated
// dossiers. A dossier with a correction pending after the deadline is late,
// since the coop still owes the AD something.
func DaysLate(d Dossier, c Campaign, now time.Time) int {
	switch d.Status() {
	case DossierTransmis, DossierValide:
		return 0
	}
	if c.Deadline.IsZero() {
		return 0
	}
	return max(dayNumber(now.In(paris))-dayNumber(c.Deadline), 0)
}

// Late reports whether the dossier is late at now (see DaysLate).
func Late(d Dossier, c Campaign, now time.Time) bool { return DaysLate(d, c, now) > 0 }
