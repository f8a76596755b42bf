package service

import (
	"context"
	"errors"
	"fmt"

	"retkoop/app/cra"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The closing of the year, seen from the app: each step the mandataire
// takes (closing the book, validating the CRF and the subsidies, submitting
// the CRA) is one transaction that does the step in the store and records
// it in the dossier (CompleteStep), so that both commit or fail together.
// The staff reopen a closed book through the dossier when there is one, so
// that its checklist asks for the book again.

// errNotReady rolls back a closing that a check refused.
var errNotReady = errors.New("closing refused by its checks")

// closingInput gathers what the closing checks need about an exercice: the
// book, the état de rapprochement at 31 August and the last cash count.
func (a *Service) ClosingInput(ctx context.Context, cs *store.CoopScope, exercice string) (ledger.ClosingInput, error) {
	b, err := cs.Book(ctx, exercice)
	if err != nil {
		return ledger.ClosingInput{}, err
	}
	lex, err := ledger.ParseExercice(b.Exercice.Name)
	if err != nil {
		return ledger.ClosingInput{}, fmt.Errorf("closing input: %w", err)
	}
	cc, err := cs.LastCashCount(ctx, exercice)
	if err != nil {
		return ledger.ClosingInput{}, err
	}
	r, statement, err := a.closingRapprochement(ctx, cs, lex.Fin())
	if err != nil {
		return ledger.ClosingInput{}, err
	}
	return ledger.ClosingInput{Exercice: lex, Opening: store.OpeningBalances(b.Exercice), Ops: b.Ops, Chart: b.Chart,
		Regies: b.Regies, Statement: statement, RapprochementGap: r.Ecart, CashCount: cc}, nil
}

// closingProblems runs every closing check; early closing (before the end
// of the exercice) also needs the mandataire's declaration that the year is
// complete.
func (a *Service) ClosingProblems(in ledger.ClosingInput, declared bool) []ledger.Problem {
	problems := ledger.CheckClosing(in)
	if ledger.ClosingEarly(in.Exercice, a.Now().In(fr.Paris)) && !declared {
		problems = append([]ledger.Problem{{Code: ledger.ProblemDeclaration, Message: fmt.Sprintf(
			"l'exercice se termine le %s : pour clôturer avant, déclarez que l'année est terminée (plus aucune opération à saisir)",
			in.Exercice.Fin().Format("02/01/2006"))}}, problems...)
	}
	return problems
}

// closeBook closes the exercice's book if every check passes, opening the
// next exercice with the closing balances and completing the dossier's
// "cloture" step in the same transaction. It returns the problems found
// (nothing is changed then).
func (a *Service) CloseBook(ctx context.Context, cs *store.CoopScope, exercice string, declared bool) ([]ledger.Problem, error) {
	var problems []ledger.Problem
	err := cs.Tx(ctx, func(tx *store.CoopScope) error {
		if ex, err := tx.Exercice(ctx, exercice); err != nil {
			return err
		} else if ex.State == store.ExerciceClosed {
			return fault.Invalidf("Le cahier de l'exercice %s est déjà clôturé.", ex.Name)
		}
		in, err := a.ClosingInput(ctx, tx, exercice)
		if err != nil {
			return err
		}
		if problems = a.ClosingProblems(in, declared); len(problems) > 0 {
			return errNotReady
		}
		stamp, err := a.Stamp(ctx, tx, "")
		if err != nil {
			return err
		}
		book := ledger.NewBook(in.Opening, in.Ops)
		open := ledger.OpenItems(book.Ops, in.Exercice.Fin())
		if err := tx.CloseExercice(ctx, store.Closing{Exercice: exercice, Balances: book.Closing().Treasuries(),
			By: stamp.By, OpenItems: open}); err != nil {
			return err
		}
		_, err = a.CompleteStep(ctx, tx, exercice, workflow.Cloture, nil)
		return err
	})
	if errors.Is(err, errNotReady) {
		return problems, nil
	}
	return nil, err
}

// validateCRF freezes the CRF as the mandataire validates it and completes
// the dossier's "crf" step.
func (a *Service) ValidateCRF(ctx context.Context, cs *store.CoopScope, exercice string) error {
	return cs.Tx(ctx, func(tx *store.CoopScope) error {
		if _, err := tx.ValidateCRF(ctx, exercice); err != nil {
			return err
		}
		_, err := a.CompleteStep(ctx, tx, exercice, workflow.CRF, nil)
		return err
	})
}

// validateSubsidies validates the tableau des subventions and hands its
// rows to the dossier, which then expects a proof of each.
func (a *Service) ValidateSubsidies(ctx context.Context, cs *store.CoopScope, exercice string) error {
	return cs.Tx(ctx, func(tx *store.CoopScope) error {
		subs, err := tx.ValidateSubsidies(ctx, exercice)
		if err != nil {
			return err
		}
		refs := ledger.SubsidyRefs(subs)
		rows := make([]workflow.Subsidy, len(subs))
		for i, s := range subs {
			rows[i] = workflow.Subsidy{Ref: refs[i], Label: s.Label()}
		}
		_, err = a.CompleteStep(ctx, tx, exercice, workflow.Subventions, rows)
		return err
	})
}

// saveCRA keeps the CRA's answers as a draft, or submits them and
// completes the dossier's "cra" step.
func (a *Service) SaveCRA(ctx context.Context, cs *store.CoopScope, exercice string, answers cra.Answers, submit bool) error {
	if !submit {
		return cs.SaveCRA(ctx, exercice, answers, false)
	}
	return cs.Tx(ctx, func(tx *store.CoopScope) error {
		if err := tx.SaveCRA(ctx, exercice, answers, true); err != nil {
			return err
		}
		_, err := a.CompleteStep(ctx, tx, exercice, workflow.CRA, nil)
		return err
	})
}

// reopenBook is the staff reopening a closed book, with a reason. When the
// exercice's dossier counts the closing as done, the reopening goes through
// it (a correction of the "cloture" item, reopening a validated dossier if
// need be), so that its checklist asks for the closing again; the dossier's
// ReopenBook effect then reopens the exercice (closingEffect). Otherwise
// the exercice is reopened directly. cs is the staff's scope of the coop.
func (a *Service) ReopenBook(ctx context.Context, cs *store.CoopScope, exercice, reason string) error {
	return cs.Tx(ctx, func(tx *store.CoopScope) error {
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil {
			return err
		}
		if ex.State != store.ExerciceClosed {
			return fault.Invalidf("L'exercice %s n'est pas clôturé : il n'y a rien à rouvrir.", ex.Name)
		}
		stamp, err := a.Stamp(ctx, tx, "")
		if err != nil {
			return err
		}
		ev, err := reopeningEvent(ctx, tx, exercice, stamp, reason)
		if err != nil {
			return err
		}
		if ev == nil {
			return tx.ReopenExercice(ctx, exercice, reason, stamp.By)
		}
		_, err = a.DossierEvent(ctx, tx, exercice, ev)
		return err
	})
}

// reopeningEvent chooses the dossier event of a reopening: nil when the
// dossier does not count the closing as done (or does not exist).
func reopeningEvent(ctx context.Context, cs *store.CoopScope, exercice string, stamp workflow.Stamp, reason string) (workflow.Event, error) {
	row, err := cs.FindDossier(ctx, exercice)
	if errors.Is(err, fault.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d, err := row.Decode()
	if err != nil {
		return nil, err
	}
	it, ok := d.Item(workflow.Cloture)
	switch {
	case d.Validated:
		return workflow.DossierReopened{Stamp: stamp, Reason: reason, Items: []workflow.ItemKey{workflow.Cloture}}, nil
	case ok && (it.Status == workflow.ItemRecu || it.Status == workflow.ItemAccepte):
		return workflow.CorrectionRequested{Stamp: stamp, Item: workflow.Cloture, Reason: reason}, nil
	}
	return nil, nil
}

// closingEffect carries out, inside the dossier's transaction, the effects
// that belong to the closing: lock or unlock the CRF when the staff
// validate or reopen the dossier, reopen the book or a step's form when
// they ask for a correction.
func (a *Service) closingEffect(ctx context.Context, tx *store.CoopScope, d workflow.Dossier, e workflow.Effect) error {
	exercice, err := tx.ExerciceOfCampaign(ctx, d.CampaignID)
	if err != nil {
		return err
	}
	switch e := e.(type) {
	case workflow.LockCRF:
		return tx.LockCRF(ctx, exercice)
	case workflow.UnlockCRF:
		return tx.UnlockCRF(ctx, exercice)
	case workflow.ReopenBook:
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil || ex.State != store.ExerciceClosed {
			return err // nothing to reopen: the book is open already
		}
		stamp, err := a.Stamp(ctx, tx, "")
		if err != nil {
			return err
		}
		return tx.ReopenExercice(ctx, exercice, e.Reason, stamp.By)
	case workflow.ReopenStep:
		switch e.Item {
		case workflow.CRF:
			return tx.ReopenCRF(ctx, exercice, false)
		case workflow.Subventions:
			return tx.ReopenSubsidies(ctx, exercice)
		case workflow.CRA:
			return tx.ReopenCRA(ctx, exercice)
		}
	}
	return nil
}
