package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// The CRF entered directly, for coops that kept their books elsewhere:
// the total of each account of the AD's chart, the bank and cash balances
// at both ends of the exercice, the subsidies. The figures are saved as a
// draft even when they do not balance yet; the page then says what is
// wrong, and the CRF page validates them.

// blankSubsidyRows is how many empty subsidy rows the form offers.
const blankSubsidyRows = 3

// crfEntryPage is the entry form.
type crfEntryPage struct {
	Rec       *store.CRFRecord
	Links     crfLinks
	Debut     string
	Fin       string
	Treasury  map[string]string // debut_banque, debut_caisse, fin_banque, fin_caisse
	Charges   []entryAccount
	Produits  []entryAccount
	Fields    []entryAccount // the four treasury fields, for the template
	Parts     []entryPart
	Subsidies []entrySubsidy
	Accounts  []entryAccount // the subsidy accounts (74…) for the rows' select
	Errors    map[string]string
	Messages  []string
	Frozen    bool
	Saved     bool
}

type entryAccount struct {
	Code, Label, Value, Error string
}

// entryPart is one fieldset of accounts (charges or produits).
type entryPart struct {
	ID, Legend string
	Accounts   []entryAccount
}

// layout lays the figures out for the template, with each field's error.
func (p *crfEntryPage) layout() {
	p.Fields = nil
	for _, f := range []struct{ name, label string }{{"debut_banque", "Compte courant au " + p.Debut},
		{"debut_caisse", "Caisse au " + p.Debut}, {"fin_banque", "Compte courant au " + p.Fin}, {"fin_caisse", "Caisse au " + p.Fin}} {
		p.Fields = append(p.Fields, entryAccount{Code: f.name, Label: f.label, Value: p.Treasury[f.name], Error: p.Errors[f.name]})
	}
	withErrors := func(accs []entryAccount) []entryAccount {
		out := slices.Clone(accs)
		for i := range out {
			out[i].Error = p.Errors["compte_"+out[i].Code]
		}
		return out
	}
	p.Parts = []entryPart{{"entry-charges", "Charges (total des dépenses par compte)", withErrors(p.Charges)},
		{"entry-produits", "Produits (total des recettes par compte)", withErrors(p.Produits)}}
}

type entrySubsidy struct {
	N                                int
	Date, Compte, Financeur, Montant string
}

func (a *Handler) showCRFEntry(c *gin.Context) error {
	r, chart, err := a.entryRecord(c)
	if err != nil || r == nil {
		return err // r == nil: sent to the CRF page
	}
	p := newEntryPage(spaceOf(c), r, chart, r.Entered, nil)
	p.Saved = c.Query("saisie") == "1"
	a.renderCRFEntry(c, http.StatusOK, p)
	return nil
}

// entryRecord loads the CRF of :ex and the AD's chart. A coop that keeps
// its book here is sent to its CRF page: the record is then nil (with a
// nil error), the request being answered.
func (a *Handler) entryRecord(c *gin.Context) (*store.CRFRecord, ledger.Chart, error) {
	cs, ctx := coopScope(c), c.Request.Context()
	r, err := cs.CRF(ctx, c.Param("ex"))
	if err != nil {
		return nil, nil, err
	}
	if r.State.Source != store.BookEntered {
		a.redirect(c, spaceOf(c).crf(r.Exercice.Name, ""))
		return nil, nil, nil
	}
	chart, err := cs.Chart(ctx)
	if err != nil {
		return nil, nil, err
	}
	return r, chart, nil
}

func (a *Handler) renderCRFEntry(c *gin.Context, status int, p *crfEntryPage) {
	p.layout()
	a.render.HTML(c, status, "crf_saisie", a.page(c, "Saisie du compte-rendu financier "+p.Rec.Exercice.Name, p))
}

// newEntryPage fills the form with figures (those saved, or those typed
// when raw is not nil).
func newEntryPage(s coopSpace, r *store.CRFRecord, chart ledger.Chart, e ledger.Entered, raw map[string][]string) *crfEntryPage {
	p := &crfEntryPage{Rec: r, Links: newCRFLinks(s, r.Exercice.Name), Frozen: r.State.Frozen(), Errors: map[string]string{}}
	if lex, err := ledger.ParseExercice(r.Exercice.Name); err == nil {
		p.Debut, p.Fin = lex.Debut().Format("02/01/2006"), lex.Fin().Format("02/01/2006")
	}
	amount := func(m money.Money) string {
		if m == 0 {
			return ""
		}
		return m.Plain()
	}
	p.Treasury = map[string]string{"debut_banque": amount(e.Debut.Banque), "debut_caisse": amount(e.Debut.Caisse),
		"fin_banque": amount(e.Fin.Banque), "fin_caisse": amount(e.Fin.Caisse)}
	totals := map[string]money.Money{}
	for _, l := range e.Lines {
		totals[l.Compte] += l.Montant
	}
	account := func(code string) entryAccount {
		acc := entryAccount{Code: code, Label: chart[code], Value: amount(totals[code])}
		if raw != nil {
			acc.Value = first(raw, "compte_"+code)
		}
		return acc
	}
	charges, products := chart.Split()
	for _, code := range charges {
		p.Charges = append(p.Charges, account(code))
	}
	for _, code := range products {
		p.Produits = append(p.Produits, account(code))
	}
	for _, code := range chart.SubsidyCodes() {
		p.Accounts = append(p.Accounts, account(code))
	}
	for i, s := range e.Subventions {
		p.Subsidies = append(p.Subsidies, entrySubsidy{N: i, Date: s.Date, Compte: s.Compte, Financeur: s.Financeur, Montant: amount(s.Montant)})
	}
	if raw != nil {
		for k := range p.Treasury {
			p.Treasury[k] = first(raw, k)
		}
		p.Subsidies = rawSubsidies(raw)
	}
	for range blankSubsidyRows {
		p.Subsidies = append(p.Subsidies, entrySubsidy{N: len(p.Subsidies)})
	}
	// Nothing typed yet: the checks would only say that nothing balances.
	if !p.Frozen && r.State.Entered != "" {
		for _, pb := range r.Problems {
			if pb.Code != ledger.ProblemSaisie {
				p.Messages = append(p.Messages, pb.Message)
			}
		}
	}
	return p
}

func first(form map[string][]string, key string) string {
	if v := form[key]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// rawSubsidies reads the typed subsidy rows, blank rows dropped.
func rawSubsidies(form map[string][]string) []entrySubsidy {
	col := func(k string, i int) string {
		if v := form[k]; i < len(v) {
			return strings.TrimSpace(v[i])
		}
		return ""
	}
	var out []entrySubsidy
	for i := range len(form["sub_montant"]) {
		s := entrySubsidy{Date: col("sub_date", i), Compte: col("sub_compte", i), Financeur: col("sub_financeur", i), Montant: col("sub_montant", i)}
		if s.Date == "" && s.Financeur == "" && s.Montant == "" {
			continue
		}
		s.N = len(out)
		out = append(out, s)
	}
	return out
}

// bindEntered reads the form into figures; errs names each field that
// could not be read.
func bindEntered(form map[string][]string, chart ledger.Chart) (ledger.Entered, map[string]string) {
	var e ledger.Entered
	errs := map[string]string{}
	// A blank field is zero: an account without movement, an empty caisse.
	read := func(field string) money.Money {
		s := first(form, field)
		if s == "" {
			return 0
		}
		m, err := money.Parse(s)
		if err != nil {
			errs[field] = "Montant illisible : écrivez par exemple 1234,56."
		}
		return m
	}
	e.Debut = ledger.Treasuries{Banque: read("debut_banque"), Caisse: read("debut_caisse")}
	e.Fin = ledger.Treasuries{Banque: read("fin_banque"), Caisse: read("fin_caisse")}
	for _, code := range chart.Codes() {
		if m := read("compte_" + code); m != 0 {
			e.Lines = append(e.Lines, ledger.AccountLine{Compte: code, Montant: m})
		}
	}
	for _, s := range rawSubsidies(form) {
		row := ledger.Subsidy{Compte: s.Compte, Financeur: s.Financeur}
		if d, err := csvin.ParseDate(s.Date); err == nil {
			row.Date = d.Format("2006-01-02")
		} else if s.Date != "" {
			errs["sub_date_"+strconv.Itoa(s.N)] = "Date illisible : écrivez JJ/MM/AAAA."
		}
		m, err := money.Parse(s.Montant)
		if err != nil {
			errs["sub_montant_"+strconv.Itoa(s.N)] = "Montant illisible."
		}
		row.Montant = m
		e.Subventions = append(e.Subventions, row)
	}
	return e, errs
}

// updateCRFEntry saves the figures typed (as a draft) and shows the form
// again with what still prevents the validation; unreadable fields are a
// 422 and nothing is saved.
func (a *Handler) updateCRFEntry(c *gin.Context) error {
	r, chart, err := a.entryRecord(c)
	if err != nil || r == nil {
		return err // r == nil: sent to the CRF page
	}
	if err := c.Request.ParseForm(); err != nil {
		return fault.Invalidf("Formulaire illisible.")
	}
	form := c.Request.PostForm
	e, errs := bindEntered(form, chart)
	if len(errs) > 0 {
		p := newEntryPage(spaceOf(c), r, chart, e, form)
		p.Errors = errs
		p.Messages = []string{"Certains montants ou dates sont illisibles : rien n'a été enregistré."}
		a.renderCRFEntry(c, http.StatusUnprocessableEntity, p)
		return nil
	}
	ex := r.Exercice.Name
	if err := coopScope(c).SaveEnteredCRF(c.Request.Context(), ex, e); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).crf(ex, "saisie")+"?saisie=1")
	return nil
}
