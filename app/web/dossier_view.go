package web

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fr"
	"retkoop/app/store"
	"retkoop/workflow"
)

// dossierView is what the dossier pages show, to the mandataire and to
// the staff (Staff set): the summary, the checklist and the history.
type dossierView struct {
	Coop      *store.Coop
	Exercice  string
	Exercices []string
	Base      string // the page's URL; its forms post below it
	Staff     bool
	CSRF      string
	Status    workflow.DossierStatus
	Deadline  time.Time
	DaysLate  int
	DaysLeft  int
	Score     int
	Items     []*itemView
	History   []historyView
	Notice    string
	// OOB marks the summary as an out-of-band swap (htmx responses).
	OOB bool
	// What the staff may do now, as the workflow decides.
	CanValidate bool
	CanReopen   bool
	Waivable    []workflow.Subsidy
	// Review is the staff's cross-checks, CRF and CRA (review.go).
	Review *reviewView
}

// itemView is one entry of the checklist; it carries what its partial
// needs to render alone (htmx swaps it in place).
type itemView struct {
	Key         workflow.ItemKey
	Label       string
	DOMID       string
	Status      workflow.ItemStatus
	StatusLabel string
	IsStep      bool
	StepURL     string
	Documents   []docView
	Open        []workflow.Correction
	Answered    []workflow.Correction
	Proofs      []workflow.SubsidyProof
	Notice      string
	CanAccept   bool
	CanCorrect  bool
	Base        string
	CSRF        string
	Staff       bool
}

// docView is a document shown in the checklist, with its viewer.
type docView struct {
	ID         int64
	Name       string
	MIME       string
	Size       string
	Source     string
	ReceivedAt time.Time
	URL        string
	PDF        bool
	Image      bool // a type browsers show (HEIC is only downloaded)
}

// historyView is a history row with its document's link.
type historyView struct {
	store.HistoryEntry
	DocName string
	DocURL  string
}

// stepURLs are the pages of the coop space where the mandataire completes
// each step (the closing feature serves them).
var stepURLs = map[workflow.ItemKey]string{
	workflow.Cloture:     "/cahier/%s/cloture",
	workflow.CRA:         "/cra/%s",
	workflow.CRF:         "/crf/%s",
	workflow.Subventions: "/crf/%s", // validated with the CRF
}

// loadDossier builds the view of the coop's dossier of exercice. docBase
// is the URL prefix of the coop's documents for the viewer; the steps link
// to their pages in space (for the mandataire's view).
func (a *Handler) loadDossier(ctx context.Context, space coopSpace, cs *store.CoopScope, exercice, base, docBase string, staff bool) (*dossierView, error) {
	row, d, err := cs.Dossier(ctx, exercice)
	if err != nil {
		return nil, err
	}
	camp, err := cs.Campaign(ctx, exercice)
	if err != nil {
		return nil, err
	}
	wc, err := camp.Workflow()
	if err != nil {
		return nil, err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, err
	}
	exs, err := cs.Exercices(ctx)
	if err != nil {
		return nil, err
	}
	files, err := cs.DossierDocuments(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	hist, err := cs.DossierHistory(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	v := &dossierView{Coop: co, Exercice: exercice, Base: base, Staff: staff, Status: d.Status(), Deadline: wc.Deadline,
		DaysLate: workflow.DaysLate(d, wc, now), DaysLeft: daysBetween(now, wc.Deadline), Score: d.Score()}
	for _, e := range exs {
		v.Exercices = append(v.Exercices, e.Name)
	}
	byID := map[int64]*store.Document{}
	for _, f := range files {
		byID[f.DocumentID] = f.Document
	}
	probe := workflow.Stamp{At: now, By: "?"}
	allowed := func(ev workflow.Event) bool { _, _, err := workflow.Apply(d, ev); return err == nil }
	for _, it := range d.Checklist() {
		iv := &itemView{Key: it.Key, Label: it.Key.Label(), DOMID: ItemDOMID(it.Key),
			Status: it.Status, StatusLabel: it.Status.Label(), IsStep: it.Key.IsStep(), Base: base, Staff: staff,
			CanAccept:  staff && allowed(workflow.ItemAccepted{Stamp: probe, Item: it.Key}),
			CanCorrect: staff && allowed(workflow.CorrectionRequested{Stamp: probe, Item: it.Key, Reason: "?"})}
		if u, ok := stepURLs[it.Key]; ok && !staff {
			iv.StepURL = space.To(fmt.Sprintf(u, url.PathEscape(exercice)))
		}
		for _, doc := range it.Documents {
			iv.Documents = append(iv.Documents, newDocView(doc, byID[doc.ID], docBase))
		}
		for _, c := range d.Corrections {
			switch {
			case c.Item != it.Key:
			case c.Open():
				iv.Open = append(iv.Open, c)
			default:
				iv.Answered = append(iv.Answered, c)
			}
		}
		if it.Key == workflow.Justificatifs {
			iv.Proofs = d.Proofs()
		}
		v.Items = append(v.Items, iv)
	}
	if staff {
		v.CanValidate = allowed(workflow.DossierValidated{Stamp: probe})
		v.CanReopen = allowed(workflow.DossierReopened{Stamp: probe, Reason: "?"})
		for _, p := range d.Proofs() {
			if allowed(workflow.ProofWaived{Stamp: probe, SubsidyRef: p.Subsidy.Ref}) {
				v.Waivable = append(v.Waivable, p.Subsidy)
			}
		}
	}
	for i := len(hist) - 1; i >= 0; i-- { // newest first
		h := historyView{HistoryEntry: hist[i]}
		if id := h.DocumentID; id != nil && byID[*id] != nil {
			h.DocName, h.DocURL = byID[*id].Name, fmt.Sprintf("%s/%d", docBase, *id)
		}
		v.History = append(v.History, h)
	}
	return v, nil
}

func newDocView(doc workflow.Document, file *store.Document, docBase string) docView {
	dv := docView{ID: doc.ID, Source: doc.Source.Label(), ReceivedAt: doc.ReceivedAt, URL: fmt.Sprintf("%s/%d", docBase, doc.ID)}
	if file != nil {
		dv.Name, dv.MIME, dv.Size = file.Name, file.MIME, docstore.HumanSize(file.Size)
		dv.PDF = file.MIME == "application/pdf"
		dv.Image = file.MIME == "image/jpeg" || file.MIME == "image/png"
	}
	return dv
}

// setCSRF gives the page's token to every item partial.
func (v *dossierView) setCSRF(token string) {
	v.CSRF = token
	for _, it := range v.Items {
		it.CSRF = token
	}
}

// item returns the checklist entry of key, nil if absent.
func (v *dossierView) item(key workflow.ItemKey) *itemView {
	for _, it := range v.Items {
		if it.Key == key {
			return it
		}
	}
	return nil
}

// itemWithDocument returns the checklist entry holding a document.
func (v *dossierView) itemWithDocument(id int64) (*itemView, *docView) {
	for _, it := range v.Items {
		for i := range it.Documents {
			if it.Documents[i].ID == id {
				return it, &it.Documents[i]
			}
		}
	}
	return nil, nil
}

// receiptNotice says what became of an upload, on its item.
func (v *dossierView) receiptNotice(docID int64, duplicate bool) {
	it, doc := v.itemWithDocument(docID)
	if it == nil {
		return
	}
	if duplicate {
		it.Notice = fmt.Sprintf("Ce fichier a déjà été reçu le %s (« %s ») : il n'a pas été ajouté une seconde fois.",
			doc.ReceivedAt.In(fr.Paris).Format("02/01/2006 à 15:04"), doc.Name)
		return
	}
	it.Notice = fmt.Sprintf("Document reçu : « %s ».", doc.Name)
}

// daysBetween counts the calendar days (fr.Paris) from now to the deadline
// day, 0 once it has come.
func daysBetween(now, deadline time.Time) int {
	day := func(t time.Time) time.Time {
		y, m, d := t.In(fr.Paris).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return max(int(day(deadline).Sub(day(now)).Hours()/24), 0)
}
