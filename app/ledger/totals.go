package ledger

import (
	"slices"
	"strings"
	"time"

	"retkoop/app/money"
)

// Totals sums the recettes and dépenses of a list of operations, from their
// ventilation. Transfers move money between the coop's own treasuries and
// are neither revenue nor expense, so they are left out.
type Totals struct {
	Recettes money.Money
	Depenses money.Money
	// ByAccount is the total of each account in its natural direction: a
	// charge account (6…) sums dépenses, any other account sums recettes;
	// a line against that direction (refused by Validate, but possible in
	// old data) counts negative, so that produits − charges always equals
	// Recettes − Depenses.
	ByAccount map[string]money.Money
	// ByProject holds the totals of each project; operations without a
	// project are under "".
	ByProject map[string]ProjectTotal
}

// ProjectTotal is the statement of one project.
type ProjectTotal struct {
	Recettes money.Money
	Depenses money.Money
}

// Resultat returns recettes − dépenses of the project.
func (p ProjectTotal) Resultat() money.Money { return p.Recettes - p.Depenses }

// Resultat returns recettes − dépenses.
func (t Totals) Resultat() money.Money { return t.Recettes - t.Depenses }

// AccountTotal is the total of one account.
type AccountTotal struct {
	Account string
	Amount  money.Money
}

// Accounts returns the non-zero account totals sorted by code.
func (t Totals) Accounts() []AccountTotal {
	out := make([]AccountTotal, 0, len(t.ByAccount))
	for a, m := range t.ByAccount {
		if m != 0 {
			out = append(out, AccountTotal{Account: a, Amount: m})
		}
	}
	slices.SortFunc(out, func(a, b AccountTotal) int { return strings.Compare(a.Account, b.Account) })
	return out
}

// Projects returns the project names with operations, sorted, "" (no
// project) excluded.
func (t Totals) Projects() []string {
	var out []string
	for p := range t.ByProject {
		if p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// ComputeTotals sums the ventilation lines of the recettes and dépenses.
// Recettes and Depenses come from the lines, not from the operation amounts,
// so that an unbalanced ventilation shows up as a broken balance identity.
func ComputeTotals(ops []Operation) Totals {
	t := Totals{ByAccount: make(map[string]money.Money, 32), ByProject: map[string]ProjectTotal{}}
	for i := range ops {
		op := &ops[i]
		if op.Kind != Recette && op.Kind != Depense {
			continue
		}
		var sum money.Money
		for _, l := range op.Lines {
			if ChargeAccount(l.Account) == (op.Kind == Depense) {
				t.ByAccount[l.Account] += l.Amount
			} else {
				t.ByAccount[l.Account] -= l.Amount
			}
			sum += l.Amount
		}
		p := t.ByProject[op.Project]
		if op.Kind == Recette {
			t.Recettes += sum
			p.Recettes += sum
		} else {
			t.Depenses += sum
			p.Depenses += sum
		}
		t.ByProject[op.Project] = p
	}
	return t
}

// Filter selects operations of the book; zero fields match everything.
type Filter struct {
	From, To time.Time // inclusive days
	Kind     Kind
	Treasury Treasury // operations touching it (either side of a transfer)
	Account  string
	Project  string
	// Text is searched, case-insensitively, in the libellé, pièce and
	// cheque number.
	Text string
	// Unticked keeps only operations not yet on a bank statement.
	Unticked bool
}

// Match reports whether op passes the filter.
func (f Filter) Match(op *Operation) bool {
	switch {
	case !f.From.IsZero() && dayKey(op.Date) < dayKey(f.From),
		!f.To.IsZero() && dayKey(op.Date) > dayKey(f.To),
		f.Kind != "" && op.Kind != f.Kind,
		f.Treasury != "" && !op.Touches(f.Treasury),
		f.Project != "" && op.Project != f.Project,
		f.Unticked && op.Ticked != nil:
		return false
	}
	if f.Account != "" && !slices.ContainsFunc(op.Lines, func(l Line) bool { return l.Account == f.Account }) {
		return false
	}
	if f.Text != "" {
		q := strings.ToLower(f.Text)
		if !strings.Contains(strings.ToLower(op.Libelle), q) &&
			!strings.Contains(strings.ToLower(op.Piece), q) && !strings.Contains(op.Cheque, q) {
			return false
		}
	}
	return true
}

// Select returns the operations that pass the filter, in their order.
func (f Filter) Select(ops []Operation) []Operation {
	var out []Operation
	for i := range ops {
		if f.Match(&ops[i]) {
			out = append(out, ops[i])
		}
	}
	return out
}
