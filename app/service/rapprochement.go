package service

import (
	"context"
	"time"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// rapprochement is the état de rapprochement of the coop's compte courant
// at the end of date, and whether an imported statement covers that date
// with a known balance (without one the statement balance is only the sum
// of the imported lines and the gap means nothing).
//
//   - statement balance: anchored on the balance of the statement imported
//     last among those covering date (else the nearest known balance), moved
//     by the imported lines between that balance's day and date;
//   - book balance: the compte courant at date in the exercice holding date;
//   - open items: operations of the compte courant open at date
//     (ledger.Operation.OpenAt), in every exercice: a cheque written in
//     August and cashed in September is open at 31 August and ticked by
//     the next exercice's statement.
func (a *Service) Rapprochement(ctx context.Context, cs *store.CoopScope, date time.Time) (bank.Rapprochement, bool, error) {
	date = CivilDay(date)
	periods, lines, err := cs.BankHistory(ctx)
	if err != nil {
		return bank.Rapprochement{}, false, err
	}
	releve, covered, known := bank.BalanceAt(periods, lines, date)
	livre, err := bookBankBalance(ctx, cs, date)
	if err != nil {
		return bank.Rapprochement{}, false, err
	}
	ops, err := cs.BankOperations(ctx, store.CompteFilter{To: date})
	if err != nil {
		return bank.Rapprochement{}, false, err
	}
	var entries []bank.Entry
	for i := range ops {
		if ops[i].Op.OpenAt(date) {
			entries = append(entries, bankEntry(&ops[i].Op))
		}
	}
	return bank.Reconcile(date, releve, livre, entries), covered && known, nil
}

// bookBankBalance is the compte courant of the book at the end of date:
// the exercice holding date, or the last one before it.
func bookBankBalance(ctx context.Context, cs *store.CoopScope, date time.Time) (money.Money, error) {
	exs, err := cs.Exercices(ctx)
	if err != nil {
		return 0, err
	}
	for i := range exs { // most recent first
		lex, err := ledger.ParseExercice(exs[i].Name)
		if err != nil || lex.Debut().After(date) {
			continue
		}
		ops, err := cs.BookOperations(ctx, exs[i].Name)
		if err != nil {
			return 0, err
		}
		return ledger.NewBook(store.OpeningBalances(&exs[i]), ops).BalanceAt(ledger.Banque, date), nil
	}
	return 0, fault.Invalidf("Aucun exercice du cahier ne couvre le %s.", date.Format("02/01/2006"))
}

// bankEntry is an operation of the compte courant as the matcher and the
// état de rapprochement see it: signed (+ recette, − dépense) from the
// bank's side.
func bankEntry(op *ledger.Operation) bank.Entry {
	e := bank.Entry{ID: op.ID, Date: op.Date, Piece: op.Piece, Amount: op.Delta(ledger.Banque), Mode: string(op.Mode),
		Label: op.Libelle, Ticked: op.Ticked != nil}
	if op.Kind == ledger.Depense && op.Mode == ledger.Cheque {
		e.Cheque = op.Cheque
	}
	return e
}

// civilDay is midnight UTC of the day d shows, the form of every date of
// the book and the bank.
func CivilDay(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}
