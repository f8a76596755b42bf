package bank

import (
	"cmp"
	"slices"
	"time"
)

// ReasonManual is the first reason of a pairing with an operation the
// mandataire had ticked by hand before the statement was imported.
const ReasonManual = "pointage manuel reconnu"

// How far around the dates of the lines the operations of the book are
// candidates: a cheque is cashed up to ~70 days after it is written, a card
// payment may reach the bank before the book's date.
const (
	CandidatesBefore = 120 * 24 * time.Hour
	CandidatesAfter  = 30 * 24 * time.Hour
)

// CandidateWindow returns the dates between which operations of the book
// are candidates for lines (inclusive), so that the caller loads only
// those; ok is false when there is no line.
func CandidateWindow(lines []BankLine) (from, to time.Time, ok bool) {
	if len(lines) == 0 {
		return time.Time{}, time.Time{}, false
	}
	from, to = lines[0].Date, lines[0].Date
	for _, l := range lines[1:] {
		if l.Date.Before(from) {
			from = l.Date
		}
		if l.Date.After(to) {
			to = l.Date
		}
	}
	return from.Add(-CandidatesBefore), to.Add(CandidatesAfter), true
}

// Candidate is an operation of the compte courant near the lines, with
// what the store knows of its pairing. Entry.Ticked says it is on a
// statement already: by hand when LineID is 0, else through that line.
type Candidate struct {
	Entry
	LineID int64 // the bank line it is paired with, 0 if none
}

// Plan decides what becomes of new or still unmatched statement lines, in
// two passes of Match:
//
//  1. against the operations not ticked, paired with no line and in no
//     pending proposal;
//  2. the lines left, against the operations ticked by hand (ticked, paired
//     with no line), so that a statement imported after a manual pointage
//     is recognised: those pairings carry ReasonManual first, and the
//     operations keep their pointage date.
//
// pending are the proposals already waiting for the mandataire's click:
// their operations (not their alternatives) are nobody else's candidates.
// The caller ticks Auto, records Proposed and leaves Unmatched lines as
// they are; the three lists are sorted by line id.
func Plan(lines []BankLine, candidates []Candidate, pending []Proposal, opts Options) Result {
	if len(lines) == 0 {
		return Result{}
	}
	busy := map[int64]bool{}
	for _, p := range pending {
		for _, id := range p.EntryIDs {
			busy[id] = true
		}
	}
	var open, manual []Entry
	for _, c := range candidates {
		switch {
		case c.LineID != 0 || busy[c.ID]:
		case !c.Ticked:
			open = append(open, c.Entry)
		default:
			e := c.Entry
			e.Ticked = false
			manual = append(manual, e)
		}
	}
	first := Match(lines, open, opts)
	if len(first.Unmatched) == 0 || len(manual) == 0 {
		return first
	}
	unmatched := make(map[int64]bool, len(first.Unmatched))
	for _, id := range first.Unmatched {
		unmatched[id] = true
	}
	left := make([]BankLine, 0, len(first.Unmatched))
	for _, l := range lines {
		if unmatched[l.ID] {
			left = append(left, l)
		}
	}
	second := Match(left, manual, opts)
	byLineID := func(a, b Proposal) int { return cmp.Compare(a.LineID, b.LineID) }
	out := Result{Auto: first.Auto, Proposed: first.Proposed, Unmatched: second.Unmatched}
	for _, p := range second.Auto {
		p.Reasons = append([]string{ReasonManual}, p.Reasons...)
		out.Auto = append(out.Auto, p)
	}
	for _, p := range second.Proposed {
		p.Reasons = append([]string{ReasonManual}, p.Reasons...)
		out.Proposed = append(out.Proposed, p)
	}
	slices.SortFunc(out.Auto, byLineID)
	slices.SortFunc(out.Proposed, byLineID)
	return out
}
