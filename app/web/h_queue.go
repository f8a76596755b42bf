package web

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/queue"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The staff's review queue of a campaign (/ad/dossiers): tabs, search,
// filters, sort, pages, and batch actions on a selection — send a reminder
// now, validate the complete dossiers, export.

// queueContext is what every queue request resolves first: the campaign
// of ?exercice= (the one being collected by default), whether its deadline
// has passed, and the view asked for.
type queueContext struct {
	ex      string
	camp    *store.Campaign
	wc      workflow.Campaign
	overdue bool
	query   store.QueueQuery
}

func (a *Handler) loadQueueContext(c *gin.Context, v url.Values) (*queueContext, error) {
	ex, err := a.staffExercice(c)
	if err != nil {
		return nil, err
	}
	camp, err := adScope(c).Campaign(c.Request.Context(), ex)
	if err != nil {
		return nil, err
	}
	wc, err := camp.Workflow()
	if err != nil {
		return nil, err
	}
	qc := &queueContext{ex: ex, camp: camp, wc: wc}
	qc.overdue = workflow.Late(workflow.NewDossier(0, camp.ID, true), wc, a.Now())
	qc.query = store.QueueQuery{Campaign: camp, Viewer: currentUser(c).ID, Overdue: qc.overdue, Query: queue.Parse(v)}
	return qc, nil
}

func (a *Handler) showQueue(c *gin.Context) error {
	qc, err := a.loadQueueContext(c, c.Request.URL.Query())
	if err != nil {
		return err
	}
	res, err := adScope(c).Queue(c.Request.Context(), qc.query)
	if err != nil {
		return err
	}
	p, err := newQueuePage(qc.ex, qc.camp, qc.wc, a.Now(), qc.query.Query, res)
	if err != nil {
		return err
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	p.Nonce = hex.EncodeToString(b)
	p.Notice = queueNotice(c.Request.URL.Query())
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_queue", a.page(c, "Dossiers "+qc.ex, p))
	return nil
}

// selection resolves a batch form: the coops ticked ("coop"), or with
// tout=1 every coop of the view described by the form's hidden fields.
// Each coop is reached through the AD scope: a foreign id is a 404.
func (a *Handler) selection(c *gin.Context, qc *queueContext) ([]*store.CoopScope, error) {
	ctx, ad := c.Request.Context(), adScope(c)
	var ids []int64
	if c.PostForm("tout") == "1" {
		var err error
		if ids, err = ad.QueueCoopIDs(ctx, qc.query); err != nil {
			return nil, err
		}
	} else {
		for _, s := range c.PostFormArray("coop") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return nil, fault.ErrNotFound
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fault.Invalidf("Aucune coopérative sélectionnée : cochez-en au moins une.")
	}
	out := make([]*store.CoopScope, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		cs, err := ad.Coop(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// batch runs one action over the selection and goes back to the queue
// with the tally.
func (a *Handler) batch(c *gin.Context, done string, act func(ctx context.Context, qc *queueContext, cs *store.CoopScope) (bool, error)) error {
	if err := c.Request.ParseForm(); err != nil {
		return fault.Invalidf("Formulaire illisible.")
	}
	qc, err := a.loadQueueContext(c, c.Request.PostForm)
	if err != nil {
		return err
	}
	sel, err := a.selection(c, qc)
	if err != nil {
		return err
	}
	n, skipped := 0, 0
	for _, cs := range sel {
		ok, err := act(c.Request.Context(), qc, cs)
		if err != nil {
			return err
		}
		if ok {
			n++
		} else {
			skipped++
		}
	}
	v := qc.query.Query.Values()
	v.Set("exercice", qc.ex)
	v.Set("fait", done)
	v.Set("n", strconv.Itoa(n))
	v.Set("ignores", strconv.Itoa(skipped))
	a.redirect(c, "/ad/dossiers?"+v.Encode())
	return nil
}

// createQueueReminders queues, now, the reminder of every selected coop
// whose dossier still owes something (the same mail as the coop's
// "Relance" page), keyed by the form's one-time key.
func (a *Handler) createQueueReminders(c *gin.Context) error {
	nonce := c.PostForm("cle")
	if !nonceRE.MatchString(nonce) {
		return fault.Invalidf("Le formulaire a expiré : rechargez la page et recommencez.")
	}
	return a.batch(c, "relances", func(ctx context.Context, qc *queueContext, cs *store.CoopScope) (bool, error) {
		v, wc, err := a.previewReminder(c, cs, qc.ex)
		if err != nil || v.NoBook || v.Complete || v.Coop.MandataireEmail == "" {
			return false, err
		}
		return a.queueManualReminder(ctx, cs, qc.ex, v, wc, nonce)
	})
}

// createQueueValidations validates the selected dossiers that are complete
// (transmitted, nothing left to correct); the others are counted and left
// as they are. Each validation locks the coop's CRF (its effect).
func (a *Handler) createQueueValidations(c *gin.Context) error {
	return a.batch(c, "validations", func(ctx context.Context, qc *queueContext, cs *store.CoopScope) (bool, error) {
		row, err := cs.FindDossier(ctx, qc.ex)
		if errors.Is(err, fault.ErrNotFound) {
			return false, nil
		}
		if err != nil || row.Status != string(workflow.DossierTransmis) {
			return false, err
		}
		err = a.staffApply(ctx, cs, qc.ex, func(s workflow.Stamp) (workflow.Event, error) {
			return workflow.DossierValidated{Stamp: s}, nil
		})
		if err != nil {
			return false, err
		}
		if row, err = cs.FindDossier(ctx, qc.ex); err != nil {
			return false, err
		}
		return true, cs.MarkDossierSeen(ctx, row)
	})
}

// exportQueue downloads the selection (or the whole view) as CSV, one row
// per coop with its status and what it still owes.
func (a *Handler) exportQueue(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return fault.Invalidf("Formulaire illisible.")
	}
	qc, err := a.loadQueueContext(c, c.Request.PostForm)
	if err != nil {
		return err
	}
	sel, err := a.selection(c, qc)
	if err != nil {
		return err
	}
	q := qc.query
	q.Only = make([]int64, len(sel))
	for i, cs := range sel {
		q.Only[i] = cs.ID()
	}
	q.Query.Tab, q.Query.Filter = queue.Tous, queue.Filter{}
	rows, err := adScope(c).QueueAll(c.Request.Context(), q)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = ';', true
	_ = w.Write([]string{"uai", "nom", "commune", "tenue", "statut", "complet", "manquants", "corrections_en_attente",
		"a_examiner", "jours_de_retard", "derniere_activite"})
	days := workflow.DaysLate(workflow.NewDossier(0, 0, true), qc.wc, a.Now())
	for _, r := range rows {
		late := 0
		if queue.Late(workflow.DossierStatus(r.Status), qc.overdue) {
			late = days
		}
		missing := r.Facts().Missing
		names := make([]string, len(missing))
		for i, k := range missing {
			names[i] = string(k)
		}
		activity := ""
		if !r.LastActivity.IsZero() {
			activity = r.LastActivity.In(fr.Paris).Format("2006-01-02 15:04")
		}
		_ = w.Write([]string{r.UAI, csvText(r.Name), csvText(r.Commune), r.BookMode, r.Status, strconv.Itoa(r.Score), strings.Join(names, ","),
			strconv.Itoa(r.OpenCorrections), strconv.Itoa(r.Unreviewed), strconv.Itoa(late), activity})
	}
	w.Flush()
	c.Header("Content-Disposition", `attachment; filename="dossiers-`+qc.ex+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
	return nil
}

// csvText keeps a spreadsheet from reading a name as a formula ("=…").
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
