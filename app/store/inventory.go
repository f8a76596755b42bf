package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
)

// inventoryRow is a row of inventory_items: either an item added by hand
// (OperationID nil: a gift) or the note kept on an item bought through the
// book (its description, its disposal).
type inventoryRow struct {
	bun.BaseModel `bun:"table:inventory_items,alias:ii"`

	ID          int64       `bun:"id,pk,autoincrement"`
	CoopID      int64       `bun:"coop_id"`
	ExerciceID  int64       `bun:"exercice_id"`
	OperationID *int64      `bun:"operation_id"`
	LineNo      int         `bun:"line_no"`
	Date        string      `bun:"date"`
	Description string      `bun:"description"`
	Value       money.Money `bun:"value"`
	DisposedOn  *string     `bun:"disposed_on"`
	CreatedAt   time.Time   `bun:"created_at"`
}

// InventoryEntry is one line of the registre d'inventaire.
type InventoryEntry struct {
	// Ref names the entry in forms: "op-12-0" for the first inventory line
	// of operation 12, "item-5" for an item added by hand.
	Ref         string
	OperationID int64 // 0 for an item added by hand
	Date        time.Time
	Piece       string
	Description string
	Value       money.Money
	Exercice    string
	DisposedOn  *time.Time
}

// Inventory returns the coop's register as of the end of exercice: every
// dépense line on 68000008 of that exercice and the earlier ones, and every
// item added by hand, with their notes; items disposed of before the
// exercice began are left out.
func (c *CoopScope) Inventory(ctx context.Context, exercice string) ([]InventoryEntry, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	lex, err := ledger.ParseExercice(ex.Name)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	var bought []struct {
		OpID    int64       `bun:"op_id"`
		Date    string      `bun:"date"`
		Piece   string      `bun:"piece"`
		Libelle string      `bun:"libelle"`
		Kind    string      `bun:"kind"`
		Amount  money.Money `bun:"amount"`
		ExName  string      `bun:"ex_name"`
	}
	if err := c.sel((*lineRow)(nil)).
		ColumnExpr("o.id AS op_id, o.date, o.piece, o.libelle, o.kind, ol.amount, e.name AS ex_name").
		Join("JOIN operations AS o ON o.id = ol.operation_id AND o.coop_id = ol.coop_id").
		Join("JOIN exercices AS e ON e.id = o.exercice_id AND e.coop_id = o.coop_id").
		Where("ol.account = ?", ledger.AccountInventaire).Where("e.name <= ?", ex.Name).
		Order("o.date", "o.id", "ol.id").Scan(ctx, &bought); err != nil {
		return nil, fmt.Errorf("inventory lines: %w", err)
	}
	// The ledger decides what counts as an item; give it the inventory
	// lines only, grouped back into their operations.
	var ops []ledger.Operation
	exOf := map[int64]string{}
	for _, b := range bought {
		if n := len(ops); n > 0 && ops[n-1].ID == b.OpID {
			ops[n-1].Lines = append(ops[n-1].Lines, ledger.Line{Account: ledger.AccountInventaire, Amount: b.Amount})
			continue
		}
		d, err := time.Parse(dayLayout, b.Date)
		if err != nil {
			return nil, fmt.Errorf("inventory: %w", err)
		}
		exOf[b.OpID] = b.ExName
		ops = append(ops, ledger.Operation{ID: b.OpID, Date: d, Piece: b.Piece, Libelle: b.Libelle, Kind: ledger.Kind(b.Kind),
			Lines: []ledger.Line{{Account: ledger.AccountInventaire, Amount: b.Amount}}})
	}
	var notes []inventoryRow
	if err := c.sel(&notes).Order("ii.date", "ii.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("inventory notes: %w", err)
	}
	type key struct {
		op   int64
		line int
	}
	noteOf := map[key]*inventoryRow{}
	var out []InventoryEntry
	for i := range notes {
		n := &notes[i]
		if n.OperationID != nil {
			noteOf[key{*n.OperationID, n.LineNo}] = n
			continue
		}
		e, err := n.entry("item-"+fmt.Sprint(n.ID), 0, "", "")
		if err != nil {
			return nil, err
		}
		if !e.Date.After(lex.Fin()) {
			out = append(out, e)
		}
	}
	for _, it := range ledger.InventoryFromOps(ops) {
		e := InventoryEntry{Ref: fmt.Sprintf("op-%d-%d", it.OperationID, it.Line), OperationID: it.OperationID,
			Date: it.Date, Piece: it.Piece, Description: it.Libelle, Value: it.Valeur, Exercice: exOf[it.OperationID]}
		if n := noteOf[key{it.OperationID, it.Line}]; n != nil {
			if n.Description != "" {
				e.Description = n.Description
			}
			if e.DisposedOn, err = parseDayPtr(n.DisposedOn); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	kept := out[:0]
	for _, e := range out {
		if e.DisposedOn == nil || !e.DisposedOn.Before(lex.Debut()) {
			kept = append(kept, e)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Date.Before(kept[j].Date) })
	return kept, nil
}

func (n *inventoryRow) entry(ref string, opID int64, piece, exName string) (InventoryEntry, error) {
	d, err := time.Parse(dayLayout, n.Date)
	if err != nil {
		return InventoryEntry{}, fmt.Errorf("inventory item %d: %w", n.ID, err)
	}
	disp, err := parseDayPtr(n.DisposedOn)
	if err != nil {
		return InventoryEntry{}, err
	}
	return InventoryEntry{Ref: ref, OperationID: opID, Date: d, Piece: piece, Description: n.Description,
		Value: n.Value, Exercice: exName, DisposedOn: disp}, nil
}

func parseDayPtr(s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	d, err := time.Parse(dayLayout, *s)
	if err != nil {
		return nil, fmt.Errorf("parse day %q: %w", *s, err)
	}
	return &d, nil
}

// AddInventoryItem records a good received without a purchase in the book
// (a gift), at its estimated value, in an open exercice.
func (c *CoopScope) AddInventoryItem(ctx context.Context, exercice string, date time.Time, description string, value money.Money) error {
	if err := c.writable(); err != nil {
		return err
	}
	description = strings.TrimSpace(description)
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.ExerciceOpen(ctx, exercice)
		if err != nil {
			return err
		}
		lex, err := ledger.ParseExercice(ex.Name)
		if err != nil {
			return fmt.Errorf("add inventory item: %w", err)
		}
		if err := ledger.ValidateInventoryItem(lex, date, description, value); err != nil {
			return invalidOp(err)
		}
		row := &inventoryRow{CoopID: tx.id, ExerciceID: ex.ID, Date: date.Format(dayLayout), Description: description,
			Value: value, CreatedAt: tx.s.now().UTC()}
		if _, err := tx.ins(row).Exec(ctx); err != nil {
			return fmt.Errorf("add inventory item: %w", err)
		}
		return tx.Audit(ctx, "inventaire.ajout", map[string]any{"id": row.ID, "date": row.Date,
			"description": description, "valeur": value})
	})
}

// InventoryChange is an edit of one entry of the register.
type InventoryChange struct {
	Ref         string // InventoryEntry.Ref
	Description string // "" keeps the libellé of the operation
	DisposedOn  *time.Time
}

// UpdateInventory changes the description of an entry of the register or
// marks it as disposed of (nil: still held). The register describes goods,
// not figures of the book, so items of closed exercices may be disposed of.
func (c *CoopScope) UpdateInventory(ctx context.Context, ch InventoryChange) error {
	if err := c.writable(); err != nil {
		return err
	}
	var disposed *string
	if ch.DisposedOn != nil {
		s := ch.DisposedOn.Format(dayLayout)
		disposed = &s
	}
	desc := strings.TrimSpace(ch.Description)
	return c.Tx(ctx, func(tx *CoopScope) error {
		var itemID, opID int64
		var line int
		switch {
		case strings.HasPrefix(ch.Ref, "item-"):
			if _, err := fmt.Sscanf(ch.Ref, "item-%d", &itemID); err != nil {
				return fmt.Errorf("update inventory %q: %w", ch.Ref, fault.ErrNotFound)
			}
			if desc == "" {
				return fault.Invalidf("La description du bien est obligatoire.")
			}
			res, err := tx.upd((*inventoryRow)(nil)).Set("description = ?", desc).Set("disposed_on = ?", disposed).
				Where("ii.id = ? AND ii.operation_id IS NULL", itemID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("update inventory: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("update inventory %q: %w", ch.Ref, fault.ErrNotFound)
			}
		case strings.HasPrefix(ch.Ref, "op-"):
			if _, err := fmt.Sscanf(ch.Ref, "op-%d-%d", &opID, &line); err != nil {
				return fmt.Errorf("update inventory %q: %w", ch.Ref, fault.ErrNotFound)
			}
			if err := tx.noteBoughtItem(ctx, opID, line, desc, disposed); err != nil {
				return err
			}
		default:
			return fmt.Errorf("update inventory %q: %w", ch.Ref, fault.ErrNotFound)
		}
		return tx.Audit(ctx, "inventaire.modification", map[string]any{"ref": ch.Ref, "description": desc, "sortie": disposed})
	})
}

// noteBoughtItem writes the note of an item bought through the book.
func (c *CoopScope) noteBoughtItem(ctx context.Context, opID int64, line int, desc string, disposed *string) error {
	rec, err := c.Operation(ctx, opID)
	if err != nil {
		return err
	}
	var item *ledger.InventoryItem
	items := ledger.InventoryFromOps([]ledger.Operation{rec.Op})
	for i := range items {
		if items[i].Line == line {
			item = &items[i]
		}
	}
	if item == nil {
		return fmt.Errorf("inventory line %d of operation %d: %w", line, opID, fault.ErrNotFound)
	}
	res, err := c.upd((*inventoryRow)(nil)).Set("description = ?", desc).Set("disposed_on = ?", disposed).
		Where("ii.operation_id = ? AND ii.line_no = ?", opID, line).Exec(ctx)
	if err != nil {
		return fmt.Errorf("note inventory: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	ex, err := c.Exercice(ctx, rec.Exercice)
	if err != nil {
		return err
	}
	row := &inventoryRow{CoopID: c.id, ExerciceID: ex.ID, OperationID: &opID, LineNo: line, Date: item.Date.Format(dayLayout),
		Description: desc, Value: item.Valeur, DisposedOn: disposed, CreatedAt: c.s.now().UTC()}
	if _, err := c.ins(row).Exec(ctx); err != nil {
		return fmt.Errorf("note inventory: %w", err)
	}
	return nil
}
