package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/ledger"
)

// matchRow is a row of bank_matches.
type matchRow struct {
	bun.BaseModel `bun:"table:bank_matches,alias:m"`

	ID           int64     `bun:"id,pk,autoincrement"`
	CoopID       int64     `bun:"coop_id"`
	LineID       int64     `bun:"line_id"`
	OperationID  int64     `bun:"operation_id"`
	Auto         bool      `bun:"auto"`
	Score        int       `bun:"score"`
	Reasons      string    `bun:"reasons"`
	TickedBefore *string   `bun:"ticked_before"`
	CreatedAt    time.Time `bun:"created_at"`
	CreatedBy    *int64    `bun:"created_by"`
}

// BankMatch is one operation a bank line pays.
type BankMatch struct {
	OperationID int64
	Auto        bool // ticked by the import, not by the mandataire
	Score       int  // percent
	Reasons     []string
	// TickedBefore is the operation's pointage before the pairing (a manual
	// tick recognised by the import), put back when the pairing is undone.
	TickedBefore *time.Time
}

// bankMatches loads the pairings of the lines, by line id.
func (c *CoopScope) bankMatches(ctx context.Context, lines []bankLineRow) (map[int64][]BankMatch, error) {
	out := map[int64][]BankMatch{}
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		if l.Status != BankUnmatched {
			ids = append(ids, l.ID)
		}
	}
	for i := 0; i < len(ids); i += 500 {
		var rows []matchRow
		if err := c.sel(&rows).Where("m.line_id IN (?)", bun.In(ids[i:min(i+500, len(ids))])).Order("m.operation_id").
			Scan(ctx); err != nil {
			return nil, fmt.Errorf("bank matches: %w", err)
		}
		for _, r := range rows {
			m := BankMatch{OperationID: r.OperationID, Auto: r.Auto, Score: r.Score, Reasons: splitReasons(r.Reasons)}
			if r.TickedBefore != nil {
				t, err := time.Parse(dayLayout, *r.TickedBefore)
				if err != nil {
					return nil, fmt.Errorf("bank match %d: %w", r.ID, err)
				}
				m.TickedBefore = &t
			}
			out[r.LineID] = append(out[r.LineID], m)
		}
	}
	return out, nil
}

// CompteOp is an operation of the compte courant as the bank pages see it.
type CompteOp struct {
	Op       ledger.Operation // without its ventilation
	Exercice string
	LineID   int64 // the bank line it is paired with, 0 if none
}

// CompteFilter selects operations of the compte courant, across exercices;
// zero fields select everything.
type CompteFilter struct {
	From, To time.Time // inclusive days
	IDs      []int64
}

// BankOperations returns the operations that move the compte courant
// (recettes and dépenses at the bank, transfers to or from it) in every
// exercice, by date, with the bank line each is paired with.
func (c *CoopScope) BankOperations(ctx context.Context, f CompteFilter) ([]CompteOp, error) {
	var rows []struct {
		operationRow `bun:",extend"`
		Exercice     string `bun:"exercice"`
		LineID       *int64 `bun:"line_id"`
	}
	q := c.sel((*operationRow)(nil)).ColumnExpr("o.*").ColumnExpr("e.name AS exercice").
		ColumnExpr("m.line_id AS line_id").
		Join("JOIN exercices AS e ON e.id = o.exercice_id AND e.coop_id = o.coop_id").
		Join("LEFT JOIN bank_matches AS m ON m.operation_id = o.id AND m.coop_id = o.coop_id").
		Where("(o.treasury = ? OR o.counterpart = ?)", ledger.Banque, ledger.Banque).
		Order("o.date", "o.seq", "o.id")
	if !f.From.IsZero() {
		q = q.Where("o.date >= ?", f.From.Format(dayLayout))
	}
	if !f.To.IsZero() {
		q = q.Where("o.date <= ?", f.To.Format(dayLayout))
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		q = q.Where("o.id IN (?)", bun.In(f.IDs))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("bank operations: %w", err)
	}
	out := make([]CompteOp, len(rows))
	for i := range rows {
		op, err := rows[i].operation()
		if err != nil {
			return nil, err
		}
		out[i] = CompteOp{Op: op, Exercice: rows[i].Exercice}
		if rows[i].LineID != nil {
			out[i].LineID = *rows[i].LineID
		}
	}
	return out, nil
}

// SetBankProposals records the matcher's proposals on their lines, which
// wait for the mandataire's click.
func (c *CoopScope) SetBankProposals(ctx context.Context, ps []bank.Proposal) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		for _, p := range ps {
			b, err := json.Marshal(p)
			if err != nil {
				return fmt.Errorf("bank proposal: %w", err)
			}
			if _, err := tx.upd((*bankLineRow)(nil)).Set("status = ?", BankProposed).Set("proposal = ?", string(b)).
				Where("bl.id = ?", p.LineID).Exec(ctx); err != nil {
				return fmt.Errorf("bank proposal: %w", err)
			}
		}
		return nil
	})
}

// RejectBankProposal turns a proposed line back into an unmatched one.
func (c *CoopScope) RejectBankProposal(ctx context.Context, lineID int64) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		l, err := tx.BankLine(ctx, lineID)
		if err != nil {
			return err
		}
		if l.Status != BankProposed {
			return fault.Invalidf("Cette ligne du relevé n'a pas de proposition à rejeter.")
		}
		if _, err := tx.upd((*bankLineRow)(nil)).Set("status = ?", BankUnmatched).Set("proposal = ''").
			Where("bl.id = ?", lineID).Exec(ctx); err != nil {
			return fmt.Errorf("reject proposal: %w", err)
		}
		return tx.Audit(ctx, "bank.reject", map[string]any{"ligne": lineID, "operations": l.Proposal.EntryIDs})
	})
}

// Pairing is what LinkBankLine records with a pairing.
type Pairing struct {
	Auto    bool
	Score   float64 // 0..1
	Reasons []string
}

// LinkBankLine pairs a bank line with the operations it pays: the
// operations not ticked yet are ticked at the line's date (the day the
// money moved, so that the état de rapprochement at any date is right),
// those already ticked keep their pointage. A line already paired, an
// operation already paired with another line, an operation of another
// coop or off the compte courant are refused.
func (c *CoopScope) LinkBankLine(ctx context.Context, lineID int64, opIDs []int64, p Pairing) error {
	if err := c.writable(); err != nil {
		return err
	}
	if len(opIDs) == 0 {
		return fault.Invalidf("Choisissez au moins une opération du cahier.")
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.lockBank(ctx); err != nil {
			return err
		}
		l, err := tx.BankLine(ctx, lineID)
		if err != nil {
			return err
		}
		if l.Status == BankTicked {
			return fault.Invalidf("Cette ligne du relevé est déjà pointée.")
		}
		ops, err := tx.BankOperations(ctx, CompteFilter{IDs: opIDs})
		if err != nil {
			return err
		}
		if len(ops) != len(uniqueIDs(opIDs)) {
			return fmt.Errorf("link bank line %d: %w", lineID, fault.ErrNotFound)
		}
		now := tx.s.now().UTC()
		var tick []int64
		rows := make([]matchRow, len(ops))
		for i, o := range ops {
			if o.LineID != 0 {
				return fault.Invalidf("L'opération « %s » (pièce %s) est déjà pointée sur une autre ligne du relevé.", o.Op.Libelle, o.Op.Piece)
			}
			rows[i] = matchRow{CoopID: tx.id, LineID: lineID, OperationID: o.Op.ID, Auto: p.Auto,
				Score: int(math.Round(p.Score * 100)), Reasons: joinReasons(p.Reasons), CreatedAt: now, CreatedBy: tx.actor}
			if o.Op.Ticked != nil {
				s := o.Op.Ticked.Format(dayLayout)
				rows[i].TickedBefore = &s
			} else {
				tick = append(tick, o.Op.ID)
			}
		}
		if _, err := tx.ins(&rows).Exec(ctx); err != nil {
			if isUnique(err) {
				return fault.Invalidf("Une de ces opérations vient d'être pointée sur une autre ligne du relevé.")
			}
			return fmt.Errorf("link bank line: %w", err)
		}
		if _, err := tx.upd((*bankLineRow)(nil)).Set("status = ?", BankTicked).Set("proposal = ''").
			Where("bl.id = ?", lineID).Exec(ctx); err != nil {
			return fmt.Errorf("link bank line: %w", err)
		}
		if err := tx.TickOperations(ctx, tick, &l.Date); err != nil {
			return err
		}
		return tx.Audit(ctx, "bank.link", map[string]any{"ligne": lineID, "operations": opIDs, "auto": p.Auto,
			"score": rows[0].Score})
	})
}

// UnlinkBankLine undoes the pairing of a line (an automatic tick the
// mandataire disagrees with, or a mistake): the operations get back the
// pointage they had before, and the line is unmatched again. It returns
// the operations that were paired.
func (c *CoopScope) UnlinkBankLine(ctx context.Context, lineID int64) ([]int64, error) {
	if err := c.writable(); err != nil {
		return nil, err
	}
	var ids []int64
	err := c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.lockBank(ctx); err != nil {
			return err
		}
		l, err := tx.BankLine(ctx, lineID)
		if err != nil {
			return err
		}
		if l.Status != BankTicked {
			return fault.Invalidf("Cette ligne du relevé n'est pas pointée.")
		}
		ids = l.OperationIDs()
		if err := tx.unpair(ctx, l.Matches); err != nil {
			return err
		}
		if _, err := tx.del((*matchRow)(nil)).Where("m.line_id = ?", lineID).Exec(ctx); err != nil {
			return fmt.Errorf("unlink bank line: %w", err)
		}
		if _, err := tx.upd((*bankLineRow)(nil)).Set("status = ?", BankUnmatched).Set("proposal = ''").
			Where("bl.id = ?", lineID).Exec(ctx); err != nil {
			return fmt.Errorf("unlink bank line: %w", err)
		}
		return tx.Audit(ctx, "bank.unlink", map[string]any{"ligne": lineID, "operations": ids, "auto": l.Auto()})
	})
	return ids, err
}

// unpair gives the operations of matches back the pointage they had.
func (c *CoopScope) unpair(ctx context.Context, matches []BankMatch) error {
	byDate := map[string][]int64{}
	var untick []int64
	dates := map[string]time.Time{}
	for _, m := range matches {
		if m.TickedBefore == nil {
			untick = append(untick, m.OperationID)
			continue
		}
		k := m.TickedBefore.Format(dayLayout)
		byDate[k], dates[k] = append(byDate[k], m.OperationID), *m.TickedBefore
	}
	if err := c.TickOperations(ctx, untick, nil); err != nil {
		return err
	}
	for k, ids := range byDate {
		d := dates[k]
		if err := c.TickOperations(ctx, ids, &d); err != nil {
			return err
		}
	}
	return nil
}

// TickBankOperation ticks (date non-nil) or unticks (nil) one operation of
// the compte courant by hand. Unticking an operation paired with a bank
// line also undoes the pairing of that line: the line is unmatched again.
func (c *CoopScope) TickBankOperation(ctx context.Context, opID int64, date *time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.lockBank(ctx); err != nil {
			return err
		}
		ops, err := tx.BankOperations(ctx, CompteFilter{IDs: []int64{opID}})
		if err != nil {
			return err
		}
		if len(ops) == 0 {
			return fmt.Errorf("tick operation %d: %w", opID, fault.ErrNotFound)
		}
		if date == nil && ops[0].LineID != 0 {
			if _, err := tx.UnlinkBankLine(ctx, ops[0].LineID); err != nil {
				return err
			}
		}
		return tx.TickOperations(ctx, []int64{opID}, date)
	})
}
