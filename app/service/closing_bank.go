package service

import (
	"context"
	"time"

	"retkoop/app/bank"
	"retkoop/app/ledger"
	"retkoop/app/store"
)

// closingRapprochement is the état de rapprochement of the compte courant
// at date, and whether an imported bank statement covers that date: the
// closing checks and the CRF's section 3 read it from the bank feature.
func (a *Service) closingRapprochement(ctx context.Context, cs *store.CoopScope, date time.Time) (bank.Rapprochement, bool, error) {
	return a.Rapprochement(ctx, cs, date)
}

// closingBankURL is the état de rapprochement at the end of the exercice,
// where the mandataire imports the statement covering 31 August and ticks
// the book until the gap is explained.
func ClosingBankURL(exercice string) string {
	lex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return "/coop/banque/rapprochement"
	}
	return "/coop/banque/rapprochement?date=" + lex.Fin().Format(time.DateOnly)
}
