package web

import (
	"github.com/gin-gonic/gin"

	"retkoop/app/ledger"
	"retkoop/app/store"
)

// bookFrame is the common head of the book pages: the coop (printed on
// every page), the exercice and the sub-navigation.
type bookFrame struct {
	Title    string
	Coop     *store.Coop
	Exercice *store.Exercice
	Debut    string // "01/09/2025"
	Fin      string
	Closed   bool
	Current  string
	Links    []bookLink
}

type bookLink struct {
	Key, URL, Label string
}

func newFrame(s coopSpace, co *store.Coop, ex *store.Exercice, current, title string) bookFrame {
	f := bookFrame{Title: title, Coop: co, Exercice: ex, Closed: ex.State == store.ExerciceClosed, Current: current}
	if lex, err := ledger.ParseExercice(ex.Name); err == nil {
		f.Debut, f.Fin = lex.Debut().Format("02/01/2006"), lex.Fin().Format("02/01/2006")
	}
	for _, l := range []bookLink{{"cahier", "", "Cahier"}, {"caisse", "caisse", "Arrêté de caisse"},
		{"subventions", "subventions", "Subventions"}, {"inventaire", "inventaire", "Inventaire"},
		{"projets", "projets", "Projets"}, {"regies", "regies", "Régies d'avance"}, {"import", "import", "Importer"},
		{"cloture", "cloture", "Clôture"}} {
		l.URL = s.book(ex.Name, l.URL)
		f.Links = append(f.Links, l)
	}
	f.Links = append(f.Links, bookLink{"crf", s.crf(ex.Name, ""), "Compte-rendu financier"}) // — closing link —
	return f
}

// frame loads the coop and the exercice named by :ex for a book sub-page
// (an exercice the coop does not have is fault.ErrNotFound).
func (a *Handler) frame(c *gin.Context, current, title string) (*store.CoopScope, bookFrame, error) {
	cs, ctx := coopScope(c), c.Request.Context()
	ex, err := cs.Exercice(ctx, c.Param("ex"))
	if err != nil {
		return nil, bookFrame{}, err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, bookFrame{}, err
	}
	return cs, newFrame(spaceOf(c), co, ex, current, title), nil
}

// loadBook loads the book of the :ex exercice of the mandataire's coop and
// the coop's row, the common start of the book's pages (an exercice the
// coop does not have is fault.ErrNotFound).
func (a *Handler) loadBook(c *gin.Context) (cs *store.CoopScope, b *store.Book, co *store.Coop, err error) {
	cs, ctx := coopScope(c), c.Request.Context()
	b, err = cs.Book(ctx, c.Param("ex"))
	if err == nil {
		co, err = cs.Coop(ctx)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return cs, b, co, nil
}
