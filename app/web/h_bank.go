package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// bankPage is the bank's home: the statements, the lines still to deal
// with, and the état de rapprochement at a glance.
type bankPage struct {
	Head       bankHead
	CSRF       string
	Statements []statementRow
	Todo       []bankLineView
	Date       time.Time
	Etat       bank.Rapprochement
	Covered    bool
	Notice     string
	ReadOnly   bool // staff assist view
}

// showBank lists the statements and the lines waiting for the
// mandataire: proposals to confirm, lines nothing in the book explains.
func (a *Handler) showBank(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	p := &bankPage{Head: newBankHead(spaceOf(c), co, "releves", "Banque : relevés et pointage"), CSRF: csrfToken(c), ReadOnly: cs.ReadOnly()}
	if c.Query("relance") == "1" {
		p.Notice = fmt.Sprintf("Rapprochement relancé : %d ligne(s) pointée(s) automatiquement, %d à confirmer.",
			atoiOr0(c.Query("auto")), atoiOr0(c.Query("proposees")))
	}
	sts, err := cs.BankStatements(ctx)
	if err != nil {
		return err
	}
	lines, err := cs.BankLines(ctx, store.BankLineFilter{})
	if err != nil {
		return err
	}
	p.Statements = statementRows(sts, lines)
	var todo []store.BankLine
	for _, l := range lines {
		if l.Status != store.BankTicked {
			todo = append(todo, l)
		}
	}
	if p.Todo, err = bankLineViews(ctx, spaceOf(c), cs, p.CSRF, spaceOf(c).To("/banque"), todo); err != nil {
		return err
	}
	exs, err := cs.Exercices(ctx)
	if err != nil {
		return err
	}
	if len(exs) > 0 {
		p.Date = defaultRapprochementDate(exs, a.Now())
		if p.Etat, p.Covered, err = a.Rapprochement(ctx, cs, p.Date); err != nil {
			return err
		}
	}
	a.render.HTML(c, http.StatusOK, "bank", a.page(c, p.Head.Title, p))
	return nil
}

// statementPage is one statement with its lines.
type statementPage struct {
	Head      bankHead
	CSRF      string
	Statement *store.BankStatement
	Lines     []bankLineView
	Filter    string
	Counts    statementRow
	Gap       money.Money
	GapKnown  bool
	Notice    string
	Error     string
	Closing   string
	ReadOnly  bool
}

// lineFilters are the status filters of a statement's lines.
var lineFilters = map[string][]string{
	"":             nil,
	"pointees":     {store.BankTicked},
	"a-confirmer":  {store.BankProposed},
	"non-rappro":   {store.BankUnmatched},
	"non-pointees": {store.BankProposed, store.BankUnmatched},
}

func (a *Handler) showBankStatement(c *gin.Context) error {
	return a.renderStatement(c, http.StatusOK, "")
}

// renderStatement shows a statement's lines, filtered by status.
func (a *Handler) renderStatement(c *gin.Context, status int, errMsg string) error {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "stmt")
	if !ok {
		return fault.ErrNotFound
	}
	st, err := cs.BankStatement(ctx, id)
	if err != nil {
		return err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	p := &statementPage{Head: newBankHead(spaceOf(c), co, "releves", "Relevé du "+st.Start.Format("02/01/2006")+" au "+st.End.Format("02/01/2006")),
		CSRF: csrfToken(c), Statement: st, Filter: c.Query("statut"), Notice: importNotice(c.Request.URL.Query()),
		Error: errMsg, Closing: c.PostForm("solde"), ReadOnly: cs.ReadOnly()}
	statuses, ok := lineFilters[p.Filter]
	if !ok {
		p.Filter = ""
	}
	all, err := cs.BankLines(ctx, store.BankLineFilter{StatementID: id})
	if err != nil {
		return err
	}
	p.Counts = statementRows([]store.BankStatement{*st}, all)[0]
	var kept []store.BankLine
	for _, l := range all {
		if statuses == nil || contains(statuses, l.Status) {
			kept = append(kept, l)
		}
	}
	back := c.Request.URL.Path
	if p.Filter != "" {
		back += "?statut=" + p.Filter
	}
	if p.Lines, err = bankLineViews(ctx, spaceOf(c), cs, p.CSRF, back, kept); err != nil {
		return err
	}
	if st.Opening != nil && st.Closing != nil {
		var sum money.Money
		for _, l := range all {
			sum += l.Amount
		}
		p.Gap, p.GapKnown = *st.Closing-(*st.Opening+sum), true
	}
	a.render.HTML(c, status, "bank_releve", a.page(c, p.Head.Title, p))
	return nil
}

func atoiOr0(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// updateStatementClosing records the closing balance the mandataire reads
// on a statement whose file did not give it.
func (a *Handler) updateStatementClosing(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "stmt")
	if !ok {
		return fault.ErrNotFound
	}
	m, err := money.Parse(strings.TrimSpace(c.PostForm("solde")))
	if err != nil {
		if _, err := cs.BankStatement(ctx, id); err != nil {
			return err
		}
		return a.renderStatement(c, http.StatusUnprocessableEntity, "Saisissez le solde de fin du relevé, par exemple 1 234,56 (négatif : -12,50).")
	}
	if err := cs.SetStatementClosing(ctx, id, m); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).To(fmt.Sprintf("/banque/releves/%d", id)))
	return nil
}

// createBankRematch runs the matcher again over the unmatched lines, after
// the mandataire completed the book.
func (a *Handler) createBankRematch(c *gin.Context) error {
	auto, proposed, err := service.RematchBank(c.Request.Context(), coopScope(c))
	if err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).To(fmt.Sprintf("/banque?relance=1&auto=%d&proposees=%d", auto, proposed)))
	return nil
}
