package ledger

import (
	"strings"
	"time"

	"retkoop/app/csvin"
	"retkoop/app/money"
)

// Kind says whether an operation brings money in, takes it out, or moves it
// between two of the coop's own treasuries.
type Kind string

// The kinds of operation.
const (
	Recette   Kind = "recette"
	Depense   Kind = "depense"
	Transfert Kind = "transfert"
)

// Label returns the word a teacher reads.
func (k Kind) Label() string {
	switch k {
	case Recette:
		return "Recette"
	case Depense:
		return "Dépense"
	case Transfert:
		return "Mouvement interne"
	}
	return string(k)
}

// Mode is the mode de règlement of an operation.
type Mode string

// The modes de règlement of the contract's CSV.
const (
	Cheque      Mode = "cheque"
	Especes     Mode = "especes"
	Virement    Mode = "virement"
	Carte       Mode = "carte"
	Prelevement Mode = "prelevement"
	Remise      Mode = "remise"
)

// Modes lists every mode, in the order of the entry form.
var Modes = []Mode{Cheque, Especes, Virement, Carte, Prelevement, Remise}

// ParseMode reads a mode as typed in a spreadsheet ("Chèque", "ESPÈCES",
// "remise de chèques", "CB"); "" stays "" (mode not given).
func ParseMode(s string) (Mode, bool) {
	n := csvin.Normalize(s)
	switch {
	case n == "":
		return "", true
	case n == "cb" || n == "carte_bancaire":
		return Carte, true
	case strings.HasPrefix(n, "remise"):
		return Remise, true
	case n == "cheque" || n == "chq" || n == "ch":
		return Cheque, true
	case n == "espece" || n == "esp":
		return Especes, true
	case n == "vir" || n == "virement_bancaire":
		return Virement, true
	case n == "prlv" || n == "prel":
		return Prelevement, true
	}
	for _, m := range Modes {
		if n == string(m) {
			return m, true
		}
	}
	return "", false
}

// Label returns the French name of the mode.
func (m Mode) Label() string {
	switch m {
	case Cheque:
		return "Chèque"
	case Especes:
		return "Espèces"
	case Virement:
		return "Virement"
	case Carte:
		return "Carte"
	case Prelevement:
		return "Prélèvement"
	case Remise:
		return "Remise de chèques"
	}
	return string(m)
}

// Treasury is where money sits: the compte courant ("banque"), the caisse,
// or a régie d'avance ("regie:" followed by the régie's id).
type Treasury string

// The two treasuries every coop has.
const (
	Banque Treasury = "banque"
	Caisse Treasury = "caisse"
)

const regiePrefix = "regie:"

// RegieTreasury returns the treasury of the régie with that id.
func RegieTreasury(id string) Treasury { return Treasury(regiePrefix + id) }

// IsRegie reports whether t is a régie d'avance.
func (t Treasury) IsRegie() bool {
	return strings.HasPrefix(string(t), regiePrefix) && len(t) > len(regiePrefix)
}

// RegieID returns the id of a régie treasury, "" for banque and caisse.
func (t Treasury) RegieID() string {
	if !t.IsRegie() {
		return ""
	}
	return string(t[len(regiePrefix):])
}

// Known reports whether t is banque, caisse or a well-formed régie.
func (t Treasury) Known() bool { return t == Banque || t == Caisse || t.IsRegie() }

// Label names the treasury in a sentence: "le compte courant", "la caisse",
// "la régie « CE1 »".
func (t Treasury) Label() string {
	switch {
	case t == Banque:
		return "le compte courant"
	case t == Caisse:
		return "la caisse"
	case t.IsRegie():
		return "la régie « " + t.RegieID() + " »"
	}
	return "la trésorerie « " + string(t) + " »"
}

// ParseTreasury reads a treasury as written in a CSV file: "banque",
// "Compte courant", "caisse", "regie:CE1" or "Régie CE1".
func ParseTreasury(s string) (Treasury, bool) {
	s = strings.TrimSpace(s)
	n := csvin.Normalize(s)
	switch n {
	case "banque", "compte_courant":
		return Banque, true
	case "caisse":
		return Caisse, true
	}
	// Keep the régie id as written, after "régie" and a colon or space.
	if rs := []rune(s); len(rs) > 5 && csvin.Normalize(string(rs[:5])) == "regie" {
		if id := strings.TrimSpace(strings.TrimLeft(string(rs[5:]), ": ")); id != "" {
			return RegieTreasury(id), true
		}
	}
	return "", false
}

// Regie is a régie d'avance: money advanced to a class teacher for small
// expenses, kept as its own treasury, and settled back to zero before the
// summer.
type Regie struct {
	ID    string // short name, unique in the coop ("CE1", "CP-Martin")
	Label string // the teacher and class, for display
}

// Treasury returns the régie's treasury.
func (r Regie) Treasury() Treasury { return RegieTreasury(r.ID) }

// Line is one line of the ventilation of a recette or dépense: the part of
// the amount charged to one account of the chart.
type Line struct {
	Account string
	Amount  money.Money
}

// Operation is one entry of the book. Amount is always positive: the Kind
// says which way the money goes. A transfer takes Amount out of Treasury and
// puts it into Counterpart, and has no ventilation.
type Operation struct {
	ID          int64
	Date        time.Time
	Piece       string
	Libelle     string
	Kind        Kind
	Mode        Mode
	Cheque      string
	Treasury    Treasury
	Counterpart Treasury // transfers only: where the money goes
	Amount      money.Money
	Lines       []Line
	Project     string
	// Ticked is the date of the bank statement on which the operation was
	// ticked (pointée), nil while it is not on a statement.
	Ticked *time.Time
	// Line is the first line of the CSV file the operation was imported
	// from (0 otherwise), so that a problem found later is located.
	Line int
}

// Delta returns the signed change the operation makes to treasury t.
func (op *Operation) Delta(t Treasury) money.Money {
	var d money.Money
	switch op.Kind {
	case Recette:
		if op.Treasury == t {
			d += op.Amount
		}
	case Depense:
		if op.Treasury == t {
			d -= op.Amount
		}
	case Transfert:
		if op.Treasury == t {
			d -= op.Amount
		}
		if op.Counterpart == t {
			d += op.Amount
		}
	}
	return d
}

// Touches reports whether the operation moves money in or out of t.
func (op *Operation) Touches(t Treasury) bool {
	return op.Treasury == t || (op.Kind == Transfert && op.Counterpart == t)
}

// Ventilated returns the sum of the ventilation lines.
func (op *Operation) Ventilated() money.Money {
	var s money.Money
	for _, l := range op.Lines {
		s += l.Amount
	}
	return s
}

// Clone returns a deep copy, so that callers may edit lines and dates
// without changing the book they came from.
func (op Operation) Clone() Operation {
	op.Lines = append([]Line(nil), op.Lines...)
	if op.Ticked != nil {
		t := *op.Ticked
		op.Ticked = &t
	}
	return op
}
