package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// subsidiesPage is the tableau des subventions: one row per recette on a
// 74… account, with the funder's name to fill in.
type subsidiesPage struct {
	Frame bookFrame
	Rows  []subsidyRow
	Total money.Money
}

// subsidyRow is one row of the tableau, also the htmx partial of a row.
type subsidyRow struct {
	Space    coopSpace
	CSRF     string
	Exercice string
	Closed   bool
	Row      ledger.SubsidyOperation
	Labels   []string
	Funder   string
	Saved    bool
}

func (a *Handler) showSubsidies(c *gin.Context) error {
	cs, b, co, err := a.loadBook(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	funders, err := cs.Funders(ctx)
	if err != nil {
		return err
	}
	p := &subsidiesPage{Frame: newFrame(spaceOf(c), co, b.Exercice, "subventions", "Tableau des subventions")}
	for _, r := range ledger.SubsidyOperations(b.Ops) {
		p.Rows = append(p.Rows, newSubsidyRow(c, b, r, funders[r.Op.ID]))
		p.Total += r.Amount
	}
	a.render.HTML(c, http.StatusOK, "book_subventions", a.page(c, p.Frame.Title, p))
	return nil
}

func newSubsidyRow(c *gin.Context, b *store.Book, r ledger.SubsidyOperation, funder string) subsidyRow {
	row := subsidyRow{Space: spaceOf(c), CSRF: csrfToken(c), Exercice: b.Exercice.Name, Closed: b.Exercice.State == store.ExerciceClosed,
		Row: r, Funder: funder}
	for _, acc := range r.Accounts {
		row.Labels = append(row.Labels, acc+" "+b.Chart.Label(acc))
	}
	return row
}

// updateSubsidy names the funder of a subsidy; htmx gets the row back.
func (a *Handler) updateSubsidy(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "op")
	if !ok {
		return fault.ErrNotFound
	}
	b, err := cs.Book(ctx, c.Param("ex"))
	if err != nil {
		return err
	}
	funder := strings.TrimSpace(c.PostForm("financeur"))
	if err := cs.SetFunder(ctx, id, funder); err != nil {
		return err
	}
	if !isFragment(c.Request) {
		a.redirect(c, spaceOf(c).book(b.Exercice.Name, "subventions")+"#subvention-"+c.Param("op"))
		return nil
	}
	for _, r := range ledger.SubsidyOperations(b.Ops) {
		if r.Op.ID == id {
			row := newSubsidyRow(c, b, r, funder)
			row.Saved = true
			a.render.Partial(c, http.StatusOK, "subsidy_row", row)
			return nil
		}
	}
	return fault.ErrNotFound
}
