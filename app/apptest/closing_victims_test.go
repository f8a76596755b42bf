package apptest

import (
	"context"

	"retkoop/app/cra"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// seedClosingVictims gives AD B's coop a year-end to reach for: its
// 2019-2020 book closed with a validated CRF and a submitted CRA, and a
// draft CRA in 2024-2025 (the exercices the :ex victims name).
func (w *world) seedClosingVictims() {
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopB)
	ops, err := cs.BookOperations(ctx, "2019-2020")
	if err != nil {
		w.t.Fatal(err)
	}
	ex, _ := cs.Exercice(ctx, "2019-2020")
	bal := ledger.NewBook(store.OpeningBalances(ex), ops).Closing().Treasuries()
	if err := cs.CloseExercice(ctx, store.Closing{Exercice: "2019-2020", Balances: bal, By: "Victime Bêta"}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := cs.ValidateCRF(ctx, "2019-2020"); err != nil {
		w.t.Fatal(err)
	}
	answers := cra.Answers{"classes": {"7"}, "eleves": {"777"}, "adultes": {"7"}, "conseils": {"7"}, "bureau": {"oui"},
		"projets": {"Projet Victime Bêta"}, "parents": {"Régulière"}}
	if err := cs.SaveCRA(ctx, "2019-2020", answers, true); err != nil {
		w.t.Fatal(err)
	}
	if err := cs.SetOpening(ctx, "2024-2025", 0, money.Money(0)); err != nil {
		w.t.Fatal(err)
	}
	if err := cs.SaveCRA(ctx, "2024-2025", answers, false); err != nil {
		w.t.Fatal(err)
	}
}
