package web

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"retkoop/app/queue"
	"retkoop/app/store"
	"retkoop/workflow"
)

// queuePage is the review queue as the template shows it: the campaign,
// the tabs with their counts, the filter form, the rows with their marks,
// the sortable headings and the pager.
type queuePage struct {
	Exercice  string
	Deadline  time.Time
	DaysLate  int // days since the deadline, 0 before it
	Query     queue.Query
	Hidden    url.Values // the query, for the batch form
	Tabs      []queueTab
	Counts    queue.Counts
	Rows      []queueRowView
	Total     int
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	Headings  []queueHeading
	MarkHeads []queue.Mark
	Legend    []queue.Mark
	Items     []workflow.ItemKey // the "missing item" filter's choices
	Nonce     string             // one-time key of the batch reminder
	Notice    string
	UnreadURL string // the "nouveaux" filter on, same tab
}

type queueTab struct {
	Tab     queue.Tab
	Label   string
	Count   int
	URL     string
	Current bool
}

type queueHeading struct {
	Label string
	URL   string
	Sort  string // aria-sort: "ascending", "descending" or ""
	Num   bool
}

// queueRowView is one coop of the queue.
type queueRowView struct {
	store.QueueRow
	StatusLabel string
	Late        int
	// Marks is the checklist's marks as HTML, built here rather than in the
	// template: 50 rows × 7 marks through html/template's escapers were a
	// third of the page's time.
	Marks      template.HTML
	DossierURL string
	Saisie     bool
}

// marksHTML renders the marks of a row; every text is escaped.
func marksHTML(marks []queue.Mark) template.HTML {
	var b strings.Builder
	b.WriteString(`<ul class="marks">`)
	for _, m := range marks {
		title := html.EscapeString(m.Title)
		b.WriteString(`<li class="` + html.EscapeString(m.Class) + `" title="` + title + `"><span aria-hidden="true">` +
			html.EscapeString(m.Symbol) + `</span><span class="sr-only">` + title + `</span></li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String()) // #nosec G203 -- every part escaped above
}

// queueURL is the queue's address for a query of exercice.
func queueURL(exercice string, q queue.Query) string {
	v := q.Values()
	v.Set("exercice", exercice)
	return "/ad/dossiers?" + v.Encode()
}

// newQueuePage lays out one page of the queue.
func newQueuePage(ex string, camp *store.Campaign, wc workflow.Campaign, now time.Time, q queue.Query, res *store.QueueResult) (*queuePage, error) {
	p := &queuePage{Exercice: ex, Deadline: camp.DeadlineTime(), Query: q, Counts: res.Counts, Total: res.Total,
		Page: q.Page, Pages: queue.Pages(res.Total), MarkHeads: queue.ShortNames(), Legend: queue.Legend(), Items: workflow.ItemKeys()}
	p.DaysLate = workflow.DaysLate(workflow.NewDossier(0, camp.ID, true), wc, now)
	p.Hidden = q.Values()
	p.Hidden.Del("page")
	p.Hidden.Set("exercice", ex)
	for _, t := range queue.Tabs() {
		p.Tabs = append(p.Tabs, queueTab{Tab: t, Label: t.Label(), Count: res.Counts.ByTab[t], URL: queueURL(ex, q.WithTab(t)),
			Current: t == q.Tab})
	}
	unread := q
	unread.Filter.Unread, unread.Page = true, 1
	p.UnreadURL = queueURL(ex, unread)
	p.PrevURL, p.NextURL = pageLinks(q.Page, p.Pages, func(page int) string { return queueURL(ex, q.WithPage(page)) })
	for _, h := range []struct {
		key, label string
		num        bool
	}{{queue.SortUAI, "UAI", false}, {queue.SortNom, "Coopérative", false}, {queue.SortCommune, "Commune", false},
		{queue.SortStatut, "Statut", false}, {queue.SortScore, "Complet", true}, {queue.SortActivite, "Dernière activité", false}} {
		hd := queueHeading{Label: h.label, URL: queueURL(ex, q.SortedBy(h.key)), Num: h.num}
		if q.Sort == h.key {
			hd.Sort = "ascending"
			if q.Desc {
				hd.Sort = "descending"
			}
		}
		p.Headings = append(p.Headings, hd)
	}
	overdue := p.DaysLate > 0
	for _, r := range res.Rows {
		d, err := r.Dossier(camp.ID)
		if err != nil {
			return nil, err
		}
		v := queueRowView{QueueRow: r, StatusLabel: workflow.DossierStatus(r.Status).Label(), Marks: marksHTML(queue.Marks(d)),
			DossierURL: staffDossierURL(r.CoopID, ex),
			Saisie:     r.BookMode == store.BookEntered}
		if r.DossierID == 0 {
			v.StatusLabel = "Non commencé"
		}
		if queue.Late(workflow.DossierStatus(r.Status), overdue) {
			v.Late = p.DaysLate
		}
		p.Rows = append(p.Rows, v)
	}
	return p, nil
}

// queueNotices are the results of a batch action shown on the queue
// (?fait=…&n=…&ignores=…).
func queueNotice(v url.Values) string {
	n, _ := strconv.Atoi(v.Get("n"))
	skipped, _ := strconv.Atoi(v.Get("ignores"))
	plural := func(k int, one, many string) string {
		if k > 1 {
			return strconv.Itoa(k) + " " + many
		}
		return strconv.Itoa(k) + " " + one
	}
	var msg string
	switch v.Get("fait") {
	case "relances":
		msg = plural(n, "relance mise", "relances mises") + " dans la file des courriels"
		if skipped > 0 {
			msg += " ; " + plural(skipped, "coopérative ignorée", "coopératives ignorées") +
				" (dossier complet, pas d'exercice ou pas d'adresse e-mail)"
		}
	case "validations":
		msg = plural(n, "dossier validé", "dossiers validés")
		if skipped > 0 {
			msg += " ; " + plural(skipped, "dossier non validé", "dossiers non validés") +
				" (incomplet, correction en attente ou déjà validé)"
		}
	default:
		return ""
	}
	return msg + "."
}
