package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// pointagePage lists the operations of the compte courant of one exercice
// to tick by hand against a statement date.
type pointagePage struct {
	Head      bankHead
	CSRF      string
	Exercice  string
	Exercices []string
	All       bool      // ticked operations too
	Date      time.Time // the statement date a tick records
	Rows      []bankOpView
}

// bankOpView is one operation in the pointage list (partial bank_op).
type bankOpView struct {
	Space    coopSpace
	CSRF     string
	Back     string
	Op       store.CompteOp
	Amount   money.Money // signed, from the bank's side
	Date     time.Time   // the statement date a tick records
	Notice   string
	ReadOnly bool
}

func newBankOpView(c *gin.Context, cs *store.CoopScope, back string, o store.CompteOp, date time.Time) bankOpView {
	return bankOpView{Space: spaceOf(c), CSRF: csrfToken(c), Back: back, Op: o, Amount: o.Op.Delta(ledger.Banque), Date: date, ReadOnly: cs.ReadOnly()}
}

// showPointage lists the operations of the compte courant, not yet ticked
// unless "tout" is set, with a button to tick each at the statement date.
func (a *Handler) showPointage(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	exs, err := cs.Exercices(ctx)
	if err != nil {
		return err
	}
	p := &pointagePage{Head: newBankHead(spaceOf(c), co, "pointage", "Pointage du compte courant"), CSRF: csrfToken(c), All: c.Query("tout") == "1"}
	for _, e := range exs {
		p.Exercices = append(p.Exercices, e.Name)
	}
	p.Exercice = c.Query("exercice")
	if !contains(p.Exercices, p.Exercice) {
		p.Exercice = ledger.ExerciceFor(defaultRapprochementDate(exs, a.Now())).String()
	}
	if p.Date, err = time.Parse(time.DateOnly, c.Query("date")); err != nil {
		if p.Date, err = a.latestStatementEnd(c, cs); err != nil {
			return err
		}
	}
	lex, err := ledger.ParseExercice(p.Exercice)
	if err != nil {
		return fault.ErrNotFound
	}
	ops, err := cs.BankOperations(ctx, store.CompteFilter{From: lex.Debut(), To: lex.Fin()})
	if err != nil {
		return err
	}
	q := url.Values{"exercice": {p.Exercice}, "date": {p.Date.Format(time.DateOnly)}}
	if p.All {
		q.Set("tout", "1")
	}
	back := spaceOf(c).To("/banque/pointage?" + q.Encode())
	for _, o := range ops {
		if p.All || o.Op.Ticked == nil {
			p.Rows = append(p.Rows, newBankOpView(c, cs, back, o, p.Date))
		}
	}
	a.render.HTML(c, http.StatusOK, "bank_pointage", a.page(c, p.Head.Title, p))
	return nil
}

// latestStatementEnd is the last day of the latest imported statement, or
// today when none was imported.
func (a *Handler) latestStatementEnd(c *gin.Context, cs *store.CoopScope) (time.Time, error) {
	sts, err := cs.BankStatements(c.Request.Context())
	if err != nil {
		return time.Time{}, err
	}
	if len(sts) > 0 {
		return sts[0].End, nil
	}
	return service.CivilDay(a.Now().In(fr.Paris)), nil
}

// createOperationTick ticks an operation at the statement date given.
func (a *Handler) createOperationTick(c *gin.Context) error {
	return a.operationTick(c, true)
}

// deleteOperationTick unticks an operation; if a bank line was paired
// with it, that line is unmatched again.
func (a *Handler) deleteOperationTick(c *gin.Context) error {
	return a.operationTick(c, false)
}

// operationTick ticks (at the form's date) or unticks the operation named
// by :op, then shows its row again (htmx) or the list (plain post).
func (a *Handler) operationTick(c *gin.Context, tick bool) error {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "op")
	if !ok {
		return fault.ErrNotFound
	}
	op, err := compteOp(c, cs, id)
	if err != nil {
		return err
	}
	date, derr := time.Parse(time.DateOnly, c.PostForm("date"))
	var at *time.Time
	notice := "Pointage retiré."
	if tick {
		if derr != nil {
			return fault.Invalidf("Indiquez la date du relevé sur lequel l'opération apparaît.")
		}
		at, notice = &date, "Pointée au "+date.Format("02/01/2006")+"."
	}
	if err := cs.TickBankOperation(ctx, id, at); err != nil {
		return err
	}
	back := safeBack(spaceOf(c), c.PostForm("retour"), "/banque/pointage")
	if !isFragment(c.Request) {
		a.redirect(c, fmt.Sprintf("%s#bank-op-%d", back, id))
		return nil
	}
	if op, err = compteOp(c, cs, id); err != nil {
		return err
	}
	if derr != nil {
		date = service.CivilDay(a.Now())
	}
	v := newBankOpView(c, cs, back, op, date)
	v.Notice = notice
	a.render.Partial(c, http.StatusOK, "bank_op", v)
	return nil
}

// compteOp loads one operation of the compte courant; another coop's, or
// one off the compte courant, is fault.ErrNotFound.
func compteOp(c *gin.Context, cs *store.CoopScope, id int64) (store.CompteOp, error) {
	ops, err := cs.BankOperations(c.Request.Context(), store.CompteFilter{IDs: []int64{id}})
	if err != nil {
		return store.CompteOp{}, err
	}
	if len(ops) == 0 {
		return store.CompteOp{}, fmt.Errorf("operation %d: %w", id, fault.ErrNotFound)
	}
	return ops[0], nil
}

// rapprochementPage is the état de rapprochement at a date.
type rapprochementPage struct {
	Head    bankHead
	Etat    bank.Rapprochement
	Covered bool
	Lines   int // bank lines not yet explained by the book
}

// showRapprochement shows the état de rapprochement at ?date= (default:
// 31 August of the exercice being kept).
func (a *Handler) showRapprochement(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, c.Query("date"))
	if err != nil {
		exs, err := cs.Exercices(ctx)
		if err != nil {
			return err
		}
		date = defaultRapprochementDate(exs, a.Now())
	}
	p := &rapprochementPage{Head: newBankHead(spaceOf(c), co, "rapprochement", "État de rapprochement au "+date.Format("02/01/2006"))}
	if p.Etat, p.Covered, err = a.Rapprochement(ctx, cs, date); err != nil {
		return err
	}
	lines, err := cs.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankProposed, store.BankUnmatched}})
	if err != nil {
		return err
	}
	for _, l := range lines {
		if !l.Date.After(date) {
			p.Lines++
		}
	}
	a.render.HTML(c, http.StatusOK, "bank_rapprochement", a.page(c, p.Head.Title, p))
	return nil
}
