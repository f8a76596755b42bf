package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// cashCountRow is a row of cash_counts: an arrêté de caisse and the book's
// cash balance it was compared with, kept in history.
type cashCountRow struct {
	bun.BaseModel `bun:"table:cash_counts,alias:cc"`

	ID         int64       `bun:"id,pk,autoincrement"`
	CoopID     int64       `bun:"coop_id"`
	ExerciceID int64       `bun:"exercice_id"`
	Date       string      `bun:"date"`
	Counts     string      `bun:"counts"` // JSON: denomination in cents → number
	Total      money.Money `bun:"total"`
	Book       money.Money `bun:"book"`
	CreatedAt  time.Time   `bun:"created_at"`
	CreatedBy  *int64      `bun:"created_by"`
}

// CashCountRecord is an arrêté de caisse as kept in history.
type CashCountRecord struct {
	ID    int64
	Count ledger.CashCount
	Check ledger.CashCheck
	At    time.Time
}

// AddCashCount validates a count, compares it with the book's cash balance
// at the end of its day and keeps both in history (the book may change
// later: the record says what was compared). The exercice must be open.
func (c *CoopScope) AddCashCount(ctx context.Context, exercice string, count ledger.CashCount) (*CashCountRecord, error) {
	if err := c.writable(); err != nil {
		return nil, err
	}
	var rec *CashCountRecord
	err := c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.ExerciceOpen(ctx, exercice)
		if err != nil {
			return err
		}
		book, lctx, err := tx.bookContext(ctx, ex)
		if err != nil {
			return err
		}
		if err := count.Validate(); err != nil {
			return invalidOp(err)
		}
		if !lctx.Exercice.Contains(count.Date) {
			return invalidOp(fmt.Errorf("la date de l'arrêté est hors de l'exercice %s", ex.Name))
		}
		check := book.CompareCash(count)
		counts := make(map[string]int, len(count.Counts))
		for d, n := range count.Counts {
			if n != 0 {
				counts[strconv.FormatInt(int64(d), 10)] = n
			}
		}
		js, err := json.Marshal(counts)
		if err != nil {
			return fmt.Errorf("add cash count: %w", err)
		}
		row := &cashCountRow{CoopID: tx.id, ExerciceID: ex.ID, Date: count.Date.Format(dayLayout), Counts: string(js),
			Total: check.Counted, Book: check.Book, CreatedAt: tx.s.now().UTC(), CreatedBy: tx.actor}
		if _, err := tx.ins(row).Exec(ctx); err != nil {
			return fmt.Errorf("add cash count: %w", err)
		}
		rec = &CashCountRecord{ID: row.ID, Count: count, Check: check, At: row.CreatedAt}
		return tx.Audit(ctx, "caisse.arrete", map[string]any{"exercice": ex.Name, "date": row.Date, "compte": check.Counted,
			"cahier": check.Book, "ecart": check.Gap})
	})
	return rec, err
}

// CashCounts lists the exercice's arrêtés de caisse, latest first.
func (c *CoopScope) CashCounts(ctx context.Context, exercice string) ([]CashCountRecord, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	var rows []cashCountRow
	if err := c.sel(&rows).Where("cc.exercice_id = ?", ex.ID).Order("cc.date DESC", "cc.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("cash counts: %w", err)
	}
	out := make([]CashCountRecord, 0, len(rows))
	for _, r := range rows {
		d, err := time.Parse(dayLayout, r.Date)
		if err != nil {
			return nil, fmt.Errorf("cash count %d: %w", r.ID, err)
		}
		var raw map[string]int
		if err := json.Unmarshal([]byte(r.Counts), &raw); err != nil {
			return nil, fmt.Errorf("cash count %d: %w", r.ID, err)
		}
		counts := make(map[money.Money]int, len(raw))
		for k, n := range raw {
			v, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("cash count %d: %w", r.ID, err)
			}
			counts[money.Money(v)] = n
		}
		out = append(out, CashCountRecord{ID: r.ID, Count: ledger.CashCount{Date: d, Counts: counts},
			Check: ledger.CashCheck{Date: d, Counted: r.Total, Book: r.Book, Gap: r.Total - r.Book}, At: r.CreatedAt})
	}
	return out, nil
}

// LastCashCount returns the latest arrêté de caisse of the exercice (for
// the closing checks), nil when none was made.
func (c *CoopScope) LastCashCount(ctx context.Context, exercice string) (*ledger.CashCount, error) {
	all, err := c.CashCounts(ctx, exercice)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[0].Count, nil
}
