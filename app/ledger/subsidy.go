package ledger

import (
	"slices"

	"retkoop/app/money"
)

// SubsidyOperation is one row of the tableau des subventions as the
// mandataire edits it: a recette with at least one line on a 74… account,
// the subsidy accounts it touches and the part of its amount they carry.
type SubsidyOperation struct {
	Op       *Operation
	Accounts []string
	Amount   money.Money
}

// SubsidyOperations lists, in the book's order, every recette ventilated
// (at least partly) on a subsidy account. ops must be in the book's order
// (as Book.Ops); the rows point into ops.
func SubsidyOperations(ops []Operation) []SubsidyOperation {
	var out []SubsidyOperation
	for i := range ops {
		op := &ops[i]
		if op.Kind != Recette {
			continue
		}
		var row SubsidyOperation
		for _, l := range op.Lines {
			if SubsidyAccount(l.Account) {
				row.Amount += l.Amount
				if !slices.Contains(row.Accounts, l.Account) {
					row.Accounts = append(row.Accounts, l.Account)
				}
			}
		}
		if len(row.Accounts) > 0 {
			row.Op = op
			out = append(out, row)
		}
	}
	return out
}
