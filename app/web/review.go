package web

import (
	"context"
	"errors"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/review"
	"retkoop/app/store"
	"retkoop/workflow"
)

// What the staff see on a coop's dossier besides the checklist: the CRF as
// the mandataire validated it (or its draft), the CRA as submitted, and the
// automatic cross-checks (package review) in green and red. The dossier
// page includes it as the partial "dossier_checks".

// reviewView is the dossier page's review section.
type reviewView struct {
	Checks   []review.Check
	Failed   int
	CRF      *crfPage
	CRA      *craView
	CRFState string // brouillon, valide, verrouille
	Exercice string
	// ExerciceURL is the staff's exercice page (CRF downloads, book
	// history, reopening of the book).
	ExerciceURL string
}

// loadReview gathers the figures of the cross-checks for the coop's
// exercice and runs them.
func (a *Handler) loadReview(ctx context.Context, cs *store.CoopScope, exercice string, d workflow.Dossier) (*reviewView, error) {
	r, err := cs.CRF(ctx, exercice)
	if err != nil {
		return nil, err
	}
	page, err := a.loadCRFPage(ctx, mandataireSpace, cs, r)
	if err != nil {
		return nil, err
	}
	cra, err := cs.CRA(ctx, exercice)
	if err != nil {
		return nil, err
	}
	v := &reviewView{CRF: page, CRA: newCRAView(cra, "", nil), CRFState: r.State.Status, Exercice: exercice,
		ExerciceURL: staffExerciceURL(cs.ID(), exercice)}
	in := review.Input{Exercice: exercice, KeepsBook: page.KeepsBook, CRF: r.CRF,
		Opening: ledger.Treasuries{Banque: r.Exercice.OpeningBank, Caisse: r.Exercice.OpeningCash}}
	if in.Previous, err = previousClosing(ctx, cs, exercice); err != nil {
		return nil, err
	}
	if rp := page.Rapprochement; rp != nil {
		in.Statement, in.StatementBalance, in.BookBalance, in.Gap = true, rp.SoldeReleve, rp.SoldeLivre, rp.Ecart
		for _, it := range rp.NonPointees {
			in.Unticked += it.Montant
		}
	}
	it, _ := d.Item(workflow.Subventions)
	in.SubsidyListKnown = it.Status != workflow.ItemManquant || r.State.SubsidiesValidated()
	for _, p := range d.Proofs() {
		in.SubsidiesExpected++
		if p.Proved() {
			in.SubsidiesProved++
		}
	}
	if page.KeepsBook {
		if in.CashCount, err = cs.LastCashCount(ctx, exercice); err != nil {
			return nil, err
		}
		if in.UnsettledRegies, err = unsettledRegies(ctx, cs, exercice); err != nil {
			return nil, err
		}
	}
	v.Checks = review.Checks(in)
	v.Failed = review.Failed(v.Checks)
	return v, nil
}

// previousClosing is the closing of the exercice before, when the app
// knows it: its CRF once validated, or its closed book.
func previousClosing(ctx context.Context, cs *store.CoopScope, exercice string) (*ledger.Treasuries, error) {
	lex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return nil, fault.User(err)
	}
	prev, err := cs.CRF(ctx, lex.Prev().String())
	if errors.Is(err, fault.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !prev.State.Frozen() && prev.Exercice.State != store.ExerciceClosed {
		return nil, nil
	}
	t := prev.CRF.TresorerieFin
	return &t, nil
}

// unsettledRegies lists the régies not at zero at the end of the book.
func unsettledRegies(ctx context.Context, cs *store.CoopScope, exercice string) ([]ledger.Problem, error) {
	b, err := cs.Book(ctx, exercice)
	if err != nil {
		return nil, err
	}
	return ledger.UnsettledRegies(b.Regies, ledger.NewBook(store.OpeningBalances(b.Exercice), b.Ops).Closing()), nil
}

// staffReview prepares the review section of the staff's dossier page and
// records that the staff member has seen the dossier as it is now (the
// queue's "nouveau" mark).
func (a *Handler) staffReview(ctx context.Context, cs *store.CoopScope, exercice string) (*reviewView, error) {
	row, d, err := cs.Dossier(ctx, exercice)
	if err != nil {
		return nil, err
	}
	if err := cs.MarkDossierSeen(ctx, row); err != nil {
		return nil, err
	}
	return a.loadReview(ctx, cs, exercice, d)
}
