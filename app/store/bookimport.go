package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/ledger"
)

// maxRowsPerInsert keeps a multi-row INSERT under SQLite's limit of 32 766
// bound parameters (an operation row has 18 columns).
const maxRowsPerInsert = 1000

// ImportOperations adds a whole book read from a file to the exercice, all
// or nothing: every operation is checked against the rules and the
// operations already in the book (pièces, cash never negative), the régies
// the file names are opened if the coop has none of that name, then
// everything is inserted in one transaction and audited once. A closed
// exercice is refused.
func (c *CoopScope) ImportOperations(ctx context.Context, exercice string, ops []ledger.Operation) (int, error) {
	if err := c.writable(); err != nil {
		return 0, err
	}
	err := c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.ExerciceOpen(ctx, exercice)
		if err != nil {
			return err
		}
		if err := tx.openMissingRegies(ctx, ops); err != nil {
			return err
		}
		book, lctx, err := tx.bookContext(ctx, ex)
		if err != nil {
			return err
		}
		all := append([]ledger.Operation(nil), book.Ops...)
		var v ledger.Invalid
		for i := range ops {
			ops[i].ID = 0
			var inv ledger.Invalid
			if errors.As(ledger.Validate(ops[i], lctx), &inv) {
				for _, e := range inv {
					e.Msg = fmt.Sprintf("pièce « %s » : %s", ops[i].Piece, e.Msg)
					if ops[i].Line > 0 {
						e.Msg = fmt.Sprintf("ligne %d : %s", ops[i].Line, e.Msg)
					}
					v = append(v, e)
				}
			}
			// Temporary ids after the existing ones keep the file's order
			// within a day in the book's sort.
			op := ops[i]
			op.ID = int64(1<<40 + i)
			lctx.Pieces[ledger.PieceKey(op.Piece)] = op.ID
			all = append(all, op)
		}
		if len(v) > 0 {
			return invalidOp(v)
		}
		if err := ledger.NewBook(book.Opening, all).CheckCash(); err != nil {
			return invalidOp(err)
		}
		if err := tx.insertOps(ctx, ex.ID, ops); err != nil {
			return err
		}
		if err := tx.bumpBook(ctx, ex.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, "cahier.import", map[string]any{"exercice": ex.Name, "operations": len(ops)})
	})
	if err != nil {
		return 0, err
	}
	return len(ops), nil
}

// openMissingRegies creates the régies named by ops that the coop lacks.
func (c *CoopScope) openMissingRegies(ctx context.Context, ops []ledger.Operation) error {
	have, err := c.LedgerRegies(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, r := range have {
		known[r.ID] = true
	}
	for i := range ops {
		for _, t := range []ledger.Treasury{ops[i].Treasury, ops[i].Counterpart} {
			if id := t.RegieID(); id != "" && !known[id] {
				known[id] = true
				if _, err := c.CreateRegie(ctx, id, "Régie "+id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// insertOps inserts operations and their lines with multi-row INSERTs and
// sets their IDs. The caller has validated them.
func (c *CoopScope) insertOps(ctx context.Context, exerciceID int64, ops []ledger.Operation) error {
	return insertOps(ctx, c.ins, c.id, exerciceID, ops, c.s.now().UTC())
}

// insertOps writes the rows of coopID's operations through ins: a coop
// scope's checked insert, or the system's for generated books.
func insertOps(ctx context.Context, ins func(any) *bun.InsertQuery, coopID, exerciceID int64, ops []ledger.Operation, now time.Time) error {
	for start := 0; start < len(ops); start += maxRowsPerInsert {
		chunk := ops[start:min(start+maxRowsPerInsert, len(ops))]
		rows := make([]operationRow, len(chunk))
		for i := range chunk {
			rows[i] = rowOf(&chunk[i], coopID, exerciceID, now)
			rows[i].ID = 0
		}
		if _, err := ins(&rows).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert operations: %w", err)
		}
		var lines []lineRow
		for i := range chunk {
			if rows[i].ID == 0 {
				return fmt.Errorf("insert operations: %w", errors.New("no id returned"))
			}
			chunk[i].ID = rows[i].ID
			lines = append(lines, linesOf(&chunk[i], coopID)...)
		}
		for ls := 0; ls < len(lines); ls += 4 * maxRowsPerInsert {
			part := lines[ls:min(ls+4*maxRowsPerInsert, len(lines))]
			if _, err := ins(&part).Exec(ctx); err != nil {
				return fmt.Errorf("insert lines: %w", err)
			}
		}
	}
	return nil
}

// BulkBook is the book of one coop's exercice for BulkInsertOperations.
type BulkBook struct {
	CoopID     int64
	ExerciceID int64
	Regies     []ledger.Regie
	Ops        []ledger.Operation
}

// BookTarget is a coop's exercice that generated demo data may fill.
type BookTarget struct {
	CoopID   int64
	UAI      string
	BookMode string
	Exercice Exercice
	// HasOps tells whether the exercice has operations already (the demo
	// then leaves it alone).
	HasOps bool
}

// BookTargets lists, for every coop of the AD, its exercice of that name
// (coops without it are left out), in one query.
func (y *System) BookTargets(ctx context.Context, adID int64, exercice string) ([]BookTarget, error) {
	var rows []struct {
		Exercice
		UAI      string `bun:"uai"`
		BookMode string `bun:"book_mode"`
		HasOps   bool   `bun:"has_ops"`
	}
	err := y.s.db.NewSelect().Model((*Exercice)(nil)).
		ColumnExpr("e.*, c.uai, c.book_mode").
		ColumnExpr("EXISTS (SELECT 1 FROM operations AS o WHERE o.exercice_id = e.id AND o.coop_id = e.coop_id) AS has_ops").
		Join("JOIN coops AS c ON c.id = e.coop_id").
		Where("c.ad_id = ? AND e.name = ?", adID, exercice).Order("c.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("book targets: %w", err)
	}
	out := make([]BookTarget, len(rows))
	for i, r := range rows {
		out[i] = BookTarget{CoopID: r.CoopID, UAI: r.UAI, BookMode: r.BookMode, Exercice: r.Exercice, HasOps: r.HasOps}
	}
	return out, nil
}

// BulkInsertOperations writes generated books (demo and benchmark data)
// with multi-row INSERTs in one transaction, without the per-operation
// checks of InsertOperation: the generator guarantees valid books, and its
// tests check them with app/ledger. Régies are created first (existing
// codes are kept).
func (y *System) BulkInsertOperations(ctx context.Context, books []BulkBook) error {
	return y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := y.s.now().UTC()
		var regies []Regie
		for _, b := range books {
			for _, r := range b.Regies {
				regies = append(regies, Regie{CoopID: b.CoopID, Code: r.ID, Label: r.Label, CreatedAt: now})
			}
		}
		for start := 0; start < len(regies); start += maxRowsPerInsert {
			part := regies[start:min(start+maxRowsPerInsert, len(regies))]
			if _, err := tx.NewInsert().Model(&part).On("CONFLICT (coop_id, code) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("bulk regies: %w", err)
			}
		}
		ids := make([]int64, 0, len(books))
		for _, b := range books {
			ins := func(model any) *bun.InsertQuery { return tx.NewInsert().Model(model) }
			if err := insertOps(ctx, ins, b.CoopID, b.ExerciceID, b.Ops, now); err != nil {
				return err
			}
			ids = append(ids, b.ExerciceID)
		}
		for start := 0; start < len(ids); start += maxRowsPerInsert {
			part := ids[start:min(start+maxRowsPerInsert, len(ids))]
			if _, err := tx.NewUpdate().Model((*Exercice)(nil)).Set("book_rev = book_rev + 1").
				Where("id IN (?)", bun.In(part)).Exec(ctx); err != nil {
				return fmt.Errorf("bulk operations: %w", err)
			}
		}
		return nil
	})
}
