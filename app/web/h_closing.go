package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/store"
)

// closingPage is the "clôture de ce cahier de comptabilité" page: every
// check with its result and a link to fix it, the balances that will open
// the next exercice, the closing form, and the history of the exercice's
// closings and reopenings.
type closingPage struct {
	Frame    bookFrame
	Checks   []closingCheck
	Problems []ledger.Problem
	Ready    bool
	Early    bool // before 31 August: the year must be declared complete
	Declared bool
	Closing  ledger.Treasuries
	Next     string
	History  []store.ExerciceEvent
	Carried  []store.CarriedItem
	CRFURL   string
}

// closingCheck is one line of the checklist: a family of checks, passed or
// failed with the messages and where to fix them.
type closingCheck struct {
	Label    string
	Messages []string
	FixURL   string
	FixLabel string
}

// OK reports whether the check passed.
func (c closingCheck) OK() bool { return len(c.Messages) == 0 }

// closingFamilies are the checks in the order a teacher fixes them, with
// the problem codes each covers and where to fix them.
var closingFamilies = []struct {
	label, fixLabel string
	fix             func(s coopSpace, exercice string) string
	codes           []ledger.ProblemCode
}{
	{"L'année est terminée", "Déclarer l'année terminée", func(coopSpace, string) string { return "#declaration" }, []ledger.ProblemCode{ledger.ProblemDeclaration}},
	{"Toutes les opérations sont datées dans l'exercice", "Voir le cahier", bookSub(""), []ledger.ProblemCode{ledger.ProblemDates}},
	{"Chaque opération est entièrement ventilée", "Corriger la ventilation dans le cahier", bookSub(""), []ledger.ProblemCode{ledger.ProblemVentilation}},
	{"Les comptes s'équilibrent (trésorerie d'ouverture + recettes − dépenses = trésorerie de clôture)", "Voir le cahier", bookSub(""),
		[]ledger.ProblemCode{ledger.ProblemIdentite}},
	{"La caisse et les régies ne sont jamais négatives", "Voir les opérations de caisse", bookSub("?tresorerie=caisse"),
		[]ledger.ProblemCode{ledger.ProblemCaisseNeg, ledger.ProblemRegieNeg}},
	{"Les régies d'avance sont soldées", "Solder les régies", bookSub("regies"), []ledger.ProblemCode{ledger.ProblemRegie}},
	{"Le rapprochement bancaire au 31 août explique tout l'écart", "Faire le rapprochement bancaire", closingBankURL,
		[]ledger.ProblemCode{ledger.ProblemRapprochement}},
	{"Le dernier arrêté de caisse correspond au cahier", "Compter la caisse", bookSub("caisse"), []ledger.ProblemCode{ledger.ProblemArreteCaisse}},
}

// closingBankURL is the état de rapprochement at the end of the exercice,
// where the mandataire imports the statement covering 31 August and ticks
// the book until the gap is explained.
func closingBankURL(s coopSpace, exercice string) string {
	lex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return s.To("/banque/rapprochement")
	}
	return s.To("/banque/rapprochement?date=" + lex.Fin().Format(time.DateOnly))
}

// bookSub links to a page of the book ("?…" adds a filter to the book).
func bookSub(sub string) func(coopSpace, string) string {
	return func(s coopSpace, exercice string) string {
		if len(sub) > 0 && sub[0] == '?' {
			return s.book(exercice, "") + sub
		}
		return s.book(exercice, sub)
	}
}

// buildChecks sorts the problems into the checklist.
func buildChecks(sp coopSpace, exercice string, problems []ledger.Problem, early bool) []closingCheck {
	var out []closingCheck
	for _, f := range closingFamilies {
		if f.codes[0] == ledger.ProblemDeclaration && !early {
			continue
		}
		c := closingCheck{Label: f.label, FixLabel: f.fixLabel, FixURL: f.fix(sp, exercice)}
		for _, p := range problems {
			for _, code := range f.codes {
				if p.Code == code {
					c.Messages = append(c.Messages, p.Message)
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func (a *Handler) showClosing(c *gin.Context) error {
	return a.renderClosing(c, http.StatusOK, false, nil)
}

// renderClosing shows the page; problems found by a refused closing are
// shown as they were when given, else the checks run now.
func (a *Handler) renderClosing(c *gin.Context, status int, declared bool, problems []ledger.Problem) error {
	cs, frame, err := a.frame(c, "cloture", "Clôture du cahier")
	if err != nil {
		return err
	}
	ctx, name := c.Request.Context(), frame.Exercice.Name
	if frame.Coop.BookMode != store.BookKept {
		a.redirect(c, spaceOf(c).crf(name, ""))
		return nil
	}
	p := &closingPage{Frame: frame, Declared: declared, CRFURL: spaceOf(c).crf(name, "")}
	in, err := a.ClosingInput(ctx, cs, name)
	if err != nil {
		return err
	}
	p.Closing = ledger.NewBook(in.Opening, in.Ops).Closing().Treasuries()
	p.Next = in.Exercice.Next().String()
	if p.History, err = cs.ExerciceHistory(ctx, name); err != nil {
		return err
	}
	for i := len(p.History) - 1; i >= 0; i-- {
		if p.History[i].Action == store.ExerciceClosing {
			p.Carried = p.History[i].CarriedItems()
			break
		}
	}
	if !frame.Closed {
		p.Early = ledger.ClosingEarly(in.Exercice, a.Now().In(fr.Paris))
		if problems == nil {
			problems = a.ClosingProblems(in, declared)
		}
		p.Problems = problems
		p.Checks = buildChecks(spaceOf(c), name, problems, p.Early)
		p.Ready = len(problems) == 0 || (len(problems) == 1 && problems[0].Code == ledger.ProblemDeclaration)
	}
	a.render.HTML(c, status, "cloture", a.page(c, frame.Title+" "+name, p))
	return nil
}

// createClosing closes the book when every check passes; otherwise the
// page comes back (422) with what to fix.
func (a *Handler) createClosing(c *gin.Context) error {
	cs, ex := coopScope(c), c.Param("ex")
	declared := c.PostForm("declaration") == "1"
	problems, err := a.CloseBook(c.Request.Context(), cs, ex, declared)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return a.renderClosing(c, http.StatusUnprocessableEntity, declared, problems)
	}
	a.redirect(c, spaceOf(c).crf(ex, "")+"?cloture=1")
	return nil
}

// staffExercicePage is the staff's view of one coop's exercice: its state
// and history, its CRF and CRA, and the reopening form.
type staffExercicePage struct {
	Coop    *store.Coop
	Ex      *store.Exercice
	History []store.ExerciceEvent
	CRF     *crfPage
	CRA     *craView
	Base    string
	Errors  []string
	Reason  string
}

func (a *Handler) showStaffExercice(c *gin.Context) error {
	return a.renderStaffExercice(c, http.StatusOK, &staffExercicePage{})
}

func (a *Handler) renderStaffExercice(c *gin.Context, status int, p *staffExercicePage) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	ctx, name := c.Request.Context(), c.Param("ex")
	r, err := cs.CRF(ctx, name)
	if err != nil {
		return err
	}
	if p.CRF, err = a.loadCRFPage(ctx, mandataireSpace, cs, r); err != nil {
		return err
	}
	p.Coop, p.Ex = r.Coop, r.Exercice
	p.Base = "/ad/coops/" + strconv.FormatInt(p.Coop.ID, 10) + "/exercices/" + url.PathEscape(name)
	if p.History, err = cs.ExerciceHistory(ctx, name); err != nil {
		return err
	}
	answers, err := cs.CRA(ctx, name)
	if err != nil {
		return err
	}
	p.CRA = newCRAView(answers, "", nil)
	a.render.HTML(c, status, "staff_exercice", a.page(c, p.Coop.Name+" — exercice "+name, p))
	return nil
}

// reopenStaffExercice reopens a coop's closed book, with a reason kept in
// the exercice's history (and in the dossier's when it counted the
// closing).
func (a *Handler) reopenStaffExercice(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	name, reason := c.Param("ex"), c.PostForm("motif")
	if err := a.ReopenBook(c.Request.Context(), cs, name, reason); err != nil {
		msg, ok := fault.Message(err)
		if !ok {
			return err
		}
		return a.renderStaffExercice(c, http.StatusUnprocessableEntity, &staffExercicePage{Errors: []string{msg}, Reason: reason})
	}
	a.redirect(c, "/ad/coops/"+strconv.FormatInt(cs.ID(), 10)+"/exercices/"+url.PathEscape(name)+"?rouvert=1")
	return nil
}

// exportStaffCRF serves a coop's CRF to its AD's staff in any format.
func (a *Handler) exportStaffCRF(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	return a.sendCRF(c, cs)
}
