package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// bookOps loads an exercice's operations with one query for the operations
// and one for their lines, however long the book, and the documents
// attached to them. It is the hot path of the book page: it names its
// columns and scans them directly, without the ORM's reflection.
func (c *CoopScope) bookOps(ctx context.Context, exerciceID int64) ([]ledger.Operation, map[int64]int64, error) {
	rows, err := c.sel((*operationRow)(nil)).
		Column("o.id", "o.date", "o.piece", "o.libelle", "o.kind", "o.mode", "o.cheque", "o.treasury", "o.counterpart",
			"o.amount", "o.project", "o.ticked", "o.document_id").
		Where("o.exercice_id = ?", exerciceID).Order("o.date", "o.seq", "o.id").Rows(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("book operations: %w", err)
	}
	defer rows.Close()
	ops := make([]ledger.Operation, 0, 128)
	index := make(map[int64]int, 128)
	docs := map[int64]int64{}
	for rows.Next() {
		var op ledger.Operation
		var date, kind, mode, treasury, counterpart string
		var amount int64
		var ticked sql.NullString
		var doc sql.NullInt64
		if err := rows.Scan(&op.ID, &date, &op.Piece, &op.Libelle, &kind, &mode, &op.Cheque, &treasury, &counterpart,
			&amount, &op.Project, &ticked, &doc); err != nil {
			return nil, nil, fmt.Errorf("book operations: %w", err)
		}
		if op.Date, err = parseDay(date); err != nil {
			return nil, nil, fmt.Errorf("book operation %d: %w", op.ID, err)
		}
		if ticked.Valid {
			t, err := parseDay(ticked.String)
			if err != nil {
				return nil, nil, fmt.Errorf("book operation %d: %w", op.ID, err)
			}
			op.Ticked = &t
		}
		if doc.Valid {
			docs[op.ID] = doc.Int64
		}
		op.Kind, op.Mode, op.Treasury, op.Counterpart = ledger.Kind(kind), ledger.Mode(mode), ledger.Treasury(treasury), ledger.Treasury(counterpart)
		op.Amount = money.Money(amount)
		index[op.ID] = len(ops)
		ops = append(ops, op)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("book operations: %w", err)
	}
	if err := c.bookLines(ctx, exerciceID, ops, index); err != nil {
		return nil, nil, err
	}
	return ops, docs, nil
}

// bookLines fills the ventilation lines of ops (index: id → position).
func (c *CoopScope) bookLines(ctx context.Context, exerciceID int64, ops []ledger.Operation, index map[int64]int) error {
	rows, err := c.sel((*lineRow)(nil)).Column("ol.operation_id", "ol.account", "ol.amount").
		Join("JOIN operations AS o ON o.id = ol.operation_id AND o.coop_id = ol.coop_id").
		Where("o.exercice_id = ?", exerciceID).Order("ol.operation_id", "ol.id").Rows(ctx)
	if err != nil {
		return fmt.Errorf("book lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var opID, amount int64
		var account string
		if err := rows.Scan(&opID, &account, &amount); err != nil {
			return fmt.Errorf("book lines: %w", err)
		}
		if i, ok := index[opID]; ok {
			ops[i].Lines = append(ops[i].Lines, ledger.Line{Account: account, Amount: money.Money(amount)})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("book lines: %w", err)
	}
	return nil
}

// parseDay reads a stored "2006-01-02" day quickly (the book page parses
// hundreds of them), falling back to time.Parse for anything unexpected.
func parseDay(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, okY := digits(s[0:4])
		m, okM := digits(s[5:7])
		d, okD := digits(s[8:10])
		if okY && okM && okD && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return t, nil
			}
		}
	}
	return time.Parse(dayLayout, s)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
