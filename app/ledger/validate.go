package ledger

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every Invalid error, so that the HTTP
// layer maps any broken book rule to 422 in one place.
var ErrInvalid = errors.New("opération invalide")

// FieldError is one broken rule, tied to the form field it concerns so that
// a form can show the message next to the field.
type FieldError struct {
	Field string // date, piece, libelle, kind, mode, cheque, treasury, counterpart, amount, lines, ticked
	Msg   string
}

// Invalid lists every rule an operation breaks, in the order of the form.
type Invalid []FieldError

// Error joins the messages.
func (v Invalid) Error() string {
	msgs := make([]string, len(v))
	for i, e := range v {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, " ; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (v Invalid) Is(target error) bool { return target == ErrInvalid }

func (v *Invalid) add(field, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Context is what Validate needs to know about the rest of the book.
type Context struct {
	Exercice Exercice
	Chart    Chart
	// Regies are the coop's régies; an operation on another régie is refused.
	Regies []Regie
	// Pieces maps PieceKey(piece) to the ID of the operation holding it in
	// the exercice (see PieceIndex).
	Pieces map[string]int64
}

// PieceKey is the form under which pièce numbers are compared: "r01 " and
// "R01" are the same paper.
func PieceKey(piece string) string { return strings.ToUpper(strings.TrimSpace(piece)) }

// PieceIndex maps the pièces of ops to their operation IDs, for
// Context.Pieces.
func PieceIndex(ops []Operation) map[string]int64 {
	m := make(map[string]int64, len(ops))
	for i := range ops {
		m[PieceKey(ops[i].Piece)] = ops[i].ID
	}
	return m
}

// Validate checks one operation against the rules of the book and returns an
// Invalid listing every broken rule in words a teacher understands, or nil.
// When editing, op.ID excludes the operation itself from the pièce check.
func Validate(op Operation, ctx Context) error {
	var v Invalid
	switch {
	case op.Date.IsZero():
		v.add("date", "la date est obligatoire")
	case !ctx.Exercice.Contains(op.Date):
		v.add("date", "la date %s est hors de l'exercice %s (du %s au %s)",
			frDate(op.Date), ctx.Exercice, frDate(ctx.Exercice.Debut()), frDate(ctx.Exercice.Fin()))
	}
	if key := PieceKey(op.Piece); key == "" {
		v.add("piece", "le numéro de pièce est obligatoire")
	} else if owner, ok := ctx.Pieces[key]; ok && (op.ID == 0 || owner != op.ID) {
		v.add("piece", "la pièce « %s » est déjà utilisée dans l'exercice %s", strings.TrimSpace(op.Piece), ctx.Exercice)
	}
	if strings.TrimSpace(op.Libelle) == "" {
		v.add("libelle", "le libellé est obligatoire")
	}
	if m, ok := ParseMode(string(op.Mode)); !ok || m != op.Mode {
		v.add("mode", "mode de règlement inconnu : « %s »", op.Mode)
	}
	validTreasury(&v, "treasury", op.Treasury, ctx.Regies)
	if op.Amount <= 0 {
		v.add("amount", "le montant doit être supérieur à zéro")
	}
	switch op.Kind {
	case Recette, Depense:
		validVentilation(&v, op, ctx.Chart)
		if op.Kind == Recette && op.Treasury.IsRegie() {
			v.add("treasury", "une régie d'avance ne reçoit que des avances : enregistrez la recette en caisse ou au compte courant")
		}
		if op.Kind == Depense && op.Mode == Cheque && strings.TrimSpace(op.Cheque) == "" {
			v.add("cheque", "le numéro de chèque est obligatoire pour une dépense par chèque")
		}
	case Transfert:
		if len(op.Lines) > 0 {
			v.add("lines", "un mouvement interne ne se ventile pas : retirez les comptes")
		}
		switch {
		case op.Counterpart == "":
			v.add("counterpart", "indiquez la trésorerie qui reçoit l'argent")
		case op.Counterpart == op.Treasury:
			v.add("counterpart", "un mouvement interne relie deux trésoreries différentes")
		case op.Treasury.IsRegie() && op.Counterpart.IsRegie():
			v.add("counterpart", "pas de mouvement direct entre deux régies : la régie rend d'abord son avance")
		default:
			validTreasury(&v, "counterpart", op.Counterpart, ctx.Regies)
		}
	default:
		v.add("kind", "le type d'opération doit être recette, dépense ou mouvement interne")
	}
	if op.Ticked != nil && !op.Touches(Banque) {
		v.add("ticked", "seule une opération du compte courant peut être pointée sur un relevé")
	}
	if len(v) == 0 {
		return nil
	}
	return v
}

func validTreasury(v *Invalid, field string, t Treasury, regies []Regie) {
	switch {
	case t == "":
		v.add(field, "la trésorerie est obligatoire (compte courant, caisse ou régie)")
	case !t.Known():
		v.add(field, "trésorerie inconnue : « %s »", t)
	case t.IsRegie() && !hasRegie(regies, t.RegieID()):
		v.add(field, "%s n'existe pas : créez-la d'abord", t.Label())
	}
}

func hasRegie(regies []Regie, id string) bool {
	for _, r := range regies {
		if r.ID == id {
			return true
		}
	}
	return false
}

// validVentilation checks the lines of a recette or dépense.
func validVentilation(v *Invalid, op Operation, chart Chart) {
	if op.Counterpart != "" {
		v.add("counterpart", "seul un mouvement interne a une trésorerie de destination")
	}
	if len(op.Lines) == 0 {
		v.add("lines", "la ventilation est vide : indiquez au moins un compte")
		return
	}
	for _, l := range op.Lines {
		switch {
		case !chart.Has(l.Account):
			v.add("lines", "le compte « %s » n'existe pas dans le plan comptable", l.Account)
		case op.Kind == Depense && !ChargeAccount(l.Account):
			v.add("lines", "le compte %s (%s) n'est pas un compte de charges : une dépense se ventile sur des comptes 6…",
				l.Account, chart.Label(l.Account))
		case op.Kind == Recette && !ProductAccount(l.Account):
			v.add("lines", "le compte %s (%s) n'est pas un compte de produits : une recette se ventile sur des comptes 7…",
				l.Account, chart.Label(l.Account))
		}
		if l.Amount <= 0 {
			v.add("lines", "le montant ventilé sur le compte %s doit être supérieur à zéro", l.Account)
		}
	}
	if op.Amount <= 0 {
		return // the amount message already says what to fix
	}
	switch sum := op.Ventilated(); {
	case sum < op.Amount:
		v.add("lines", "la ventilation (%s) ne correspond pas au montant (%s) : reste %s à ventiler",
			sum, op.Amount, op.Amount-sum)
	case sum > op.Amount:
		v.add("lines", "la ventilation (%s) ne correspond pas au montant (%s) : %s de trop",
			sum, op.Amount, sum-op.Amount)
	}
}
