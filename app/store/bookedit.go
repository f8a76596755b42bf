package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
)

// UpdateOperation replaces one of the coop's operations by op (op.ID names
// it) after checking the rules and that neither the exercice is closed nor
// the change makes the caisse or a régie negative. The pointage is kept;
// documentID attaches a new pièce justificative (0 keeps the current one).
// The audit row keeps the previous version.
func (c *CoopScope) UpdateOperation(ctx context.Context, op *ledger.Operation, documentID int64) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		before, err := tx.Operation(ctx, op.ID)
		if err != nil {
			return err
		}
		ex, err := tx.ExerciceOpen(ctx, before.Exercice)
		if err != nil {
			return err
		}
		book, lctx, err := tx.bookContext(ctx, ex)
		if err != nil {
			return err
		}
		op.Ticked = before.Op.Ticked
		if err := ledger.Validate(*op, lctx); err != nil {
			return invalidOp(err)
		}
		if err := book.CheckUpdate(*op); err != nil {
			return invalidOp(err)
		}
		row := rowOf(op, tx.id, ex.ID, tx.s.now().UTC())
		cols := []string{"date", "piece", "libelle", "kind", "mode", "cheque", "treasury", "counterpart", "amount", "project", "updated_at"}
		if documentID != 0 {
			if _, err := tx.Document(ctx, documentID); err != nil {
				return err
			}
			row.DocumentID = &documentID
			cols = append(cols, "document_id")
		}
		if _, err := tx.upd(&row).Column(cols...).
			Where("o.id = ?", op.ID).Exec(ctx); err != nil {
			return fmt.Errorf("update operation: %w", err)
		}
		if _, err := tx.del((*lineRow)(nil)).Where("ol.operation_id = ?", op.ID).Exec(ctx); err != nil {
			return fmt.Errorf("update operation lines: %w", err)
		}
		if err := tx.insertLines(ctx, op); err != nil {
			return err
		}
		if err := tx.bumpBook(ctx, ex.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, "operation.update", map[string]any{"avant": auditOp(before.Exercice, &before.Op),
			"apres": auditOp(before.Exercice, op), "document": documentID})
	})
}

// DeleteOperation removes one of the coop's operations (its lines, subsidy
// funder and inventory notes go with it) unless the exercice is closed or
// the caisse or a régie would become negative.
func (c *CoopScope) DeleteOperation(ctx context.Context, id int64) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		before, err := tx.Operation(ctx, id)
		if err != nil {
			return err
		}
		ex, err := tx.ExerciceOpen(ctx, before.Exercice)
		if err != nil {
			return err
		}
		book, _, err := tx.bookContext(ctx, ex)
		if err != nil {
			return err
		}
		if err := book.CheckDelete(id); err != nil {
			return invalidOp(err)
		}
		// Explicit deletes rather than relying on ON DELETE CASCADE alone,
		// so that a connection without foreign_keys never leaves orphans.
		for _, model := range []any{(*lineRow)(nil), (*funderRow)(nil), (*inventoryRow)(nil)} {
			if _, err := tx.del(model).Where("operation_id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("delete operation %d: %w", id, err)
			}
		}
		if _, err := tx.del((*operationRow)(nil)).Where("o.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete operation %d: %w", id, err)
		}
		if err := tx.bumpBook(ctx, ex.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, "operation.delete", auditOp(before.Exercice, &before.Op))
	})
}

// TickOperations sets (statementDate non-nil) or clears (nil) the pointage
// date of the coop's operations ids, in any exercice: ticking is not a
// change of the book's figures, so a closed exercice allows it. Ids of
// another coop are fault.ErrNotFound and nothing is changed. Audited.
func (c *CoopScope) TickOperations(ctx context.Context, ids []int64, statementDate *time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	var val *string
	if statementDate != nil {
		s := statementDate.Format(dayLayout)
		val = &s
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		// The exercices first, as every write of the book does, so that
		// writers lock rows in the same order.
		var exIDs []int64
		if err := tx.sel((*operationRow)(nil)).ColumnExpr("DISTINCT o.exercice_id").
			Where("o.id IN (?)", bun.In(ids)).Scan(ctx, &exIDs); err != nil {
			return fmt.Errorf("tick operations: %w", err)
		}
		if err := tx.bumpBook(ctx, exIDs...); err != nil {
			return err
		}
		res, err := tx.upd((*operationRow)(nil)).Set("ticked = ?", val).Set("updated_at = ?", tx.s.now().UTC()).
			Where("o.id IN (?)", bun.In(ids)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("tick operations: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && int(n) != len(uniqueIDs(ids)) {
			return fmt.Errorf("tick operations: %w", fault.ErrNotFound)
		}
		return tx.Audit(ctx, "operation.tick", map[string]any{"ids": ids, "releve": val})
	})
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
