package demo

import (
	"context"
	"testing"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/queue"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// TestDemoGivesTheStaffSomethingToReview: after `demo`, a month past the
// deadline, every tab of the queue has coops, both ways of keeping the
// accounts show, and the closed books have their arrêté de caisse equal to
// the CRF (but for the one coop in twelve that forgot it).
func TestDemoGivesTheStaffSomethingToReview(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if _, err := Seed(ctx, db, Options{Coops: 36, Operations: 30, Docs: docstore.New(t.TempDir(), 1<<20)}, cheapHash, ex25); err != nil {
		t.Fatal(err)
	}
	info, _ := db.System().ADByCode(ctx, "31")
	ad, _ := db.ForAD(ctx, info.ID, nil)
	camp, err := ad.Campaign(ctx, ex25)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ad.Queue(ctx, store.QueueQuery{Campaign: camp, Overdue: true, Query: queue.Query{Tab: queue.Tous, Page: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range queue.Tabs() {
		if res.Counts.ByTab[tab] == 0 {
			t.Errorf("tab %s is empty: %+v", tab, res.Counts.ByTab)
		}
	}
	saisie, err := ad.Queue(ctx, store.QueueQuery{Campaign: camp, Query: queue.Query{Tab: queue.Tous, Page: 1,
		Filter: queue.Filter{Source: queue.SourceSaisie}}})
	if err != nil || saisie.Total < 3 {
		t.Errorf("%d coops enter their CRF directly (%v)", saisie.Total, err)
	}
	coops, _, _ := ad.Coops(ctx, store.CoopFilter{})
	counted, forgot := 0, 0
	for _, co := range coops {
		cs, _ := db.ForCoop(ctx, co.ID, nil)
		ex, err := cs.Exercice(ctx, ex25)
		if err != nil || ex.State != store.ExerciceClosed {
			continue
		}
		cc, err := cs.LastCashCount(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if cc == nil {
			forgot++
			continue
		}
		counted++
		r, err := cs.CRF(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if cc.Total() != r.CRF.TresorerieFin.Caisse || !cc.Date.Equal(time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: counted %s on %s, CRF caisse %s", co.UAI, cc.Total(), cc.Date, r.CRF.TresorerieFin.Caisse)
		}
		if err := cc.Validate(); err != nil {
			t.Errorf("%s: %v", co.UAI, err)
		}
	}
	if counted < 10 || forgot == 0 {
		t.Errorf("%d closed books with a cash count, %d without", counted, forgot)
	}
}
