package bank

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"retkoop/app/money"
)

// metaLines collects what the rows around a CSV table say about the
// statement: account number, period, balances ("Solde au 31/08/2026 :
// 1 234,56", "Ancien solde", "Solde final créditeur").
type metaLines struct {
	account    string
	start, end time.Time
	balances   []balanceLine
}

type balanceKind int

const (
	balanceUnknown balanceKind = iota
	balanceOpening
	balanceClosing
)

// balanceLine is one "Solde …" row.
type balanceLine struct {
	kind   balanceKind
	date   time.Time // zero when the row gives none
	amount money.Money
}

var (
	dateRe   = regexp.MustCompile(`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`)
	amountRe = regexp.MustCompile(`[-+−]?\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?|[-+−]?\d+(?:[.,]\d{1,2})?`)
	periodRe = regexp.MustCompile(`(?:\bDU|\bENTRE LE|\bENTRE|\bDEPUIS LE|\bPERIODE)\s*:?\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})[\s;]*(?:AU|ET LE|ET|A|JUSQU'AU|-)[\s;]*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})`)
	ibanRe   = regexp.MustCompile(`\bFR\d{2}(?: ?[0-9A-Z]{4}){5} ?[0-9A-Z]{3}\b`)
	acctRe   = regexp.MustCompile(`\b\d{8,23}\b`)

	openingWords = []string{"INITIAL", "DEBUT", "ANCIEN", "PRECEDENT", "OUVERTURE", "REPORT", "DEPART"}
	closingWords = []string{"FINAL", "FIN DE", "FIN DU", "NOUVEAU", "ACTUEL", "CLOTURE", "EN FIN"}
)

// isBalanceLabel reports whether a dated row of the table is a balance
// rather than an operation. Only a label that starts with the word counts:
// "VIR SOLDE CLASSE VERTE" is an operation.
func isBalanceLabel(label string) bool {
	u := keyLabel(label)
	return u == "SOLDE" || strings.HasPrefix(u, "SOLDE ") || strings.HasPrefix(u, "ANCIEN SOLDE") || strings.HasPrefix(u, "NOUVEAU SOLDE")
}

// add reads one row outside the operations. m locates the amount columns
// when the row is shaped like the table (a balance in the Crédit column).
func (ml *metaLines) add(r record, m Mapping) {
	u := keyLabel(strings.Join(r.cells, " ; "))
	if strings.Contains(u, "SOLDE") {
		ml.addBalance(r, u, m)
		return
	}
	if ml.start.IsZero() {
		if p := periodRe.FindStringSubmatch(u); p != nil {
			a, okA := parseDate(p[1])
			b, okB := parseDate(p[2])
			if okA && okB {
				if b.Before(a) {
					a, b = b, a
				}
				ml.start, ml.end = a, b
			}
		}
	}
	if ml.account == "" {
		if iban := ibanRe.FindString(u); iban != "" {
			ml.account = strings.ReplaceAll(iban, " ", "")
		} else if strings.Contains(u, "COMPTE") || strings.Contains(u, "CPTE") {
			ml.account = acctRe.FindString(u)
		}
	}
}

func (ml *metaLines) addBalance(r record, u string, m Mapping) {
	b := balanceLine{kind: balanceUnknown}
	switch {
	case containsAny(u, openingWords):
		b.kind = balanceOpening
	case containsAny(u, closingWords):
		b.kind = balanceClosing
	}
	for _, d := range dateRe.FindAllString(u, -1) {
		if t, ok := parseDate(d); ok {
			b.date = t
			break
		}
	}
	cell := func(i int) string {
		if i < 0 || i >= len(r.cells) {
			return ""
		}
		return r.cells[i]
	}
	amount, msg := rowAmount(cell(m.Amount), cell(m.Debit), cell(m.Credit))
	if msg != "" {
		// The amount is written in the text: "Solde au 31/08/2026 : 1 234,56 €".
		found := amountRe.FindAllString(dateRe.ReplaceAllString(u, " "), -1)
		if len(found) == 0 {
			return
		}
		v, err := money.Parse(found[len(found)-1])
		if err != nil {
			return
		}
		amount = v
	}
	switch {
	case strings.Contains(u, "DEBITEUR"):
		amount = -amount.Abs()
	case strings.Contains(u, "CREDITEUR"):
		amount = amount.Abs()
	}
	b.amount = amount
	ml.balances = append(ml.balances, b)
}

// apply sets the statement's account, period and balances. A balance whose
// row does not say which it is is placed by its date: before the first
// operation it is the opening one, otherwise the closing one; undated, it is
// the closing one (banks print the current balance above the table).
func (ml *metaLines) apply(st *Statement) {
	st.AccountID = ml.account
	st.Start, st.End = ml.start, ml.end
	var opening, closing *balanceLine
	var unknownDated, unknownUndated []balanceLine
	for i := range ml.balances {
		b := &ml.balances[i]
		switch {
		case b.kind == balanceOpening:
			if opening == nil {
				opening = b
			}
		case b.kind == balanceClosing:
			closing = b
		case !b.date.IsZero():
			unknownDated = append(unknownDated, *b)
		default:
			unknownUndated = append(unknownUndated, *b)
		}
	}
	sort.SliceStable(unknownDated, func(i, j int) bool { return unknownDated[i].date.Before(unknownDated[j].date) })
	var first time.Time
	for _, l := range st.Lines {
		if first.IsZero() || l.Date.Before(first) {
			first = l.Date
		}
	}
	for i := range unknownDated {
		b := &unknownDated[i]
		isOpening := b.date.Before(first) || (first.IsZero() && len(unknownDated) > 1 && i == 0)
		switch {
		case isOpening && opening == nil:
			opening = b
		case !isOpening && (closing == nil || closing.kind != balanceClosing):
			closing = b
		}
	}
	if closing == nil && len(unknownUndated) > 0 {
		closing = &unknownUndated[0]
	}
	if opening != nil {
		v := opening.amount
		st.OpeningBalance = &v
	}
	if closing != nil {
		v := closing.amount
		st.ClosingBalance = &v
		if st.End.IsZero() && !closing.date.IsZero() {
			st.End = closing.date
		}
	}
}

// Gap returns closing − (opening + Σ lines) when both balances are known:
// zero for a statement that adds up, anything else means lines are missing
// (a partial export) or a balance was misread.
func (s Statement) Gap() (money.Money, bool) {
	if s.OpeningBalance == nil || s.ClosingBalance == nil {
		return 0, false
	}
	total := *s.OpeningBalance
	for _, l := range s.Lines {
		total += l.Amount
	}
	return *s.ClosingBalance - total, true
}
