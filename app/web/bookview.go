package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// bookPageSize is the number of rows of one page of the book; running
// balances come from the whole book, so they are right on every page.
const BookPageSize = 50

// bookQuery is the book view asked for in the URL: filters and page.
type bookQuery struct {
	Month    string // "2025-10"
	Account  string
	Treasury string
	Project  string
	Text     string
	Unticked bool
	Page     int  // 1-based; 0 = the last page (the latest operations)
	All      bool // every row on one page (printing)
}

// parseBookQuery reads a view from URL values.
func parseBookQuery(v url.Values) bookQuery {
	q := bookQuery{Month: v.Get("mois"), Account: v.Get("compte"), Treasury: v.Get("tresorerie"),
		Project: v.Get("projet"), Text: strings.TrimSpace(v.Get("q")), Unticked: v.Get("non_pointees") == "1",
		All: v.Get("tout") == "1"}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	return q
}

// values encodes the view (page excluded unless page is set).
func (q bookQuery) values(page int) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("mois", q.Month)
	set("compte", q.Account)
	set("tresorerie", q.Treasury)
	set("projet", q.Project)
	set("q", q.Text)
	if q.Unticked {
		v.Set("non_pointees", "1")
	}
	if page > 0 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// Filtered reports whether any filter is set.
func (q bookQuery) Filtered() bool { return len(q.values(0)) > 0 }

// filter turns the view into the ledger's filter.
func (q bookQuery) filter() ledger.Filter {
	f := ledger.Filter{Account: q.Account, Treasury: ledger.Treasury(q.Treasury), Project: q.Project, Text: q.Text,
		Unticked: q.Unticked}
	if m, err := time.Parse("2006-01", q.Month); err == nil {
		f.From, f.To = m, m.AddDate(0, 1, -1)
	}
	return f
}

// bookView is the list part of the book page: filters, totals of the
// filtered rows, one page of rows with running balances.
type bookView struct {
	Base     string // the book's page: "/coop/cahier/2025-2026"
	Query    bookQuery
	Encoded  string // the view as a query string, for forms that refresh it
	Rows     []bookRow
	Count    int
	Totals   ledger.Totals
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	AllURL   string
	NewID    int64 // the operation just saved, highlighted
	Closed   bool
	OOB      bool // rendered as an out-of-band swap
	Months   []option
	Accounts []option
	Treas    []option
	Projects []string
}

// bookRow is one row of the book with its running balances, formatted
// once here so that the row template stays a list of fields (the book
// page renders a hundred of them).
type bookRow struct {
	Space     coopSpace // the links of the row
	Op        *ledger.Operation
	ID        int64
	Date      string
	Detail    string // mode, cheque number, project
	Accounts  []string
	Where     string // "Banque", "Caisse → Banque : 100,00 €", "Régie CE1 (solde 12,00 €)"
	Recette   string // "" when the operation is not a recette
	Depense   string
	Banque    string
	BanqueNeg bool
	Caisse    string
	Ticked    string // the statement's date, "" while not ticked
	Document  int64
	New       bool
}

// balanceSummary is the state of every treasury at the end of the book.
type balanceSummary struct {
	OOB                      bool
	OpeningBank, OpeningCash money.Money
	Banque, Caisse           money.Money
	Regies                   []regieBalance
}

type regieBalance struct {
	Regie   ledger.Regie
	Balance money.Money
}

// summarize computes the balances of the book once.
func summarize(b *store.Book, closing ledger.Balances) balanceSummary {
	s := balanceSummary{OpeningBank: b.Exercice.OpeningBank, OpeningCash: b.Exercice.OpeningCash,
		Banque: closing[ledger.Banque], Caisse: closing[ledger.Caisse]}
	for _, r := range b.Regies {
		s.Regies = append(s.Regies, regieBalance{Regie: r, Balance: closing[r.Treasury()]})
	}
	return s
}

// buildBookView computes the running balances of the whole book once,
// keeps the rows that pass the filters and cuts the requested page.
func buildBookView(s coopSpace, b *store.Book, entries []ledger.Entry, q bookQuery, newID int64) *bookView {
	base := s.book(b.Exercice.Name, "")
	v := &bookView{Base: base, Query: q, Encoded: q.values(0).Encode(), NewID: newID,
		Closed: b.Exercice.State == store.ExerciceClosed, Projects: ledger.ComputeTotals(b.Ops).Projects()}
	f := q.filter()
	kept := make([]int, 0, len(entries))
	filtered := make([]ledger.Operation, 0, len(entries))
	for i := range entries {
		if f.Match(entries[i].Op) {
			kept = append(kept, i)
			filtered = append(filtered, *entries[i].Op)
		}
	}
	v.Count, v.Totals = len(kept), ledger.ComputeTotals(filtered)
	v.Pages = max(1, (len(kept)+BookPageSize-1)/BookPageSize)
	v.Page = q.Page
	if v.Page <= 0 || v.Page > v.Pages {
		v.Page = v.Pages
	}
	from, to := (v.Page-1)*BookPageSize, min(v.Page*BookPageSize, len(kept))
	if q.All {
		from, to, v.Page, v.Pages = 0, len(kept), 1, 1
	}
	v.Rows = make([]bookRow, 0, to-from)
	for _, i := range kept[from:to] {
		v.Rows = append(v.Rows, newBookRow(s, entries[i], b, newID))
	}
	link := func(page int) string { return base + "?" + q.values(page).Encode() }
	v.PrevURL, v.NextURL = pageLinks(v.Page, v.Pages, link)
	all := q.values(0)
	all.Set("tout", "1")
	v.AllURL = base + "?" + all.Encode()
	v.Months, v.Accounts, v.Treas = monthOptions(b.Exercice.Name), accountOptions(b.Chart), treasuryOptions(b.Regies)
	return v
}

func newBookRow(s coopSpace, e ledger.Entry, b *store.Book, newID int64) bookRow {
	op := e.Op
	r := bookRow{Space: s, Op: op, ID: op.ID, Date: op.Date.Format("02/01/2006"), Banque: e.Banque.String(), BanqueNeg: e.Banque < 0,
		Caisse: e.Caisse.String(), Document: b.Documents[op.ID], New: op.ID == newID}
	switch op.Kind {
	case ledger.Recette:
		r.Recette = op.Amount.String()
	case ledger.Depense:
		r.Depense = op.Amount.String()
	}
	r.Detail = op.Mode.Label()
	if op.Cheque != "" {
		r.Detail += " n° " + op.Cheque
	}
	if op.Project != "" {
		r.Detail += " · projet " + op.Project
	}
	r.Where = treasuryName(op.Treasury)
	if op.Kind == ledger.Transfert {
		r.Where += " → " + treasuryName(op.Counterpart) + " : " + op.Amount.String()
	}
	if op.Treasury.IsRegie() || op.Counterpart.IsRegie() {
		r.Where += " (solde de la régie " + e.Regie.String() + ")"
	}
	if op.Ticked != nil {
		r.Ticked = op.Ticked.Format("02/01/2006")
	}
	for _, l := range op.Lines {
		a := l.Account + " " + b.Chart.Label(l.Account)
		if len(op.Lines) > 1 { // a split: each account's part
			a += " : " + l.Amount.String()
		}
		r.Accounts = append(r.Accounts, a)
	}
	return r
}

// treasuryName is the short name of a treasury in a table cell.
func treasuryName(t ledger.Treasury) string {
	switch {
	case t == ledger.Banque:
		return "Banque"
	case t == ledger.Caisse:
		return "Caisse"
	case t.IsRegie():
		return "Régie " + t.RegieID()
	}
	return string(t)
}

// monthOptions lists the twelve months of the exercice.
func monthOptions(exercice string) []option {
	ex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return nil
	}
	out := make([]option, 0, 12)
	for m := ex.Debut(); !m.After(ex.Fin()); m = m.AddDate(0, 1, 0) {
		out = append(out, option{Value: m.Format("2006-01"), Label: fmt.Sprintf("%s %d", fr.Month(m.Month()), m.Year())})
	}
	return out
}

func accountOptions(chart ledger.Chart) []option {
	f := &entryForm{}
	f.choices(&store.Book{Chart: chart})
	return append(f.Charges, f.Produits...)
}
