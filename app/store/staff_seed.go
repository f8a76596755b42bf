package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// CashCountSeed is an arrêté de caisse to record in bulk with the book's
// cash balance on its day.
type CashCountSeed struct {
	CoopID, ExerciceID int64
	Count              ledger.CashCount
	Book               money.Money
}

// SeedCashCounts records arrêtés de caisse in bulk, one transaction, for
// exercices that have none yet (closed ones included: the demo counts the
// cash the day its books close). It serves the demo generator.
func (y *System) SeedCashCounts(ctx context.Context, seeds []CashCountSeed) error {
	if len(seeds) == 0 {
		return nil
	}
	return y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ids := make([]int64, len(seeds))
		for i, s := range seeds {
			ids[i] = s.ExerciceID
		}
		var done []int64
		if err := tx.NewSelect().Table("cash_counts").Column("exercice_id").Where("exercice_id IN (?)", bun.In(ids)).
			Scan(ctx, &done); err != nil {
			return fmt.Errorf("seed cash counts: %w", err)
		}
		skip := make(map[int64]bool, len(done))
		for _, id := range done {
			skip[id] = true
		}
		now := y.s.now().UTC()
		rows := make([]cashCountRow, 0, len(seeds))
		for _, s := range seeds {
			if skip[s.ExerciceID] {
				continue
			}
			skip[s.ExerciceID] = true
			counts := make(map[string]int, len(s.Count.Counts))
			for d, n := range s.Count.Counts {
				counts[strconv.FormatInt(int64(d), 10)] = n
			}
			js, err := json.Marshal(counts)
			if err != nil {
				return fmt.Errorf("seed cash counts: %w", err)
			}
			rows = append(rows, cashCountRow{CoopID: s.CoopID, ExerciceID: s.ExerciceID, Date: s.Count.Date.Format(dayLayout),
				Counts: string(js), Total: s.Count.Total(), Book: s.Book, CreatedAt: now})
		}
		for start := 0; start < len(rows); start += seedChunk {
			part := rows[start:min(start+seedChunk, len(rows))]
			if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
				return fmt.Errorf("seed cash counts: %w", err)
			}
		}
		return nil
	})
}
