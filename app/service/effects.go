package service

import (
	"context"
	"fmt"

	"retkoop/app/store"
	"retkoop/workflow"
)

// carryOut is the hook ApplyDossier calls inside the transaction that saves
// a dossier, with the effects of the event just applied. Every effect is
// already recorded in the dossier's history (its "effects" column) by then,
// so nothing is lost while a case below only records it; each feature
// extends its own case, inside this transaction, so that the dossier and
// what it triggers commit or fail together:
//
//   - NotifyMandataire, NotifyStaff: the outbox queues the e-mail (sent
//     after commit by the outbox sender);
//   - LockCRF, UnlockCRF, ReopenBook, ReopenStep: the closing feature locks
//     or unlocks the CRF, reopens the book or the step's form.
func (a *Service) CarryOut(ctx context.Context, tx *store.CoopScope, d workflow.Dossier, effects []workflow.Effect) error {
	for _, e := range effects {
		switch e := e.(type) {
		case workflow.NotifyMandataire:
			// — outbox: mail to the mandataire —
			if err := a.notifyMandataire(ctx, tx, d, e); err != nil {
				return err
			}
		case workflow.NotifyStaff:
			// — outbox: notice to the staff (or their digest) —
			// Told in the weekday staff digest (app/digest.go): what arrived,
			// what waits for review.
		case workflow.LockCRF, workflow.UnlockCRF:
			// — closing: lock / unlock the CRF of the dossier's exercice —
			if err := a.closingEffect(ctx, tx, d, e); err != nil {
				return err
			}
		case workflow.ReopenBook, workflow.ReopenStep:
			// — closing: reopen the book / the step's form —
			if err := a.closingEffect(ctx, tx, d, e); err != nil {
				return err
			}
		default:
			return fmt.Errorf("carry out: unknown effect %T for coop %d", e, tx.ID())
		}
	}
	return nil
}
