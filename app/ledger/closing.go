package ledger

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"retkoop/app/money"
)

// ClosingInput is what the caller knows when the mandataire asks to close the
// book of an exercice.
type ClosingInput struct {
	Exercice Exercice
	Opening  Balances
	Ops      []Operation
	Chart    Chart
	Regies   []Regie
	// Statement tells whether a bank statement covering the end of the
	// exercice was imported; RapprochementGap is the état de rapprochement's
	// unexplained gap at the end of the exercice (0 when it balances).
	Statement        bool
	RapprochementGap money.Money
	// CashCount is the last arrêté de caisse, nil when none was made.
	CashCount *CashCount
}

// CheckClosing runs every closing check and returns the problems found, in a
// fixed order; none means the book can be closed.
func CheckClosing(in ClosingInput) []Problem {
	var out []Problem
	add := func(code ProblemCode, format string, args ...any) {
		out = append(out, Problem{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	book := NewBook(in.Opening, in.Ops)

	for i := range book.Ops {
		op := &book.Ops[i]
		if !in.Exercice.Contains(op.Date) {
			add(ProblemDates, "la pièce %s est datée du %s, hors de l'exercice %s",
				pieceName(op), frDate(op.Date), in.Exercice)
		}
		if op.Kind != Recette && op.Kind != Depense {
			continue
		}
		var v Invalid
		validVentilation(&v, *op, in.Chart)
		for _, e := range v {
			add(ProblemVentilation, "pièce %s du %s : %s", pieceName(op), frDate(op.Date), e.Msg)
		}
	}

	totals := ComputeTotals(book.Ops)
	closing := book.Closing()
	if want := in.Opening.Total() + totals.Resultat(); want != closing.Total() {
		add(ProblemIdentite, "les comptes ne s'équilibrent pas : solde d'ouverture (%s) + recettes (%s) − dépenses (%s) = %s, "+
			"mais les trésoreries totalisent %s ; vérifiez la ventilation",
			in.Opening.Total(), totals.Recettes, totals.Depenses, want, closing.Total())
	}

	if err := book.CheckCash(); err != nil {
		var ne *NegativeError
		code := ProblemCaisseNeg
		if errors.As(err, &ne) && ne.Treasury.IsRegie() {
			code = ProblemRegieNeg
		}
		add(code, "%s", err.Error())
	}

	for _, p := range UnsettledRegies(in.Regies, closing) {
		add(p.Code, "%s", p.Message)
	}

	switch {
	case !in.Statement:
		add(ProblemRapprochement, "aucun relevé bancaire couvrant le %s n'a été importé", frDate(in.Exercice.Fin()))
	case in.RapprochementGap != 0:
		add(ProblemRapprochement, "le rapprochement bancaire n'explique pas tout : écart de %s entre le relevé et le cahier",
			in.RapprochementGap)
	}

	checkCashCount(in, book, add)
	return out
}

// checkCashCount requires an arrêté de caisse made after the last cash
// operation and equal to the book, unless the caisse was never used.
func checkCashCount(in ClosingInput, book Book, add func(code ProblemCode, format string, args ...any)) {
	lastCash := -1
	for i := range book.Ops {
		if book.Ops[i].Touches(Caisse) {
			lastCash = i
		}
	}
	if in.CashCount == nil {
		if lastCash >= 0 || in.Opening[Caisse] != 0 {
			add(ProblemArreteCaisse, "aucun arrêté de caisse n'a été fait : comptez les billets et les pièces de la caisse")
		}
		return
	}
	cc := *in.CashCount
	if lastCash >= 0 && dayKey(cc.Date) < dayKey(book.Ops[lastCash].Date) {
		add(ProblemArreteCaisse, "le dernier arrêté de caisse (%s) est antérieur à la dernière opération en caisse (%s) : refaites-le",
			frDate(cc.Date), frDate(book.Ops[lastCash].Date))
		return
	}
	if chk := book.CompareCash(cc); !chk.OK() {
		add(ProblemArreteCaisse, "%s", chk.Message())
	}
}

// UnsettledRegies says which régies do not end at zero in the closing
// balances (each must be settled before the book is closed), and what to
// do about it.
func UnsettledRegies(regies []Regie, closing Balances) []Problem {
	var out []Problem
	for _, t := range regieTreasuries(regies, closing) {
		switch m := closing[t]; {
		case m > 0:
			out = append(out, Problem{Code: ProblemRegie, Message: fmt.Sprintf(
				"%s n'est pas soldée : il reste %s d'avance à rendre à la coopérative", t.Label(), m)})
		case m < 0:
			out = append(out, Problem{Code: ProblemRegie, Message: fmt.Sprintf(
				"%s n'est pas soldée : elle a dépensé %s de plus que son avance, à rembourser à l'enseignant", t.Label(), -m)})
		}
	}
	return out
}

// regieTreasuries lists the declared régies and any other régie found in
// the balances, sorted.
func regieTreasuries(regies []Regie, bal Balances) []Treasury {
	var ts []Treasury
	for _, r := range regies {
		ts = append(ts, r.Treasury())
	}
	for t := range bal {
		if t.IsRegie() && !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	slices.Sort(ts)
	return ts
}

func pieceName(op *Operation) string {
	if p := strings.TrimSpace(op.Piece); p != "" {
		return "« " + p + " »"
	}
	return "sans numéro"
}
