package ledger

import (
	"time"

	"retkoop/app/money"
)

// AccountInventaire is the account of durable goods (biens durables), whose
// purchases go into the inventory register.
const AccountInventaire = "68000008"

// InventoryItem is one line of the registre d'inventaire.
type InventoryItem struct {
	OperationID int64
	Date        time.Time
	Piece       string
	Libelle     string
	Valeur      money.Money
}

// InventoryFromOps lists every ventilation line on AccountInventaire, in the
// book's order. A dépense split over two durable goods gives two lines.
func InventoryFromOps(ops []Operation) []InventoryItem {
	sorted := NewBook(nil, ops).Ops
	var out []InventoryItem
	for i := range sorted {
		op := &sorted[i]
		if op.Kind != Depense {
			continue
		}
		for _, l := range op.Lines {
			if l.Account == AccountInventaire {
				out = append(out, InventoryItem{
					OperationID: op.ID, Date: op.Date, Piece: op.Piece, Libelle: op.Libelle, Valeur: l.Amount,
				})
			}
		}
	}
	return out
}
