package bank

import (
	"slices"
	"testing"
	"time"
)

// cand is an operation of the book as Plan sees it: ticked says it is on a
// statement, lineID the line it is paired with.
func cand(e Entry, ticked bool, lineID int64) Candidate {
	e.Ticked = ticked
	return Candidate{Entry: e, LineID: lineID}
}

func TestPlan(t *testing.T) {
	cheque := func(id int64, date, no string) Entry {
		return entry(id, date, "-45,00", "cheque", no, "Librairie Privat")
	}
	tests := []struct {
		name       string
		lines      []BankLine
		candidates []Candidate
		pending    []Proposal
		auto       []string
		proposed   []string
		unmatched  []int64
		manual     []int64 // lines whose pairing starts with ReasonManual
	}{
		{name: "no line", candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), false, 0)}},
		{
			name:       "an open operation is ticked in the first pass",
			lines:      []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), false, 0)},
			auto:       []string{"10→1"},
		},
		{
			name:       "an operation paired with another line is no candidate",
			lines:      []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), true, 9)},
			unmatched:  []int64{10},
		},
		{
			name:       "an operation of a pending proposal is no candidate",
			lines:      []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), false, 0)},
			pending:    []Proposal{{LineID: 9, EntryIDs: []int64{1}}},
			unmatched:  []int64{10},
		},
		{
			name:       "an alternative of a pending proposal stays a candidate",
			lines:      []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), false, 0)},
			pending:    []Proposal{{LineID: 9, EntryIDs: []int64{2}, Alternatives: [][]int64{{1}}}},
			auto:       []string{"10→1"},
		},
		{
			name:       "a pointage by hand is recognised in the second pass",
			lines:      []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), true, 0)},
			auto:       []string{"10→1"},
			manual:     []int64{10},
		},
		{
			name:  "an open operation wins over one ticked by hand",
			lines: []BankLine{line(10, "2025-11-10", "CHEQUE 1234567", "-45,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), true, 0),
				cand(cheque(2, "2025-10-02", "1234567"), false, 0)},
			auto: []string{"10→2"},
		},
		{
			name: "both passes, sorted by line id",
			lines: []BankLine{
				line(13, "2025-11-12", "FRAIS TENUE DE COMPTE", "-3,00"),
				line(12, "2025-11-12", "CHEQUE 7654321", "-45,00"),
				line(11, "2025-11-10", "CHEQUE 1234567", "-45,00"),
			},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), true, 0),
				cand(cheque(2, "2025-10-02", "7654321"), false, 0)},
			auto:      []string{"11→1", "12→2"},
			unmatched: []int64{13},
			manual:    []int64{11},
		},
		{
			name: "ambiguous pointages by hand are proposed, with the reason",
			lines: []BankLine{
				line(10, "2025-10-15", "CHEQUE", "-60,00"),
				line(11, "2025-10-20", "CHEQUE", "-60,00"),
			},
			candidates: []Candidate{
				cand(entry(1, "2025-10-01", "-60,00", "cheque", "0001235", "Entrées musée"), true, 0),
				cand(entry(2, "2025-10-02", "-60,00", "cheque", "0001236", "Intervenant musique"), true, 0),
			},
			proposed: []string{"10→2", "11→1"},
			manual:   []int64{10, 11},
		},
		{
			name:       "a line nothing fits stays unmatched",
			lines:      []BankLine{line(10, "2025-11-12", "FRAIS TENUE DE COMPTE", "-3,00")},
			candidates: []Candidate{cand(cheque(1, "2025-10-01", "1234567"), true, 0)},
			unmatched:  []int64{10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Plan(tt.lines, tt.candidates, tt.pending, Options{})
			if got := pairs(res.Auto); !slices.Equal(got, tt.auto) {
				t.Errorf("auto = %v, want %v", got, tt.auto)
			}
			if got := pairs(res.Proposed); !slices.Equal(got, tt.proposed) {
				t.Errorf("proposed = %v, want %v", got, tt.proposed)
			}
			if !slices.Equal(res.Unmatched, tt.unmatched) {
				t.Errorf("unmatched = %v, want %v", res.Unmatched, tt.unmatched)
			}
			var manual []int64
			for _, p := range append(slices.Clone(res.Auto), res.Proposed...) {
				if slices.Contains(p.Reasons, ReasonManual) {
					if p.Reasons[0] != ReasonManual {
						t.Errorf("line %d: %q is not the first reason: %v", p.LineID, ReasonManual, p.Reasons)
					}
					manual = append(manual, p.LineID)
				}
			}
			slices.Sort(manual)
			if !slices.Equal(manual, tt.manual) {
				t.Errorf("lines recognised as ticked by hand = %v, want %v", manual, tt.manual)
			}
		})
	}
}

// TestPlanOrder: the plan does not depend on the order of its inputs.
func TestPlanOrder(t *testing.T) {
	lines := []BankLine{
		line(12, "2025-11-10", "CHEQUE 1234567", "-45,00"),
		line(11, "2025-11-12", "CHEQUE 7654321", "-45,00"),
		line(13, "2025-10-06", "REMISE CHEQUES 0004512", "30,00"),
	}
	cands := []Candidate{
		cand(entry(1, "2025-10-01", "-45,00", "cheque", "1234567", ""), true, 0),
		cand(entry(2, "2025-10-02", "-45,00", "cheque", "7654321", ""), false, 0),
		cand(entry(3, "2025-10-01", "15,00", "cheque", "", "Participation Martin"), false, 0),
		cand(entry(4, "2025-10-02", "15,00", "cheque", "", "Participation Durand"), false, 0),
	}
	want := Plan(lines, cands, nil, Options{})
	slices.Reverse(lines)
	slices.Reverse(cands)
	got := Plan(lines, cands, nil, Options{})
	if !slices.Equal(pairs(got.Auto), pairs(want.Auto)) || !slices.Equal(pairs(got.Proposed), pairs(want.Proposed)) ||
		!slices.Equal(got.Unmatched, want.Unmatched) {
		t.Errorf("reversed inputs: %+v, want %+v", got, want)
	}
	if len(want.Auto)+len(want.Proposed) != 3 {
		t.Errorf("plan = %+v, want the three lines paired", want)
	}
}

func TestCandidateWindow(t *testing.T) {
	tests := []struct {
		name     string
		lines    []BankLine
		from, to string
		ok       bool
	}{
		{name: "no line"},
		{name: "one line", lines: []BankLine{line(1, "2025-11-10", "", "1,00")}, from: "2025-07-13", to: "2025-12-10", ok: true},
		{name: "unordered lines", lines: []BankLine{line(1, "2025-11-10", "", "1,00"), line(2, "2025-12-31", "", "1,00"),
			line(3, "2025-10-01", "", "1,00")}, from: "2025-06-03", to: "2026-01-30", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, ok := CandidateWindow(tt.lines)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if f, l := from.Format(time.DateOnly), to.Format(time.DateOnly); f != tt.from || l != tt.to {
				t.Errorf("window = %s..%s, want %s..%s", f, l, tt.from, tt.to)
			}
		})
	}
}
