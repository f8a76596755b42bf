// Package fr holds French locale helpers: the Europe/Paris location every
// date is shown in and the names of the months.
package fr

import (
	"fmt"
	"time"

	"retkoop/workflow"
)

// Paris is the Europe/Paris location, in which every date is shown. It is
// the very location workflow evaluates deadlines and reminders in, so that
// a date on a page or in a mail is the day the workflow counts. workflow
// loads it from the tz database embedded in the binary (time/tzdata) and
// panics at start if it cannot: there is no silent fixed-offset fallback,
// which would be an hour off half of the year.
var Paris = workflow.Paris()

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Month returns the French name of m in lower case, as it is written inside
// a date ("30 septembre 2026"). Like time.Month.String, it says so for a
// value out of range instead of panicking.
func Month(m time.Month) string {
	if m < time.January || m > time.December {
		return fmt.Sprintf("%%!Month(%d)", int(m))
	}
	return months[m-1]
}
