package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/workflow"
)

// demoClosingChunk is how many books are loaded at once.
const demoClosingChunk = 200

// seedDemoClosing brings the demo coops' books and CRFs in line with their
// dossiers (seedDemoDossiers): a dossier whose closing step is done gets a
// closed book and the next exercice opened with the closing balances; one
// whose CRF and subsidies steps are done gets them validated (figures
// frozen); a validated dossier gets its CRF locked. The figures come from
// each coop's book through app/ledger, in bulk so that 2,000 coops take
// seconds. Coops that already have a CRF are left alone.
func seedDemoClosing(ctx context.Context, db *store.DB, o Options, adID int64, exercice string) error {
	lex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return fmt.Errorf("seed demo closing: %w", err)
	}
	targets, err := db.System().ClosingTargets(ctx, adID, exercice)
	targets = slices.DeleteFunc(targets, func(t store.ClosingTarget) bool { return !o.owns(t.Coop.UAI) })
	if err != nil || len(targets) == 0 {
		return err
	}
	first, err := db.ForCoop(ctx, targets[0].Coop.ID, nil)
	if err != nil {
		return err
	}
	chart, err := first.Chart(ctx)
	if err != nil {
		return err
	}
	// The mandataires closed in the first half of September.
	at := time.Date(lex.StartYear+1, time.September, 12, 17, 30, 0, 0, fr.Paris)
	for start := 0; start < len(targets); start += demoClosingChunk {
		part := targets[start:min(start+demoClosingChunk, len(targets))]
		var exs []store.Exercice
		for _, t := range part {
			if it, ok := demoStep(t, workflow.Cloture); ok && it && t.Coop.BookMode == store.BookKept && !t.HasCRF {
				exs = append(exs, t.Exercice)
			}
		}
		books, err := db.System().ExercicesOperations(ctx, exs)
		if err != nil {
			return err
		}
		var seeds []store.ClosingSeed
		for i, t := range part {
			if s, ok := demoClosingSeed(t, lex, chart, books[t.Exercice.ID], at.Add(time.Duration(start+i)*time.Minute)); ok {
				seeds = append(seeds, s)
			}
		}
		if err := db.System().SeedClosings(ctx, seeds); err != nil {
			return err
		}
	}
	return nil
}

// demoClosingSeed decides one coop's year-end from its dossier.
func demoClosingSeed(t store.ClosingTarget, lex ledger.Exercice, chart ledger.Chart, ops []ledger.Operation, at time.Time) (store.ClosingSeed, bool) {
	if t.HasCRF || t.Dossier == nil {
		return store.ClosingSeed{}, false
	}
	done := func(k workflow.ItemKey) bool {
		ok, _ := demoStep(t, k)
		return ok
	}
	s := store.ClosingSeed{CoopID: t.Coop.ID, Exercice: t.Exercice, Status: store.CRFDraft, At: at,
		By: t.Coop.MandataireName + " (mandataire)"}
	meta := ledger.CRFMeta{UAI: t.Coop.UAI, Nom: t.Coop.Name, Exercice: lex, Statut: store.CRFDraft}
	opening := ledger.Treasuries{Banque: t.Exercice.OpeningBank, Caisse: t.Exercice.OpeningCash}
	if t.Coop.BookMode == store.BookKept {
		if !done(workflow.Cloture) {
			return s, false
		}
		s.CloseBook = true
		s.CRF = ledger.ComputeCRF(meta, opening, ops, chart, nil)
		if !s.CRF.Equilibre {
			return s, false
		}
	} else {
		if !done(workflow.CRF) {
			return s, false
		}
		e := demoEntered(t.Coop.ID, opening, lex)
		s.Entered = &e
		s.CRF = ledger.CRFFromEntered(meta, e, chart)
	}
	if done(workflow.CRF) {
		s.Status = store.CRFValid
		if t.Dossier.Validated {
			s.Status = store.CRFLocked
		}
		s.Subsidies = done(workflow.Subventions)
	}
	return s, true
}

// demoEntered invents the balanced figures of a coop that keeps its books
// on paper: a few expenses and revenues, one subsidy from the commune.
func demoEntered(seed int64, opening ledger.Treasuries, lex ledger.Exercice) ledger.Entered {
	v := func(base int64) money.Money { return money.Money(base*100 + (seed*37)%5000) }
	e := ledger.Entered{Debut: opening, Lines: []ledger.AccountLine{
		{Compte: "60600008", Montant: v(620)}, {Compte: "62510008", Montant: v(910)}, {Compte: "62810008", Montant: v(240)},
		{Compte: "75600008", Montant: v(1150)}, {Compte: "74400008", Montant: v(400)},
	}}
	var res money.Money
	for _, l := range e.Lines {
		if ledger.ProductAccount(l.Compte) {
			res += l.Montant
		} else {
			res -= l.Montant
		}
	}
	e.Fin = ledger.Treasuries{Banque: opening.Banque + res, Caisse: opening.Caisse}
	e.Subventions = []ledger.Subsidy{{Date: lex.Debut().AddDate(0, 2, 10).Format("2006-01-02"), Compte: "74400008",
		Financeur: "Mairie", Montant: v(400)}}
	return e
}

// demoStep reports whether the coop's dossier counts a step as done
// (received or accepted); known is false without a dossier.
func demoStep(t store.ClosingTarget, k workflow.ItemKey) (done, known bool) {
	if t.Dossier == nil {
		return false, false
	}
	it, ok := t.Dossier.Item(k)
	return ok && (it.Status == workflow.ItemRecu || it.Status == workflow.ItemAccepte), true
}
