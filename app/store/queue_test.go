package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"retkoop/app/queue"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/app/uai"
	"retkoop/workflow"
)

// queueWorld is AD A with coops in every state of the 2025-2026 campaign
// (and one without a dossier at all), plus AD B's coop.
type queueWorld struct {
	f     fixture
	ad    *store.ADScope
	camp  *store.Campaign
	facts map[int64]queue.Facts // the truth, computed from the dossiers
}

var queueNames = []struct{ name, commune string }{
	{"École Jean-Jaurès", "Muret"}, {"École maternelle Les Coquelicots", "Toulouse"}, {"École élémentaire Jules-Ferry", "Saint-Gaudens"},
	{"École primaire Curie", "Blagnac"}, {"Groupe scolaire Œuvre", "Revel"}, {"École Anne-Frank", "Muret"},
}

func newQueueWorld(t *testing.T, db *store.DB, viewer int64) *queueWorld {
	t.Helper()
	ctx := context.Background()
	w := &queueWorld{f: setup(t, db), facts: map[int64]queue.Facts{}}
	w.ad, _ = db.ForAD(ctx, w.f.adA.ID, &viewer)
	var rows []store.CoopImport
	for i := range 36 {
		n := queueNames[i%len(queueNames)]
		mode := store.BookKept
		if i%5 == 0 {
			mode = store.BookEntered
		}
		rows = append(rows, store.CoopImport{UAI: uai.Make(310500 + i), Params: store.CoopParams{Name: fmt.Sprintf("%s n°%d", n.name, i),
			Commune: n.commune, BookMode: mode}})
	}
	if _, err := db.System().BulkImportCoops(ctx, w.f.adA.ID, rows, exercice); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.camp, err = w.ad.Campaign(ctx, exercice); err != nil {
		t.Fatal(err)
	}
	var seeds []store.DossierSeed
	for i, r := range rows {
		co, err := w.ad.CoopByUAI(ctx, r.UAI)
		if err != nil {
			t.Fatal(err)
		}
		if i%6 == 5 {
			continue // never opened its dossier
		}
		cs, _ := db.ForCoop(ctx, co.ID, nil)
		keeps := co.BookMode == store.BookKept
		seeds = append(seeds, store.DossierSeed{CoopID: co.ID, KeepsBook: keeps, Events: queueEvents(t, cs, i, keeps)})
	}
	if _, err := db.System().SeedDossiers(ctx, w.camp.ID, seeds); err != nil {
		t.Fatal(err)
	}
	return w
}

// queueEvents brings coop i's dossier to one of six states.
func queueEvents(t *testing.T, cs *store.CoopScope, i int, keeps bool) []workflow.Event {
	t.Helper()
	var evs []workflow.Event
	step := func(k workflow.ItemKey) { evs = append(evs, workflow.StepCompleted{Stamp: mandBy, Item: k}) }
	switch i % 6 {
	case 0: // opened, nothing done
		return nil
	case 1: // incomplete, the quitus received
		step(workflow.CRA)
		evs = append(evs, received(workflow.Quitus, addDoc(t, cs, 1)))
		return evs
	}
	if keeps {
		step(workflow.Cloture)
	}
	step(workflow.CRA)
	step(workflow.CRF)
	step(workflow.Subventions)
	evs = append(evs, received(workflow.Quitus, addDoc(t, cs, 1)), received(workflow.Releve, addDoc(t, cs, 2)))
	switch i % 6 {
	case 3:
		evs = append(evs, workflow.ItemAccepted{Stamp: staffBy, Item: workflow.Quitus},
			workflow.CorrectionRequested{Stamp: staffBy, Item: workflow.Releve, Reason: "illisible"})
	case 4:
		evs = append(evs, workflow.DossierValidated{Stamp: staffBy})
	}
	return evs
}

// truth reads every coop's dossier back and computes its facts in Go.
func (w *queueWorld) truth(t *testing.T, db *store.DB, unread map[int64]bool) {
	t.Helper()
	ctx := context.Background()
	coops, _, err := w.ad.Coops(ctx, store.CoopFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, co := range coops {
		cs, _ := db.ForCoop(ctx, co.ID, nil)
		d := workflow.NewDossier(co.ID, w.camp.ID, co.BookMode == store.BookKept)
		if row, err := cs.FindDossier(ctx, exercice); err == nil {
			if d, err = row.Decode(); err != nil {
				t.Fatal(err)
			}
		}
		f := queue.Facts{Status: d.Status(), Missing: d.Missing(), Source: co.BookMode, Unread: unread[co.ID],
			UAI: co.UAI, Name: co.Name, Commune: co.Commune}
		for _, it := range d.Checklist() {
			if it.Status == workflow.ItemRecu {
				f.Unreviewed++
			}
		}
		w.facts[co.ID] = f
	}
}

// TestQueueAgreesWithTheRules runs every tab under many filters and sort
// orders, before and after the deadline, and checks the store's pages and
// counts against queue.Matches over the dossiers read back one by one.
func TestQueueAgreesWithTheRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		staff := &store.User{Role: store.RoleStaff, Login: "agent@a.example", Name: "Agent"}
		w := newQueueWorld(t, db, 0)
		adA, _ := db.ForAD(ctx, w.f.adA.ID, nil)
		if err := adA.CreateStaff(ctx, staff); err != nil {
			t.Fatal(err)
		}
		w.ad, _ = db.ForAD(ctx, w.f.adA.ID, &staff.ID)
		// The agent opens a few dossiers; one of them changes afterwards.
		coops, _, _ := w.ad.Coops(ctx, store.CoopFilter{})
		unread := map[int64]bool{}
		var changed int64
		for i, co := range coops {
			cs, err := w.ad.Coop(ctx, co.ID)
			if err != nil {
				t.Fatal(err)
			}
			row, err := cs.FindDossier(ctx, exercice)
			if err != nil {
				continue
			}
			if row.LastActivity.IsZero() {
				continue
			}
			unread[co.ID] = true
			if i%2 == 0 {
				if err := cs.MarkDossierSeen(ctx, row); err != nil {
					t.Fatal(err)
				}
				delete(unread, co.ID)
				if changed == 0 && row.Status == string(workflow.DossierTransmis) {
					changed = co.ID
					mand, _ := db.ForCoop(ctx, co.ID, nil)
					if _, _, err := mand.ApplyDossier(ctx, exercice, workflow.ItemAccepted{Stamp: staffBy, Item: workflow.Releve}, nil); err != nil {
						t.Fatal(err)
					}
					unread[co.ID] = true
				}
			}
		}
		if changed == 0 {
			t.Fatal("fixture: no transmitted dossier seen")
		}
		w.truth(t, db, unread)
		filters := []queue.Filter{{}, {Q: "jaures"}, {Q: "MURET école"}, {Q: "oeuvre"}, {Q: "introuvable"}, {Q: "n°2"}, {Q: "50%_"}, {Q: "ÉCOLE Élémentaire"}, {Missing: workflow.Quitus},
			{Missing: workflow.Cloture}, {Missing: workflow.Subventions}, {Late: true}, {Source: queue.SourceSaisie},
			{Source: queue.SourceCahier, Unreviewed: true}, {Unread: true}, {Unread: true, Missing: workflow.Releve}}
		for _, overdue := range []bool{false, true} {
			for _, flt := range filters {
				want := queue.Count(flt, values(w.facts), overdue)
				for _, tab := range queue.Tabs() {
					q := queue.Query{Tab: tab, Filter: flt, Sort: queue.SortNom, Page: 1}
					res, err := w.ad.Queue(ctx, store.QueueQuery{Campaign: w.camp, Viewer: staff.ID, Overdue: overdue, Query: q})
					if err != nil {
						t.Fatal(err)
					}
					what := fmt.Sprintf("overdue=%v filter=%+v tab=%s", overdue, flt, tab)
					if !equalCounts(res.Counts, want) {
						t.Fatalf("%s: counts %+v, want %+v", what, res.Counts, want)
					}
					var wantIDs []int64
					for id, f := range w.facts {
						if q.Matches(f, overdue) {
							wantIDs = append(wantIDs, id)
						}
					}
					if res.Total != len(wantIDs) || len(res.Rows) != min(len(wantIDs), queue.PageSize) {
						t.Fatalf("%s: total %d rows %d, want %d", what, res.Total, len(res.Rows), len(wantIDs))
					}
					for _, r := range res.Rows {
						if !slices.Contains(wantIDs, r.CoopID) {
							t.Fatalf("%s: coop %s should not be listed", what, r.UAI)
						}
						if r.CoopID == w.f.coopB1 {
							t.Fatalf("%s: AD B's coop listed", what)
						}
						if got := r.Facts(); got.Status != w.facts[r.CoopID].Status || got.Unread != w.facts[r.CoopID].Unread ||
							!slices.Equal(got.Missing, w.facts[r.CoopID].Missing) {
							t.Fatalf("%s: row facts %+v, want %+v", what, got, w.facts[r.CoopID])
						}
					}
					ids, err := w.ad.QueueCoopIDs(ctx, store.QueueQuery{Campaign: w.camp, Viewer: staff.ID, Overdue: overdue, Query: q})
					if err != nil || len(ids) != len(wantIDs) {
						t.Fatalf("%s: ids %v (%v), want %d", what, ids, err, len(wantIDs))
					}
				}
			}
		}
	})
}

func TestQueueSortAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newQueueWorld(t, db, 0)
		run := func(q queue.Query) []store.QueueRow {
			res, err := w.ad.Queue(ctx, store.QueueQuery{Campaign: w.camp, Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return res.Rows
		}
		all := run(queue.Query{Tab: queue.Tous, Sort: queue.SortUAI, Page: 1})
		if len(all) != 38 { // 36 + the fixture's two coops of AD A
			t.Fatalf("%d coops listed", len(all))
		}
		if !slices.IsSortedFunc(all, func(a, b store.QueueRow) int { return cmpString(a.UAI, b.UAI) }) {
			t.Fatal("not sorted by UAI")
		}
		desc := run(queue.Query{Tab: queue.Tous, Sort: queue.SortScore, Desc: true, Page: 1})
		if !slices.IsSortedFunc(desc, func(a, b store.QueueRow) int { return b.Score - a.Score }) || desc[0].Score != 100 {
			t.Fatalf("not sorted by score, highest first: %d … %d", desc[0].Score, desc[len(desc)-1].Score)
		}
		act := run(queue.Query{Tab: queue.Tous, Sort: queue.SortActivite, Desc: true, Page: 1})
		if act[0].LastActivity.IsZero() || !act[len(act)-1].LastActivity.IsZero() {
			t.Fatal("most recent activity first, never touched last")
		}
		for i := 1; i < len(act) && !act[i].LastActivity.IsZero(); i++ {
			if act[i].LastActivity.After(act[i-1].LastActivity) {
				t.Fatalf("activity not descending at %d", i)
			}
		}
		// Pages of 50 over more coops: no coop twice, none lost.
		var more []store.CoopImport
		for i := range 30 {
			more = append(more, store.CoopImport{UAI: uai.Make(311000 + i), Params: store.CoopParams{Name: fmt.Sprintf("Z école %02d", i)}})
		}
		if _, err := db.System().BulkImportCoops(ctx, w.f.adA.ID, more, exercice); err != nil {
			t.Fatal(err)
		}
		p1 := run(queue.Query{Tab: queue.Tous, Sort: queue.SortNom, Page: 1})
		p2 := run(queue.Query{Tab: queue.Tous, Sort: queue.SortNom, Page: 2})
		if len(p1) != 50 || len(p2) != 18 {
			t.Fatalf("pages of %d and %d", len(p1), len(p2))
		}
		seen := map[int64]bool{}
		for _, r := range append(p1, p2...) {
			if seen[r.CoopID] {
				t.Fatalf("coop %s on two pages", r.UAI)
			}
			seen[r.CoopID] = true
		}
	})
}

func TestCampaignDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newQueueWorld(t, db, 0)
		tr, va, err := w.ad.CampaignDates(context.Background(), w.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		nt, nv := 0, 0
		for i := range tr {
			if !tr[i].IsZero() {
				nt++
				if !tr[i].Equal(mandBy.At) {
					t.Fatalf("transmitted at %s, want %s", tr[i], mandBy.At)
				}
			}
			if !va[i].IsZero() {
				nv++
			}
		}
		// Per 6 coops: transmitted (2), corrected (3), validated (4) keep
		// their transmission date; one in six is validated.
		if nt != 18 || nv != 6 {
			t.Fatalf("%d transmitted, %d validated", nt, nv)
		}
	})
}

func values(m map[int64]queue.Facts) []queue.Facts {
	out := make([]queue.Facts, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	return out
}

func equalCounts(a, b queue.Counts) bool {
	if a.Unread != b.Unread {
		return false
	}
	for _, t := range queue.Tabs() {
		if a.ByTab[t] != b.ByTab[t] {
			return false
		}
	}
	return true
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestQueueSearchFollowsRenames: the search's folded names are kept in
// memory; a renamed, added or other AD's coop is found (or not) at once.
func TestQueueSearchFollowsRenames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newQueueWorld(t, db, 0)
		find := func(q string) int {
			res, err := w.ad.Queue(ctx, store.QueueQuery{Campaign: w.camp, Query: queue.Query{Tab: queue.Tous, Page: 1, Filter: queue.Filter{Q: q}}})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if n := find("Hêtraie"); n != 0 {
			t.Fatalf("%d coops before the rename", n)
		}
		co, _ := w.ad.CoopByUAI(ctx, "0310036W")
		if err := w.ad.UpdateCoop(ctx, co.ID, store.CoopParams{Name: "École de la Hêtraie", Commune: co.Commune,
			Status: co.Status, BookMode: co.BookMode}); err != nil {
			t.Fatal(err)
		}
		if n := find("hetraie"); n != 1 {
			t.Fatalf("renamed coop found %d times", n)
		}
		if _, err := db.System().BulkImportCoops(ctx, w.f.adA.ID, []store.CoopImport{{UAI: uai.Make(312000), Params: store.CoopParams{Name: "Nouvelle Hêtraie"}}}, exercice); err != nil {
			t.Fatal(err)
		}
		if n := find("HETRAIE"); n != 2 {
			t.Fatalf("added coop: found %d", n)
		}
		adB, _ := db.ForAD(ctx, w.f.adB.ID, nil)
		campB, _ := adB.Campaign(ctx, exercice)
		if res, _ := adB.Queue(ctx, store.QueueQuery{Campaign: campB, Query: queue.Query{Tab: queue.Tous, Page: 1, Filter: queue.Filter{Q: "hetraie"}}}); res.Total != 0 {
			t.Fatalf("AD B finds AD A's coops: %d", res.Total)
		}
	})
}
