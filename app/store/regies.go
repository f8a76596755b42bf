package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
)

// Regie is a régie d'avance of a coop: a third treasury ("regie:CODE") held
// by a class teacher.
type Regie struct {
	bun.BaseModel `bun:"table:regies,alias:r"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CoopID    int64     `bun:"coop_id"`
	Code      string    `bun:"code"`
	Label     string    `bun:"label"`
	CreatedAt time.Time `bun:"created_at"`
}

// Regies lists the coop's régies by code.
func (c *CoopScope) Regies(ctx context.Context) ([]Regie, error) {
	var out []Regie
	if err := c.sel(&out).Order("r.code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list regies: %w", err)
	}
	return out, nil
}

// LedgerRegies lists the coop's régies in the ledger's shape.
func (c *CoopScope) LedgerRegies(ctx context.Context) ([]ledger.Regie, error) {
	rs, err := c.Regies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Regie, len(rs))
	for i, r := range rs {
		out[i] = ledger.Regie{ID: r.Code, Label: r.Label}
	}
	return out, nil
}

// CreateRegie opens a régie d'avance for a class. The code is its short
// name in the book ("CE1"); it is unique in the coop.
func (c *CoopScope) CreateRegie(ctx context.Context, code, label string) (*Regie, error) {
	if err := c.writable(); err != nil {
		return nil, err
	}
	r := ledger.Regie{ID: strings.TrimSpace(code), Label: strings.TrimSpace(label)}
	if err := r.Validate(); err != nil {
		return nil, invalidOp(err)
	}
	row := &Regie{CoopID: c.id, Code: r.ID, Label: r.Label, CreatedAt: c.s.now().UTC()}
	err := c.Tx(ctx, func(tx *CoopScope) error {
		n, err := tx.sel((*Regie)(nil)).Where("lower(r.code) = ?", strings.ToLower(r.ID)).Count(ctx)
		if err != nil {
			return fmt.Errorf("create regie: %w", err)
		}
		if n > 0 {
			return fault.Invalidf("La régie « %s » existe déjà.", r.ID)
		}
		if _, err := tx.ins(row).Exec(ctx); err != nil {
			return fmt.Errorf("create regie: %w", err)
		}
		return tx.Audit(ctx, "regie.create", map[string]any{"code": r.ID, "libelle": r.Label})
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}
