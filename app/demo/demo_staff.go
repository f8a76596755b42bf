package demo

import (
	"context"
	"fmt"
	"slices"

	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// seedDemoCashCounts gives the demo coops whose book is closed the arrêté
// de caisse a mandataire makes before closing: on 31 August, equal to the
// book — except one coop in twelve, which forgot, so that the staff's
// cross-check "caisse" shows both colours. Coops that already have a
// count are left alone.
func seedDemoCashCounts(ctx context.Context, db *store.DB, o Options, adID int64, exercice string) error {
	lex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return fmt.Errorf("seed demo cash counts: %w", err)
	}
	targets, err := db.System().ClosingTargets(ctx, adID, exercice)
	targets = slices.DeleteFunc(targets, func(t store.ClosingTarget) bool { return !o.owns(t.Coop.UAI) })
	if err != nil {
		return err
	}
	var exs []store.Exercice
	for i, t := range targets {
		if t.Coop.BookMode == store.BookKept && t.Exercice.State == store.ExerciceClosed && i%12 != 11 {
			exs = append(exs, t.Exercice)
		}
	}
	for start := 0; start < len(exs); start += demoClosingChunk {
		part := exs[start:min(start+demoClosingChunk, len(exs))]
		books, err := db.System().ExercicesOperations(ctx, part)
		if err != nil {
			return err
		}
		seeds := make([]store.CashCountSeed, 0, len(part))
		for i := range part {
			ex := &part[i]
			cash := ledger.NewBook(store.OpeningBalances(ex), books[ex.ID]).Closing()[ledger.Caisse]
			if cash < 0 {
				continue
			}
			seeds = append(seeds, store.CashCountSeed{CoopID: ex.CoopID, ExerciceID: ex.ID, Book: cash,
				Count: ledger.CashCount{Date: lex.Fin(), Counts: demoCoins(cash)}})
		}
		if err := db.System().SeedCashCounts(ctx, seeds); err != nil {
			return err
		}
	}
	return nil
}

// demoCoins counts an amount in banknotes and coins, largest first (at
// most 50 € notes: a school's cash box holds no 500 € note).
func demoCoins(m money.Money) map[money.Money]int {
	out := map[money.Money]int{}
	for _, d := range ledger.Denominations {
		if d > 5000 || m < d {
			continue
		}
		out[d] = int(m / d)
		m %= d
	}
	return out
}
