package bank

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"retkoop/app/money"
)

// Rapprochement is the état de rapprochement of the compte courant at a
// date: the statement's balance, the book's, the operations of the book the
// bank has not shown yet, and what remains unexplained.
type Rapprochement struct {
	Date        time.Time
	SoldeReleve money.Money // balance of the statement at Date
	SoldeLivre  money.Money // balance of the book's compte courant at Date
	NonPointees []Entry     // book operations not yet on a statement, by date
	// Ecart = SoldeLivre − (SoldeReleve + Σ NonPointees): zero when the
	// unticked operations explain the whole difference.
	Ecart money.Money
}

// Reconcile builds the état de rapprochement at date. open holds the
// operations of the compte courant dated on or before date that are not
// ticked on a statement dated on or before date (a cheque written on 25/08
// and cashed on 10/09 is open at 31/08); operations dated after date are
// left out, since they cannot explain a balance at date.
func Reconcile(date time.Time, statementBalance, bookBalance money.Money, open []Entry) Rapprochement {
	r := Rapprochement{Date: civil(date), SoldeReleve: statementBalance, SoldeLivre: bookBalance, NonPointees: []Entry{}}
	limit := dayNumber(date)
	for _, e := range open {
		if dayNumber(e.Date) <= limit {
			r.NonPointees = append(r.NonPointees, e)
		}
	}
	slices.SortStableFunc(r.NonPointees, func(a, b Entry) int {
		if c := dayNumber(a.Date) - dayNumber(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	r.Ecart = bookBalance - (statementBalance + r.TotalNonPointees())
	return r
}

// TotalNonPointees is Σ NonPointees (signed: + recette, − dépense).
func (r Rapprochement) TotalNonPointees() money.Money {
	var total money.Money
	for _, e := range r.NonPointees {
		total += e.Amount
	}
	return total
}

// Balanced reports whether the unticked operations explain the whole gap
// between the statement and the book.
func (r Rapprochement) Balanced() bool { return r.Ecart == 0 }

// rapprochementJSON is the contract's `report rapprochement` shape: amounts
// in cents, dates AAAA-MM-JJ.
type rapprochementJSON struct {
	Date        string           `json:"date"`
	SoldeReleve int64            `json:"solde_releve"`
	SoldeLivre  int64            `json:"solde_livre"`
	NonPointees []nonPointeeJSON `json:"non_pointees"`
	Ecart       int64            `json:"ecart"`
}

type nonPointeeJSON struct {
	Date    string `json:"date"`
	Piece   string `json:"piece"`
	Libelle string `json:"libelle"`
	Montant int64  `json:"montant"`
}

// MarshalJSON writes the état de rapprochement as the contract specifies.
func (r Rapprochement) MarshalJSON() ([]byte, error) {
	out := rapprochementJSON{
		Date:        r.Date.Format(time.DateOnly),
		SoldeReleve: r.SoldeReleve.Cents(),
		SoldeLivre:  r.SoldeLivre.Cents(),
		NonPointees: make([]nonPointeeJSON, 0, len(r.NonPointees)),
		Ecart:       r.Ecart.Cents(),
	}
	for _, e := range r.NonPointees {
		out.NonPointees = append(out.NonPointees, nonPointeeJSON{
			Date: civil(e.Date).Format(time.DateOnly), Piece: e.Piece, Libelle: e.Label, Montant: e.Amount.Cents(),
		})
	}
	return json.Marshal(out)
}
