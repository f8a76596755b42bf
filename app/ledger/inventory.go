package ledger

import (
	"strings"
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
	// Line is the rank of the item among the inventory lines of its
	// operation (0, 1…), so that each good of a split purchase has its own
	// place in the register.
	Line int
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
		rank := 0
		for _, l := range op.Lines {
			if l.Account == AccountInventaire {
				out = append(out, InventoryItem{
					OperationID: op.ID, Date: op.Date, Piece: op.Piece, Libelle: op.Libelle, Valeur: l.Amount, Line: rank,
				})
				rank++
			}
		}
	}
	return out
}

// ValidateInventoryItem checks an item added by hand to the register (a
// gift received): dated in the exercice, described, with a value that is
// not negative (an estimate; zero when unknown).
func ValidateInventoryItem(ex Exercice, date time.Time, description string, value money.Money) error {
	var v Invalid
	switch {
	case date.IsZero():
		v.add("date", "la date d'entrée du bien est obligatoire")
	case !ex.Contains(date):
		v.add("date", "la date %s est hors de l'exercice %s", frDate(date), ex)
	}
	if strings.TrimSpace(description) == "" {
		v.add("description", "la description du bien est obligatoire")
	}
	if value < 0 {
		v.add("value", "la valeur du bien ne peut pas être négative")
	}
	if len(v) == 0 {
		return nil
	}
	return v
}
