// Package queue is the staff's review queue of a campaign as plain data:
// its tabs, filters, sort orders and pagination, what a URL asks for and
// how to write it back, and the rule deciding which coop a selection
// holds (Matches). The store turns the same Filter into SQL; a store test
// proves both agree. Standard library and workflow only.
package queue

import (
	"net/url"
	"strconv"
	"strings"

	"retkoop/workflow"
)

// Tab is one tab of the queue.
type Tab string

// The tabs, in the order they are shown.
const (
	// ATraiter: something was received and not reviewed yet.
	ATraiter Tab = "a_traiter"
	// Incomplets: some required item has not been received (including
	// coops that have not started).
	Incomplets Tab = "incomplets"
	// ACorriger: a correction was asked and not answered.
	ACorriger Tab = "a_corriger"
	// EnRetard: the deadline has passed and the dossier is still not
	// transmitted.
	EnRetard Tab = "en_retard"
	// Valides: validated by the staff.
	Valides Tab = "valides"
	// Tous: every coop of the campaign.
	Tous Tab = "tous"
)

// Tabs returns every tab in display order.
func Tabs() []Tab { return []Tab{ATraiter, Incomplets, ACorriger, EnRetard, Valides, Tous} }

// Label returns the tab's French title.
func (t Tab) Label() string {
	switch t {
	case ATraiter:
		return "À traiter"
	case Incomplets:
		return "Incomplets"
	case ACorriger:
		return "À corriger"
	case EnRetard:
		return "En retard"
	case Valides:
		return "Validés"
	case Tous:
		return "Tous"
	}
	return string(t)
}

func (t Tab) valid() bool {
	switch t {
	case ATraiter, Incomplets, ACorriger, EnRetard, Valides, Tous:
		return true
	}
	return false
}

// Source filters coops by how they keep their accounts: the book in the
// app ("cahier") or a CRF entered directly ("saisie"). The values are
// store.BookKept and store.BookEntered.
const (
	SourceCahier = "cahier"
	SourceSaisie = "saisie"
)

// Filter is what narrows the queue, tab excepted: the tab counts are
// computed under the same Filter.
type Filter struct {
	Q string // UAI, name or commune; accents and case ignored
	// Missing keeps the dossiers where this item is still missing.
	Missing workflow.ItemKey
	// Late keeps the late dossiers only.
	Late bool
	// Source keeps one way of keeping the accounts ("" for both).
	Source string
	// Unreviewed keeps the dossiers with documents received and not
	// reviewed.
	Unreviewed bool
	// Unread keeps the dossiers that changed since the staff member last
	// opened them.
	Unread bool
}

// Sort keys of the queue's columns.
const (
	SortNom      = "nom"
	SortUAI      = "uai"
	SortCommune  = "commune"
	SortStatut   = "statut"
	SortScore    = "score"
	SortActivite = "activite"
)

var sortKeys = []string{SortNom, SortUAI, SortCommune, SortStatut, SortScore, SortActivite}

// PageSize is the number of coops per page.
const PageSize = 50

// Query is one view of the queue: a tab, a filter, a sort order and a page.
type Query struct {
	Tab    Tab
	Filter Filter
	Sort   string
	Desc   bool
	Page   int // from 1
}

// Parse reads a query from a URL's values. Unknown or malformed values
// fall back to the defaults rather than failing: a bookmarked URL from an
// older version still opens the queue.
func Parse(v url.Values) Query {
	q := Query{Tab: Tab(v.Get("onglet")), Sort: v.Get("tri"), Desc: v.Get("ordre") == "desc", Page: 1}
	if !q.Tab.valid() {
		q.Tab = ATraiter
	}
	if !contains(sortKeys, q.Sort) {
		q.Sort, q.Desc = SortNom, false
	}
	if p, err := strconv.Atoi(v.Get("page")); err == nil && p > 1 {
		q.Page = p
	}
	f := &q.Filter
	f.Q = strings.TrimSpace(v.Get("q"))
	if len(f.Q) > 100 {
		f.Q = f.Q[:100]
	}
	if k := workflow.ItemKey(v.Get("manquant")); k.Valid() {
		f.Missing = k
	}
	f.Late = v.Get("retard") == "1"
	if s := v.Get("tenue"); s == SourceCahier || s == SourceSaisie {
		f.Source = s
	}
	f.Unreviewed = v.Get("non_revus") == "1"
	f.Unread = v.Get("nouveaux") == "1"
	return q
}

// Values writes the query back as URL values, leaving out the defaults so
// that links stay short.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Tab != ATraiter && q.Tab != "" {
		v.Set("onglet", string(q.Tab))
	}
	f := q.Filter
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Missing != "" {
		v.Set("manquant", string(f.Missing))
	}
	if f.Late {
		v.Set("retard", "1")
	}
	if f.Source != "" {
		v.Set("tenue", f.Source)
	}
	if f.Unreviewed {
		v.Set("non_revus", "1")
	}
	if f.Unread {
		v.Set("nouveaux", "1")
	}
	if q.Sort != SortNom && q.Sort != "" {
		v.Set("tri", q.Sort)
	}
	if q.Desc {
		v.Set("ordre", "desc")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// WithTab is the query of another tab: same filter and sort, first page.
func (q Query) WithTab(t Tab) Query {
	q.Tab, q.Page = t, 1
	return q
}

// WithPage is the query of another page.
func (q Query) WithPage(p int) Query {
	q.Page = max(p, 1)
	return q
}

// SortedBy is the query of a column header's link: sort by key, reversing
// the order when it is already the sort key; back to the first page.
func (q Query) SortedBy(key string) Query {
	if q.Sort == key {
		q.Desc = !q.Desc
	} else {
		q.Sort, q.Desc = key, key == SortActivite || key == SortScore
	}
	q.Page = 1
	return q
}

// Offset is the number of rows before the query's page.
func (q Query) Offset() int { return (max(q.Page, 1) - 1) * PageSize }

// Pages returns the number of pages for total rows (at least 1).
func Pages(total int) int { return max((total+PageSize-1)/PageSize, 1) }

// Facts are what the queue knows of one coop's dossier: the columns the
// store filters and sorts on. A coop that never opened its dossier has
// the facts of a new dossier (incomplete, everything missing).
type Facts struct {
	Status     workflow.DossierStatus
	Missing    []workflow.ItemKey
	Unreviewed int
	Source     string
	Unread     bool
	UAI        string
	Name       string
	Commune    string
}

// Late reports whether a dossier with that status is late when the
// campaign's deadline has passed (overdue): it still owes something. The
// rule is workflow.DaysLate's.
func Late(status workflow.DossierStatus, overdue bool) bool {
	return overdue && (status == workflow.DossierIncomplet || status == workflow.DossierACorriger)
}

// InTab reports whether a dossier belongs to a tab.
func InTab(t Tab, f Facts, overdue bool) bool {
	switch t {
	case ATraiter:
		return f.Unreviewed > 0
	case Incomplets:
		return f.Status == workflow.DossierIncomplet
	case ACorriger:
		return f.Status == workflow.DossierACorriger
	case EnRetard:
		return Late(f.Status, overdue)
	case Valides:
		return f.Status == workflow.DossierValide
	}
	return true
}

// Matches reports whether a dossier passes the filter (tab excepted).
func (flt Filter) Matches(f Facts, overdue bool) bool {
	switch {
	case flt.Q != "" && !MatchesSearch(flt.Q, f.UAI, f.Name, f.Commune):
		return false
	case flt.Missing != "" && !contains(f.Missing, flt.Missing):
		return false
	case flt.Late && !Late(f.Status, overdue):
		return false
	case flt.Source != "" && f.Source != flt.Source:
		return false
	case flt.Unreviewed && f.Unreviewed == 0:
		return false
	case flt.Unread && !f.Unread:
		return false
	}
	return true
}

// Matches reports whether a dossier is in the query's tab and passes its
// filter.
func (q Query) Matches(f Facts, overdue bool) bool {
	return InTab(q.Tab, f, overdue) && q.Filter.Matches(f, overdue)
}

// Counts holds the number of coops in each tab under one filter, and how
// many of them changed since the staff member last looked.
type Counts struct {
	ByTab  map[Tab]int
	Unread int
}

// Count tallies facts into the tabs, as the store's counting query does.
func Count(flt Filter, facts []Facts, overdue bool) Counts {
	c := Counts{ByTab: map[Tab]int{}}
	for _, f := range facts {
		if !flt.Matches(f, overdue) {
			continue
		}
		for _, t := range Tabs() {
			if InTab(t, f, overdue) {
				c.ByTab[t]++
			}
		}
		if f.Unread {
			c.Unread++
		}
	}
	return c
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
