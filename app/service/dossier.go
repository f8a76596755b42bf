package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The annual submission, seen from the app: every change of a dossier goes
// through dossierEvent, which saves the new state, its history and its
// effects in one transaction. CompleteStep (closing pages) and
// ReceiveDocument (uploads, mail-in, post) are the entry points other
// features call.

// dossierEvent applies ev to the coop's dossier of exercice and carries out
// its effects (carryOut) inside the same transaction.
func (a *Service) DossierEvent(ctx context.Context, cs *store.CoopScope, exercice string, ev workflow.Event) (workflow.Dossier, error) {
	d, _, err := cs.ApplyDossier(ctx, exercice, ev, a.CarryOut)
	return d, err
}

// CompleteStep records that the mandataire completed a step of the dossier
// in the app: the book closed (workflow.Cloture), the CRA submitted (CRA),
// the CRF validated (CRF), the tableau des subventions validated
// (Subventions, with its rows in subsidies; nil otherwise). Call it in the
// transaction of the step itself (pass the tx scope) so that both commit
// together.
func (a *Service) CompleteStep(ctx context.Context, cs *store.CoopScope, exercice string, item workflow.ItemKey, subsidies []workflow.Subsidy) (workflow.Dossier, error) {
	stamp, err := a.Stamp(ctx, cs, "")
	if err != nil {
		return workflow.Dossier{}, err
	}
	return a.DossierEvent(ctx, cs, exercice, workflow.StepCompleted{Stamp: stamp, Item: item, Subsidies: subsidies})
}

// Receipt tells what became of a document sent for a dossier item.
type Receipt struct {
	Document *store.Document
	Item     workflow.ItemKey
	// Duplicate is true when the dossier already had this very file:
	// nothing changed, ReceivedAt says when it first came.
	Duplicate  bool
	ReceivedAt time.Time
}

// ReceiveDocument attaches a stored document of the coop to an item of its
// dossier for exercice (doc comes from CoopScope.AddDocument). The same file
// twice is reported as a duplicate, with no second history entry. Mail-in
// calls it with workflow.SourceMail and a system scope, staff recording a
// letter with SourcePoste.
func (a *Service) ReceiveDocument(ctx context.Context, cs *store.CoopScope, exercice string, item workflow.ItemKey, source workflow.Source, doc *store.Document) (Receipt, error) {
	if r, ok, err := a.alreadyReceived(ctx, cs, exercice, doc); ok || err != nil {
		return r, err
	}
	stamp, err := a.Stamp(ctx, cs, source)
	if err != nil {
		return Receipt{}, err
	}
	ev := workflow.DocumentReceived{Stamp: stamp, Item: item, Source: source, DocumentID: doc.ID}
	if _, err := a.DossierEvent(ctx, cs, exercice, ev); err != nil {
		// The same file sent twice at once: the second finds it attached.
		if r, ok, err2 := a.alreadyReceived(ctx, cs, exercice, doc); ok && err2 == nil {
			return r, nil
		}
		return Receipt{}, err
	}
	return Receipt{Document: doc, Item: item, ReceivedAt: stamp.At}, nil
}

// alreadyReceived reports whether doc is attached to the dossier already.
func (a *Service) alreadyReceived(ctx context.Context, cs *store.CoopScope, exercice string, doc *store.Document) (Receipt, bool, error) {
	_, d, err := cs.Dossier(ctx, exercice)
	if err != nil {
		return Receipt{}, false, err
	}
	for _, it := range d.Items {
		for _, got := range it.Documents {
			if got.ID == doc.ID {
				return Receipt{Document: doc, Item: it.Key, Duplicate: true, ReceivedAt: got.ReceivedAt}, true, nil
			}
		}
	}
	return Receipt{}, false, nil
}

// receiveFile records a file just put in the docstore as a document of the
// coop and attaches it to the item, both in one transaction.
func (a *Service) ReceiveFile(ctx context.Context, cs *store.CoopScope, exercice string, item workflow.ItemKey, source workflow.Source, st docstore.Stored, name string) (Receipt, error) {
	var r Receipt
	err := cs.Tx(ctx, func(tx *store.CoopScope) error {
		doc, _, err := tx.AddDocument(ctx, st, name, string(source))
		if err != nil {
			return err
		}
		r, err = a.ReceiveDocument(ctx, tx, exercice, item, source, doc)
		return err
	})
	return r, err
}

// documentItem reads the item of a route: an unknown key is a 404, a step
// item (done in the app, not by sending a file) a user error.
func DocumentItem(s string) (workflow.ItemKey, error) {
	k, err := workflow.ParseItemKey(s)
	if err != nil {
		return "", fault.ErrNotFound
	}
	if k.IsStep() {
		return "", fault.Invalidf("« %s » se fait dans l'application, pas par l'envoi d'un document.", k.Label())
	}
	return k, nil
}

// stamp says who acts through cs, now: the user's name and role, or, for
// the system, how the document came ("courriel").
func (a *Service) Stamp(ctx context.Context, cs *store.CoopScope, source workflow.Source) (workflow.Stamp, error) {
	s := workflow.Stamp{At: a.Now()}
	if id := cs.Actor(); id != nil {
		u, err := a.DB.Auth().UserByID(ctx, *id)
		if err != nil {
			return s, fmt.Errorf("stamp: %w", err)
		}
		s.By = userLabel(u)
		return s, nil
	}
	switch source {
	case workflow.SourceMail:
		s.By = "courriel"
	default:
		s.By = "retkoop"
	}
	return s, nil
}

// userLabel names a user in a dossier's history.
func userLabel(u *store.User) string {
	name := u.Name
	if name == "" {
		name = u.Login
	}
	switch u.Role {
	case store.RoleMandataire:
		return name + " (mandataire)"
	case store.RoleStaff, store.RoleAdmin:
		return name + " (AD)"
	}
	return name
}

// CurrentExercice returns the exercice whose dossier the coop works on
// now (see submissionExercice): the rule of "Mon dossier", of mail-in and
// of the closing pages.
func (a *Service) CurrentExercice(ctx context.Context, cs *store.CoopScope) (string, error) {
	now := a.Now()
	last, next := ledger.ExerciceFor(now).Prev().String(), ledger.ExerciceFor(now).String()
	has := func(name string) (bool, error) {
		_, err := cs.Exercice(ctx, name)
		if errors.Is(err, fault.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	hasLast, err := has(last)
	if err != nil {
		return "", err
	}
	hasNext, err := has(next)
	if err != nil {
		return "", err
	}
	deadline, _ := workflow.DefaultDeadline(last)
	if cp, err := cs.FindCampaign(ctx, last); err == nil {
		deadline = cp.DeadlineTime()
	} else if !errors.Is(err, fault.ErrNotFound) {
		return "", err
	}
	validated := false
	if row, err := cs.FindDossier(ctx, last); err == nil {
		validated = row.Status == string(workflow.DossierValide)
	} else if !errors.Is(err, fault.ErrNotFound) {
		return "", err
	}
	return SubmissionExercice(now, last, next, deadline, validated, hasLast, hasNext), nil
}

// submissionExercice is the rule of the current dossier. The exercice that
// ended last (its campaign opened on 1 September) stays current until its
// deadline (the whole deadline day, Paris time), and after it for as long
// as its dossier is not validated: a late coop keeps seeing what it owes.
// Once that dossier is validated and the deadline passed, the exercice in
// progress, whose deadline is the next one, takes over. A coop that lacks
// one of the two exercices gets the other.
func SubmissionExercice(now time.Time, last, next string, deadline time.Time, lastValidated, hasLast, hasNext bool) string {
	switch {
	case !hasLast && hasNext:
		return next
	case !hasNext:
		return last
	}
	y, m, d := deadline.Date()
	passed := !now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, workflow.Paris()))
	if passed && lastValidated {
		return next
	}
	return last
}

// mailExercice picks the dossier of a document: hint (from a QR code, or
// the message's ledger row) when the coop has that exercice, else the
// coop's current one.
func (a *Service) MailExercice(ctx context.Context, cs *store.CoopScope, hint string) (string, error) {
	if hint != "" {
		if _, err := cs.Exercice(ctx, hint); err == nil {
			return hint, nil
		} else if !errors.Is(err, fault.ErrNotFound) {
			return "", err
		}
	}
	return a.CurrentExercice(ctx, cs)
}
