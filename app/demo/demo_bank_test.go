package demo

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"retkoop/app/docstore"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/app/uai"
)

// TestDemoBank: the demo's statements match the demo books. Every other
// named coop has them imported and reconciled (zero gap at 31 August);
// importing the year's file of the first one ticks most lines, proposes
// the ambiguous ones and leaves the bank's fee, and after confirmation and
// one click on the fee its gap at 31 August is zero too. Seeding again
// changes nothing.
func TestDemoBank(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	dir := t.TempDir()
	o := Options{Docs: docstore.New(dir, 1<<20)}
	if _, err := Seed(ctx, db, o, cheapHash, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	a := &service.Service{}
	scope := func(code string) *store.CoopScope {
		u, err := db.System().UserByLogin(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.ForCoop(ctx, *u.CoopID, nil)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	etat := func(cs *store.CoopScope) (bool, bool) {
		r, covered, err := a.Rapprochement(ctx, cs, tday("31/08/2026"))
		if err != nil {
			t.Fatal(err)
		}
		return covered, r.Balanced()
	}
	reconciled := scope(uai.Make(310103)) // the 2nd named school, closed
	if sts, _ := reconciled.BankStatements(ctx); len(sts) != 13 {
		t.Fatalf("reconciled coop has %d statements, want 13 (September to September)", len(sts))
	}
	if covered, balanced := etat(reconciled); !covered || !balanced {
		t.Fatalf("reconciled demo coop: covered %v, balanced %v", covered, balanced)
	}

	// The named coops whose book is still open are left to reconcile in
	// the UI every other one.
	ad, _ := db.System().ADByCode(ctx, "31")
	targets, _ := db.System().BookTargets(ctx, ad.ID, "2025-2026")
	first := ""
	for _, tg := range targets {
		if tg.Exercice.State == store.ExerciceOpen && tg.UAI <= uai.Make(310121) {
			if sts, _ := scope(tg.UAI).BankStatements(ctx); len(sts) == 0 {
				first = tg.UAI
			}
		}
	}
	if first == "" {
		t.Fatal("no demo coop is left to reconcile in the UI")
	}
	cs := scope(first)
	data, err := os.ReadFile(filepath.Join(dir, demoBankDir, first+".ofx"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := service.ImportBank(ctx, cs, service.BankFile{Name: first + ".ofx", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if res.PointeesAuto < res.Nouvelles*3/4 || res.Proposees == 0 || res.NonRapprochees != 1 {
		t.Fatalf("year import %+v: want most lines ticked, some proposed, the fee unmatched", res)
	}
	months, _ := filepath.Glob(filepath.Join(dir, demoBankDir, first, "*.ofx"))
	for _, m := range months {
		data, _ := os.ReadFile(m)
		if res, err := service.ImportBank(ctx, cs, service.BankFile{Name: filepath.Base(m), Data: data}); err != nil || res.Nouvelles != 0 {
			t.Fatalf("monthly file %s after the yearly one: %+v, %v", m, res, err)
		}
	}
	if covered, balanced := etat(cs); !covered || balanced {
		t.Fatalf("before confirmation: covered %v, balanced %v", covered, balanced)
	}
	if err := reconcileDemo(ctx, cs, nil); err != nil {
		t.Fatal(err)
	}
	if covered, balanced := etat(cs); !covered || !balanced {
		t.Fatalf("after confirmation: covered %v, balanced %v", covered, balanced)
	}

	if _, err := Seed(ctx, db, o, cheapHash, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	if lines, _ := cs.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankUnmatched, store.BankProposed}}); len(lines) != 0 {
		t.Fatalf("seeding again added %d lines to reconcile", len(lines))
	}
}
