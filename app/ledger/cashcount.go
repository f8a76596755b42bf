package ledger

import (
	"fmt"
	"slices"
	"time"

	"retkoop/app/money"
)

// Denominations are the euro banknotes and coins of an arrêté de caisse,
// largest first (in cents).
var Denominations = []money.Money{
	50000, 20000, 10000, 5000, 2000, 1000, 500, // billets
	200, 100, 50, 20, 10, 5, 2, 1, // pièces
}

// DenominationLabel names a denomination: "billet de 20 €", "pièce de 0,50 €".
func DenominationLabel(d money.Money) string {
	kind := "pièce"
	if d >= 500 {
		kind = "billet"
	}
	if d%100 == 0 {
		return fmt.Sprintf("%s de %d\u00a0€", kind, d/100)
	}
	return kind + " de " + d.String()
}

// CashCount is an arrêté de caisse: how many of each banknote and coin were
// counted in the cash box on a date.
type CashCount struct {
	Date   time.Time
	Counts map[money.Money]int // denomination → number counted
}

// Total returns the value of the cash counted.
func (c CashCount) Total() money.Money {
	var t money.Money
	for d, n := range c.Counts {
		t += d * money.Money(n)
	}
	return t
}

// Validate refuses unknown denominations and negative counts.
func (c CashCount) Validate() error {
	var v Invalid
	if c.Date.IsZero() {
		v.add("date", "la date de l'arrêté de caisse est obligatoire")
	}
	keys := make([]money.Money, 0, len(c.Counts))
	for d := range c.Counts {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	for _, d := range keys {
		switch {
		case !slices.Contains(Denominations, d):
			v.add("counts", "%s n'est pas un billet ni une pièce en euros", d)
		case c.Counts[d] < 0:
			v.add("counts", "le nombre pour « %s » ne peut pas être négatif", DenominationLabel(d))
		}
	}
	if len(v) == 0 {
		return nil
	}
	return v
}

// CashCheck is the comparison of a cash count with the book.
type CashCheck struct {
	Date    time.Time
	Counted money.Money
	Book    money.Money
	// Gap is Counted − Book: negative when cash is missing from the box.
	Gap money.Money
}

// OK reports whether the count matches the book to the cent.
func (c CashCheck) OK() bool { return c.Gap == 0 }

// Message says the result to the teacher: "Bravo" when the box matches the
// book, otherwise how much is missing or extra.
func (c CashCheck) Message() string {
	switch {
	case c.Gap == 0:
		return fmt.Sprintf("Bravo ! La caisse comptée le %s (%s) correspond au cahier.", frDate(c.Date), c.Counted)
	case c.Gap < 0:
		return fmt.Sprintf("Il manque %s dans la caisse : %s comptés le %s, %s selon le cahier.",
			-c.Gap, c.Counted, frDate(c.Date), c.Book)
	default:
		return fmt.Sprintf("Il y a %s de trop dans la caisse : %s comptés le %s, %s selon le cahier.",
			c.Gap, c.Counted, frDate(c.Date), c.Book)
	}
}

// CompareCash compares a count with the book's cash balance at the end of the
// count's day.
func (b Book) CompareCash(c CashCount) CashCheck {
	counted, book := c.Total(), b.BalanceAt(Caisse, c.Date)
	return CashCheck{Date: c.Date, Counted: counted, Book: book, Gap: counted - book}
}
