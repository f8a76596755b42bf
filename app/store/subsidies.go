package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// funderRow names the funder of a subsidy operation (an operation on a 74…
// account) for the tableau des subventions.
type funderRow struct {
	bun.BaseModel `bun:"table:subsidy_funders,alias:sf"`

	CoopID      int64  `bun:"coop_id,pk"`
	OperationID int64  `bun:"operation_id,pk"`
	Funder      string `bun:"funder"`
}

// Funders returns the funder named for each of the coop's subsidy
// operations (operation id → funder), as ledger.ComputeCRF expects.
func (c *CoopScope) Funders(ctx context.Context) (map[int64]string, error) {
	var rows []funderRow
	if err := c.sel(&rows).Scan(ctx); err != nil {
		return nil, fmt.Errorf("funders: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.OperationID] = r.Funder
	}
	return out, nil
}

// SetFunder names (or, with "", forgets) the funder of one of the coop's
// operations. The tableau des subventions is part of the figures sent to
// the AD, so a closed exercice refuses the change.
func (c *CoopScope) SetFunder(ctx context.Context, opID int64, funder string) error {
	if err := c.writable(); err != nil {
		return err
	}
	funder = strings.TrimSpace(funder)
	if len([]rune(funder)) > 200 {
		return fault.Invalidf("Le nom du financeur est trop long (200 caractères au plus).")
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		rec, err := tx.Operation(ctx, opID)
		if err != nil {
			return err
		}
		if _, err := tx.ExerciceOpen(ctx, rec.Exercice); err != nil {
			return err
		}
		if _, err := tx.del((*funderRow)(nil)).Where("sf.operation_id = ?", opID).Exec(ctx); err != nil {
			return fmt.Errorf("set funder: %w", err)
		}
		if funder != "" {
			row := &funderRow{CoopID: tx.id, OperationID: opID, Funder: funder}
			if _, err := tx.ins(row).Exec(ctx); err != nil {
				return fmt.Errorf("set funder: %w", err)
			}
		}
		return tx.Audit(ctx, "subvention.financeur", map[string]any{"operation": opID, "financeur": funder})
	})
}
