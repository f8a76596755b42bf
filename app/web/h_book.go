package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/store"
)

// bookPage is what the book page shows.
type bookPage struct {
	Frame    bookFrame
	Balances balanceSummary
	Form     *entryForm
	List     bookList // the rendered book_view partial
}

// showBookHome opens the book of the exercice in progress (the most recent
// open one, else the most recent).
func (a *Handler) showBookHome(c *gin.Context) error {
	exs, err := coopScope(c).Exercices(c.Request.Context())
	if err != nil {
		return err
	}
	if len(exs) == 0 {
		return fault.Invalidf("Aucun exercice n'est encore ouvert : votre AD doit installer vos soldes d'ouverture.")
	}
	target := exs[0].Name
	for _, e := range exs {
		if e.State == store.ExerciceOpen {
			target = e.Name
			break
		}
	}
	a.redirect(c, spaceOf(c).book(target, ""))
	return nil
}

func (a *Handler) showBook(c *gin.Context) error {
	cs := coopScope(c)
	b, err := cs.Book(c.Request.Context(), c.Param("ex"))
	if err != nil {
		return err
	}
	f := newEntryForm(spaceOf(c), csrfToken(c), b)
	f.prefill(c.Request.URL.Query(), b)
	newID, _ := strconv.ParseInt(c.Query("nouvelle"), 10, 64)
	return a.renderBook(c, http.StatusOK, cs, b, f, newID)
}

// renderBook renders the book page (or its content for htmx).
func (a *Handler) renderBook(c *gin.Context, status int, cs *store.CoopScope, b *store.Book, f *entryForm, newID int64) error {
	p, err := a.loadBookPage(c, cs, b, f, newID, false)
	if err != nil {
		return err
	}
	a.render.HTML(c, status, "book", a.page(c, "Cahier "+b.Exercice.Name, p))
	return nil
}

func (a *Handler) loadBookPage(c *gin.Context, cs *store.CoopScope, b *store.Book, f *entryForm, newID int64, oob bool) (*bookPage, error) {
	co, err := cs.Coop(c.Request.Context())
	if err != nil {
		return nil, err
	}
	q := parseBookQuery(c.Request.URL.Query())
	if f.View != "" {
		vals, _ := url.ParseQuery(f.View)
		q = parseBookQuery(vals)
	}
	list, err := a.bookListHTML(spaceOf(c), b, q, newID, oob)
	if err != nil {
		return nil, err
	}
	// The closing balances are a sum: the book need not be sorted for them.
	closing := ledger.Book{Opening: store.OpeningBalances(b.Exercice), Ops: b.Ops}.Closing()
	p := &bookPage{Frame: newFrame(spaceOf(c), co, b.Exercice, "cahier", "Cahier de comptabilité"),
		Balances: summarize(b, closing), Form: f, List: list}
	p.Balances.OOB = oob
	return p, nil
}

// createOperation adds an operation from the entry form. A plain POST is
// redirected to the book; htmx gets a fresh form, the refreshed list with
// the new row highlighted and the new balances, without a reload.
func (a *Handler) createOperation(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	b, err := cs.Book(ctx, c.Param("ex"))
	if err != nil {
		return err
	}
	f := newEntryForm(spaceOf(c), csrfToken(c), b)
	op, err := bindEntry(c, f)
	var docID int64
	if err == nil {
		docID, err = a.attachment(c, cs)
	}
	if err == nil {
		_, err = cs.CreateOperation(ctx, store.NewOperation{Exercice: b.Exercice.Name, Op: &op, IdemKey: f.Idem, DocumentID: docID})
	}
	if err != nil {
		return a.entryFailed(c, cs, b, f, err)
	}
	if !isFragment(c.Request) {
		a.redirect(c, savedURL(spaceOf(c), b.Exercice.Name, f.View, op.ID))
		return nil
	}
	if b, err = cs.Book(ctx, b.Exercice.Name); err != nil {
		return err
	}
	next := newEntryForm(f.Space, f.CSRF, b)
	next.View, next.Saved = f.View, fmt.Sprintf("Opération « %s » enregistrée.", op.Piece)
	p, err := a.loadBookPage(c, cs, b, next, op.ID, true)
	if err != nil {
		return err
	}
	a.render.Partial(c, http.StatusOK, "book_saved", p)
	return nil
}

// savedURL is where a plain form post lands after a save: the same view of
// the book, with the operation highlighted.
func savedURL(s coopSpace, exercice, view string, id int64) string {
	vals, _ := url.ParseQuery(view)
	vals.Set("nouvelle", fmt.Sprint(id))
	return fmt.Sprintf("%s?%s#entry-%d", s.book(exercice, ""), vals.Encode(), id)
}

// entryFailed shows the form again with the messages next to the fields:
// 422 with the whole page for a plain post; for htmx, the form alone with
// 200, because htmx does not swap error responses. An error that is not
// the user's is returned.
func (a *Handler) entryFailed(c *gin.Context, cs *store.CoopScope, b *store.Book, f *entryForm, err error) error {
	if _, ok := fault.Message(err); !ok {
		return err
	}
	f.fieldErrors(err)
	if isFragment(c.Request) {
		a.render.Partial(c, http.StatusOK, "entry_form", f)
		return nil
	}
	if f.OpID != 0 {
		return a.renderOperation(c, http.StatusUnprocessableEntity, cs, b, f)
	}
	return a.renderBook(c, http.StatusUnprocessableEntity, cs, b, f, 0)
}

// refreshEntryForm shows the entry form again with what was typed, one
// more ventilation line if asked and the amount left to ventilate; it
// saves nothing. It serves htmx (live "reste à ventiler", "ajouter une
// ligne") and plain posts alike.
func (a *Handler) refreshEntryForm(c *gin.Context) error {
	cs := coopScope(c)
	b, err := cs.Book(c.Request.Context(), c.Param("ex"))
	if err != nil {
		return err
	}
	f := newEntryForm(spaceOf(c), csrfToken(c), b)
	if id, ok := paramIDForm(c, "operation"); ok {
		rec, err := cs.Operation(c.Request.Context(), id)
		if err != nil {
			return err
		}
		f = editForm(f.Space, f.CSRF, b, rec)
	}
	_, _ = bindEntry(c, f)
	clear(f.Field)
	if c.PostForm("ajouter_ligne") != "" {
		f.Lines = append(f.Lines, formLine{})
	}
	if isFragment(c.Request) {
		a.render.Partial(c, http.StatusOK, "entry_form", f)
		return nil
	}
	if f.OpID != 0 {
		return a.renderOperation(c, http.StatusOK, cs, b, f)
	}
	return a.renderBook(c, http.StatusOK, cs, b, f, 0)
}

// paramIDForm reads a positive id from a form field.
func paramIDForm(c *gin.Context, name string) (int64, bool) {
	var id int64
	_, err := fmt.Sscan(c.PostForm(name), &id)
	return id, err == nil && id > 0
}
