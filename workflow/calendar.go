package workflow

import (
	"time"
	// Embedded zone data: reminders follow Paris time even on a machine or
	// container without /usr/share/zoneinfo.
	_ "time/tzdata"
)

var paris = loadParis()

func loadParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("workflow: load Europe/Paris: " + err.Error()) // cannot happen with time/tzdata
	}
	return loc
}

// Paris returns the Europe/Paris location, in which deadlines, lateness and
// reminders are evaluated.
func Paris() *time.Location { return paris }

// Hours and dates between which no reminder goes out.
const (
	firstSendHour = 8  // no reminder before 08:00…
	lastSendHour  = 20 // …nor from 20:00, Paris time
	ruleHour      = 10 // a rule fires at 10:00 on its date
)

// SendingAllowed reports whether a reminder may be sent at t: not between
// 20:00 and 08:00 Paris time, not on a Sunday, not during the summer break
// (14 July to 31 August, when schools are closed).
func SendingAllowed(t time.Time) bool {
	p := t.In(paris)
	return !summerBreak(p) && p.Weekday() != time.Sunday &&
		p.Hour() >= firstSendHour && p.Hour() < lastSendHour
}

func summerBreak(p time.Time) bool {
	_, m, d := p.Date()
	return m == time.August || (m == time.July && d >= 14)
}

// nextAllowed returns the first moment from t on when sending is allowed.
func nextAllowed(t time.Time) time.Time {
	p := t.In(paris)
	for {
		y, m, d := p.Date()
		switch {
		case summerBreak(p):
			p = time.Date(y, time.September, 1, 0, 0, 0, 0, paris)
		case p.Weekday() == time.Sunday || p.Hour() >= lastSendHour:
			p = time.Date(y, m, d+1, 0, 0, 0, 0, paris)
		case p.Hour() < firstSendHour:
			p = time.Date(y, m, d, firstSendHour, 0, 0, 0, paris)
		default:
			return p
		}
	}
}

// dayNumber counts calendar days since 1970-01-01 for the date t shows in
// its own location, so that differences are whole days whatever the
// daylight saving time.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
