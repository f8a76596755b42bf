package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
)

// cashPage is the arrêté de caisse: a count by banknote and coin compared
// with the book, and the history of counts.
type cashPage struct {
	Frame   bookFrame
	Date    string
	Rows    []denomRow
	Errors  []string
	Result  *store.CashCountRecord // the count just saved
	History []store.CashCountRecord
}

// denomRow is one banknote or coin of the count form.
type denomRow struct {
	Name  string // form field: "n_2000"
	Label string
	Count string
}

func denomRows(counts map[money.Money]string) []denomRow {
	rows := make([]denomRow, len(ledger.Denominations))
	for i, d := range ledger.Denominations {
		rows[i] = denomRow{Name: fmt.Sprintf("n_%d", d), Label: ledger.DenominationLabel(d), Count: counts[d]}
	}
	return rows
}

func (a *Handler) showCashCounts(c *gin.Context) error {
	cs, fr, err := a.frame(c, "caisse", "Arrêté de caisse")
	if err != nil {
		return err
	}
	p := &cashPage{Frame: fr, Date: todayIn(fr.Exercice.Name, a.Now()), Rows: denomRows(nil)}
	return a.renderCash(c, http.StatusOK, cs, p)
}

func (a *Handler) renderCash(c *gin.Context, status int, cs *store.CoopScope, p *cashPage) error {
	hist, err := cs.CashCounts(c.Request.Context(), p.Frame.Exercice.Name)
	if err != nil {
		return err
	}
	p.History = hist
	if id, err := strconv.ParseInt(c.Query("arrete"), 10, 64); err == nil {
		for i := range hist {
			if hist[i].ID == id {
				p.Result = &hist[i]
			}
		}
	}
	a.render.HTML(c, status, "book_caisse", a.page(c, p.Frame.Title, p))
	return nil
}

// createCashCount compares a count with the book and keeps it in history.
func (a *Handler) createCashCount(c *gin.Context) error {
	cs, fr, err := a.frame(c, "caisse", "Arrêté de caisse")
	if err != nil {
		return err
	}
	typed := map[money.Money]string{}
	count, err := bindCashCount(c, typed)
	var rec *store.CashCountRecord
	if err == nil {
		rec, err = cs.AddCashCount(c.Request.Context(), fr.Exercice.Name, count)
	}
	if err != nil {
		msg, ok := fault.Message(err)
		if !ok {
			return err
		}
		p := &cashPage{Frame: fr, Date: c.PostForm("date"), Rows: denomRows(typed), Errors: []string{msg}}
		return a.renderCash(c, http.StatusUnprocessableEntity, cs, p)
	}
	a.redirect(c, fmt.Sprintf("%s?arrete=%d#arrete-%d", spaceOf(c).book(fr.Exercice.Name, "caisse"), rec.ID, rec.ID))
	return nil
}

// bindCashCount reads the date and the number of each banknote and coin;
// typed keeps what was typed to show it again.
func bindCashCount(c *gin.Context, typed map[money.Money]string) (ledger.CashCount, error) {
	count := ledger.CashCount{Counts: map[money.Money]int{}}
	var bad []string
	for _, d := range ledger.Denominations {
		s := strings.TrimSpace(c.PostForm(fmt.Sprintf("n_%d", d)))
		typed[d] = s
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = append(bad, fmt.Sprintf("« %s » n'est pas un nombre (%s).", s, ledger.DenominationLabel(d)))
			continue
		}
		count.Counts[d] = n
	}
	if s := strings.TrimSpace(c.PostForm("date")); s != "" {
		d, err := csvin.ParseDate(s)
		if err != nil {
			bad = append(bad, "Date illisible : écrivez-la JJ/MM/AAAA.")
		}
		count.Date = d
	}
	if len(bad) > 0 {
		return count, fault.Invalidf("%s", strings.Join(bad, " "))
	}
	return count, nil
}

// todayIn is today's date for a form of the exercice: today if it falls in
// the exercice, else its last day.
func todayIn(exercice string, now time.Time) string {
	today := service.CivilDay(now.In(fr.Paris))
	ex, err := ledger.ParseExercice(exercice)
	if err != nil || ex.Contains(today) {
		return today.Format("2006-01-02")
	}
	if today.Before(ex.Debut()) {
		return ex.Debut().Format("2006-01-02")
	}
	return ex.Fin().Format("2006-01-02")
}
