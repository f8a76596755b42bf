package bank

import (
	"time"

	"retkoop/app/money"
)

// Period is what is kept of an imported statement to tell the bank's
// balance at a date: the days it covers and the balances it gives.
type Period struct {
	Start, End time.Time    // inclusive days
	Opening    *money.Money // balance at the end of the day before Start; nil if unknown
	Closing    *money.Money // balance at the end of End; nil if unknown
}

// Period returns the days the statement covers: the period the file states,
// else (for each unknown end) the dates of its first and last lines. ok is
// false for a statement with neither a period nor lines.
func (s Statement) Period() (start, end time.Time, ok bool) {
	start, end = s.Start, s.End
	for _, l := range s.Lines {
		if s.Start.IsZero() && (start.IsZero() || l.Date.Before(start)) {
			start = l.Date
		}
		if s.End.IsZero() && (end.IsZero() || l.Date.After(end)) {
			end = l.Date
		}
	}
	if start.IsZero() && !end.IsZero() {
		start = end
	}
	if end.IsZero() && !start.IsZero() {
		end = start
	}
	if end.Before(start) {
		start, end = end, start
	}
	return civil(start), civil(end), !start.IsZero()
}

// BalanceAt returns the bank's balance at the end of date, read from the
// imported statements and all the lines imported (from every statement,
// deduplicated). The balance is anchored on a known balance (a statement's
// closing balance, or its opening one) and moved by the lines between the
// anchor and date: the anchor of a statement covering date is preferred,
// then the nearest one; among equals, the later period in periods (the
// statement imported last).
//
// covered reports whether a statement covers date; known whether any
// balance was given at all. Without one the result is only the running sum
// of the lines up to date, which says nothing reliable about the account.
func BalanceAt(periods []Period, lines []Line, date time.Time) (balance money.Money, covered, known bool) {
	target := dayNumber(date)
	type anchor struct {
		day     int // the balance is the one at the end of this day
		amount  money.Money
		covers  bool
		distant int
	}
	var best *anchor
	better := func(a anchor) bool {
		if best == nil {
			return true
		}
		if a.covers != best.covers {
			return a.covers
		}
		return a.distant <= best.distant
	}
	for _, p := range periods {
		start, end := dayNumber(p.Start), dayNumber(p.End)
		covers := start <= target && target <= end
		covered = covered || covers
		for _, a := range []struct {
			day int
			m   *money.Money
		}{{start - 1, p.Opening}, {end, p.Closing}} {
			if a.m == nil {
				continue
			}
			c := anchor{day: a.day, amount: *a.m, covers: covers, distant: abs(a.day - target)}
			if better(c) {
				best = &c
			}
		}
	}
	if best == nil {
		for _, l := range lines {
			if dayNumber(l.Date) <= target {
				balance += l.Amount
			}
		}
		return balance, covered, false
	}
	balance = best.amount
	for _, l := range lines {
		d := dayNumber(l.Date)
		switch {
		case best.day < target && best.day < d && d <= target:
			balance += l.Amount
		case target < best.day && target < d && d <= best.day:
			balance -= l.Amount
		}
	}
	return balance, covered, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
