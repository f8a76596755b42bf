package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"retkoop/app/fr"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/workflow"
)

// demoProfile is the state a demo dossier is brought to.
type demoProfile int

const (
	demoNotStarted  demoProfile = iota // nothing received
	demoIncomplete                     // a few steps done, the quitus sent
	demoTransmitted                    // everything received before the deadline, to review
	demoCorrection                     // transmitted, a correction of the statement asked
	demoValidated                      // validated by the staff
	demoLate                           // everything received, after the deadline
)

// demoNamedProfiles gives the named demo schools, in order, every state;
// generated coops cycle through demoProfiles.
var (
	demoNamedProfiles = []demoProfile{demoIncomplete, demoCorrection, demoTransmitted, demoValidated,
		demoNotStarted, demoLate, demoIncomplete, demoValidated}
	demoProfiles = []demoProfile{demoNotStarted, demoIncomplete, demoIncomplete, demoTransmitted, demoTransmitted,
		demoCorrection, demoValidated, demoValidated, demoValidated, demoLate}
)

var demoFunders = []string{"Mairie", "Conseil départemental", "Association des parents d'élèves", "Région"}

// demoDoc is a document a demo dossier receives.
type demoDoc struct {
	item   workflow.ItemKey
	source workflow.Source
	at     time.Time
	ref    string // subsidy proved, for justificatifs
	label  string // the subsidy's label, printed on its proof
	doc    store.Document
}

// demoPlan is what one coop's demo dossier goes through.
type demoPlan struct {
	coop      store.Coop
	profile   demoProfile
	subsidies []workflow.Subsidy
	docs      []demoDoc
	done      time.Time // when the mandataire finished
}

// seedDemoDossiers gives the demo campaign a dossier in every state, with
// small generated PDFs, through the bulk path (2,000 coops in a few
// seconds). Deterministic for a seed; coops that already have a dossier
// are left as they are.
func seedDemoDossiers(ctx context.Context, db *store.DB, o Options, adID int64, exercice string) error {
	if o.Docs == nil {
		return nil
	}
	sys := db.System()
	camp, err := sys.EnsureCampaign(ctx, adID, exercice)
	if err != nil {
		return err
	}
	deadline := camp.DeadlineTime()
	ad, err := db.ForAD(ctx, adID, nil)
	if err != nil {
		return err
	}
	coops, _, err := ad.Coops(ctx, store.CoopFilter{})
	if err != nil {
		return err
	}
	coops = slices.DeleteFunc(coops, func(c store.Coop) bool { return !o.owns(c.UAI) })
	slices.SortFunc(coops, func(a, b store.Coop) int { return int(a.ID - b.ID) })
	rng := rand.New(rand.NewPCG(o.Seed, 6))
	plans := make([]*demoPlan, len(coops))
	var files []store.Document
	for i, co := range coops {
		p := demoPlanFor(co, i, deadline, rng)
		for j := range p.docs {
			if err := putDemoDoc(o, co, &p.docs[j]); err != nil {
				return err
			}
			files = append(files, p.docs[j].doc)
		}
		plans[i] = p
	}
	if err := sys.SeedDocuments(ctx, files); err != nil {
		return err
	}
	next := 0
	seeds := make([]store.DossierSeed, len(plans))
	for i, p := range plans {
		for j := range p.docs {
			p.docs[j].doc.ID = files[next].ID
			next++
		}
		seeds[i] = store.DossierSeed{CoopID: p.coop.ID, KeepsBook: p.coop.BookMode == store.BookKept, Events: p.events()}
	}
	_, err = sys.SeedDossiers(ctx, camp.ID, seeds)
	return err
}

// demoPlanFor decides a coop's profile, subsidies and documents.
func demoPlanFor(co store.Coop, i int, deadline time.Time, rng *rand.Rand) *demoPlan {
	p := &demoPlan{coop: co, profile: demoProfiles[i%len(demoProfiles)]}
	if i < len(demoNamedProfiles) {
		p.profile = demoNamedProfiles[i]
	}
	// Mandataires finish between three weeks and two days before the
	// deadline; late ones one to three weeks after it.
	p.done = deadline.Add(-time.Duration(2+rng.IntN(19))*24*time.Hour + time.Duration(8+rng.IntN(10))*time.Hour)
	if p.profile == demoLate {
		p.done = deadline.Add(time.Duration(7+rng.IntN(15))*24*time.Hour + 11*time.Hour)
	}
	for k := range rng.IntN(3) {
		funder := demoFunders[(i+k)%len(demoFunders)]
		amount := 100 * (150 + rng.IntN(700))
		p.subsidies = append(p.subsidies, workflow.Subsidy{Ref: fmt.Sprintf("demo-%d", k+1),
			Label: fmt.Sprintf("%s — %s", funder, money.Money(amount))})
	}
	at := func(days int) time.Time { return p.done.Add(-time.Duration(days) * 24 * time.Hour) }
	switch p.profile {
	case demoNotStarted:
		return p
	case demoIncomplete:
		p.docs = append(p.docs, demoDoc{item: workflow.Quitus, source: workflow.SourceWeb, at: at(3)})
		return p
	}
	p.docs = append(p.docs, demoDoc{item: workflow.Quitus, source: workflow.SourceMail, at: at(4)},
		demoDoc{item: workflow.Releve, source: workflow.SourceWeb, at: at(1)})
	for _, s := range p.subsidies {
		p.docs = append(p.docs, demoDoc{item: workflow.Justificatifs, source: workflow.SourceWeb, at: at(0), ref: s.Ref, label: s.Label})
	}
	return p
}

// putDemoDoc writes the document's PDF, which names its coop, to the
// docstore.
func putDemoDoc(o Options, co store.Coop, d *demoDoc) error {
	title := map[workflow.ItemKey]string{workflow.Quitus: "Commission de contrôle des comptes — quitus",
		workflow.Releve: "Relevé de compte au 31 août", workflow.Justificatifs: "Notification de subvention"}[d.item]
	name := map[workflow.ItemKey]string{workflow.Quitus: "quitus", workflow.Releve: "releve-aout",
		workflow.Justificatifs: "subvention-" + d.ref}[d.item]
	pdf := service.NotePDF(title, []string{co.Name + " (" + co.UAI + ")", co.PostalCode + " " + co.Commune, d.label,
		"Document de démonstration généré par retkoop, daté du " + d.at.In(fr.Paris).Format("02/01/2006") + "."})
	st, err := o.Docs.Put(bytes.NewReader(pdf))
	if err != nil {
		return fmt.Errorf("demo document: %w", err)
	}
	d.doc = store.Document{CoopID: co.ID, SHA256: st.SHA256, Name: name + ".pdf", MIME: st.MIME, Size: st.Size,
		Source: string(d.source), CreatedAt: d.at.UTC()}
	return nil
}

// events are the dossier's history, in order.
func (p *demoPlan) events() []workflow.Event {
	mand := p.coop.MandataireName + " (mandataire)"
	stamp := func(t time.Time, by string) workflow.Stamp { return workflow.Stamp{At: t, By: by} }
	var evs []workflow.Event
	if p.profile == demoNotStarted {
		return nil
	}
	if p.coop.BookMode == store.BookKept {
		evs = append(evs, workflow.StepCompleted{Stamp: stamp(p.done.Add(-6*24*time.Hour), mand), Item: workflow.Cloture})
	}
	evs = append(evs, workflow.StepCompleted{Stamp: stamp(p.done.Add(-5*24*time.Hour), mand), Item: workflow.CRA})
	if p.profile != demoIncomplete {
		evs = append(evs, workflow.StepCompleted{Stamp: stamp(p.done.Add(-5*24*time.Hour+time.Hour), mand), Item: workflow.CRF},
			workflow.StepCompleted{Stamp: stamp(p.done.Add(-5*24*time.Hour+2*time.Hour), mand), Item: workflow.Subventions, Subsidies: p.subsidies})
	}
	for _, d := range p.docs {
		by := mand
		if d.source == workflow.SourceMail {
			by = "courriel"
		}
		evs = append(evs, workflow.DocumentReceived{Stamp: stamp(d.at, by), Item: d.item, Source: d.source, DocumentID: d.doc.ID, SubsidyRef: d.ref})
	}
	staff := stamp(p.done.Add(3*24*time.Hour), "Marc Comptable (AD)")
	switch p.profile {
	case demoCorrection:
		evs = append(evs, workflow.ItemAccepted{Stamp: staff, Item: workflow.Quitus},
			workflow.CorrectionRequested{Stamp: staff, Item: workflow.Releve,
				Reason: "Le relevé envoyé s'arrête au 31 juillet : envoyez celui qui couvre le 31 août."})
	case demoValidated:
		evs = append(evs, workflow.DossierValidated{Stamp: staff})
	}
	return evs
}
