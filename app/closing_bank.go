package app

import (
	"context"
	"time"

	"retkoop/app/bank"
	"retkoop/app/store"
)

// closingRapprochement is the état de rapprochement of the compte courant
// at date, and whether an imported bank statement covers that date: the
// closing checks and the CRF's section 3 read it from the bank feature.
func (a *App) closingRapprochement(ctx context.Context, cs *store.CoopScope, date time.Time) (bank.Rapprochement, bool, error) {
	return a.rapprochement(ctx, cs, date)
}

// closingBankURL is where the mandataire imports the statement and ticks
// the book, to fix a rapprochement that does not explain the whole gap.
func closingBankURL(exercice string) string { return bookURL(exercice, "") + "?tresorerie=banque&non_pointees=1" }
