package service

import (
	"context"
	"time"

	"retkoop/app/bank"
	"retkoop/app/store"
)

// closingRapprochement is the état de rapprochement of the compte courant
// at date, and whether an imported bank statement covers that date: the
// closing checks and the CRF's section 3 read it from the bank feature.
func (a *Service) closingRapprochement(ctx context.Context, cs *store.CoopScope, date time.Time) (bank.Rapprochement, bool, error) {
	return a.Rapprochement(ctx, cs, date)
}
