package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// regiesPage lists the régies d'avance with their balances, says which
// are not settled, and links to the entry form prefilled for an advance,
// a class expense or the settlement.
type regiesPage struct {
	Frame     bookFrame
	Rows      []regieRow
	Problems  []ledger.Problem
	Errors    []string
	Code      string
	Label     string
	Treasures []option
}

type regieRow struct {
	Regie      ledger.Regie
	Balance    money.Money
	Ops        int
	AdvanceURL string
	ExpenseURL string
	SettleURL  string
	BookURL    string
}

func (a *Handler) showRegies(c *gin.Context) error {
	return a.renderRegies(c, http.StatusOK, &regiesPage{})
}

func (a *Handler) renderRegies(c *gin.Context, status int, p *regiesPage) error {
	_, b, co, err := a.loadBook(c)
	if err != nil {
		return err
	}
	p.Frame = newFrame(spaceOf(c), co, b.Exercice, "regies", "Régies d'avance")
	closing := ledger.NewBook(store.OpeningBalances(b.Exercice), b.Ops).Closing()
	p.Problems = ledger.UnsettledRegies(b.Regies, closing)
	base := spaceOf(c).book(b.Exercice.Name, "")
	for _, r := range b.Regies {
		t := string(r.Treasury())
		row := regieRow{Regie: r, Balance: closing[r.Treasury()],
			AdvanceURL: base + "?" + url.Values{"saisie": {"transfert"}, "de": {"banque"}, "vers": {t},
				"libelle": {"Avance à la régie " + r.ID}}.Encode() + "#entry-section",
			ExpenseURL: base + "?" + url.Values{"saisie": {"depense"}, "de": {t}}.Encode() + "#entry-section",
			BookURL:    base + "?" + url.Values{"tresorerie": {t}}.Encode()}
		if row.Balance > 0 {
			row.SettleURL = base + "?" + url.Values{"saisie": {"transfert"}, "de": {t}, "vers": {"caisse"},
				"montant": {row.Balance.Number()}, "libelle": {"Solde de la régie " + r.ID}}.Encode() + "#entry-section"
		}
		for i := range b.Ops {
			if b.Ops[i].Touches(r.Treasury()) {
				row.Ops++
			}
		}
		p.Rows = append(p.Rows, row)
	}
	a.render.HTML(c, status, "book_regies", a.page(c, p.Frame.Title, p))
	return nil
}

// createRegie opens a régie d'avance for a class.
func (a *Handler) createRegie(c *gin.Context) error {
	p := &regiesPage{Code: c.PostForm("code"), Label: c.PostForm("libelle")}
	if _, err := coopScope(c).CreateRegie(c.Request.Context(), p.Code, p.Label); err != nil {
		msg, ok := fault.Message(err)
		if !ok {
			return err
		}
		p.Errors = []string{msg}
		return a.renderRegies(c, http.StatusUnprocessableEntity, p)
	}
	a.redirect(c, spaceOf(c).book(c.Param("ex"), "regies"))
	return nil
}

// projectsPage shows the revenues, expenses and result of each project.
type projectsPage struct {
	Frame bookFrame
	Rows  []projectRow
}

type projectRow struct {
	Name    string
	Total   ledger.ProjectTotal
	BookURL string
}

func (a *Handler) showProjects(c *gin.Context) error {
	_, b, co, err := a.loadBook(c)
	if err != nil {
		return err
	}
	p := &projectsPage{Frame: newFrame(spaceOf(c), co, b.Exercice, "projets", "Projets et thèmes")}
	totals := ledger.ComputeTotals(b.Ops)
	for _, name := range append(totals.Projects(), "") {
		if t, ok := totals.ByProject[name]; ok {
			p.Rows = append(p.Rows, projectRow{Name: name, Total: t,
				BookURL: spaceOf(c).book(b.Exercice.Name, "") + "?" + url.Values{"projet": {name}}.Encode()})
		}
	}
	a.render.HTML(c, http.StatusOK, "book_projets", a.page(c, p.Frame.Title, p))
	return nil
}
