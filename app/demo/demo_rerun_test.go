package demo

import (
	"context"
	"testing"

	"retkoop/app/docstore"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// TestDemoAgainAfterACoopWasImported: seeding the demo again (serve --demo
// on an existing database) works when the AD got coops of its own since.
func TestDemoAgainAfterACoopWasImported(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	o := Options{Docs: docstore.New(t.TempDir(), 1<<20)}
	if _, err := Seed(ctx, db, o, cheapHash, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	ad, err := db.System().ADByCode(ctx, "31")
	if err != nil {
		t.Fatal(err)
	}
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	rows := []store.CoopImport{
		{UAI: "0310036W", Params: store.CoopParams{Name: "École importée", Commune: "Toulouse", PostalCode: "31000"}},
		{UAI: "0310001H", Params: store.CoopParams{Name: "Maternelle importée", Commune: "Toulouse", PostalCode: "31000"}},
		{UAI: "0310004L", Params: store.CoopParams{Name: "Sans rien"}},
	}
	if _, err := scope.ImportCoops(ctx, rows, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := Seed(ctx, db, o, cheapHash, "2025-2026"); err != nil {
			t.Fatalf("demo again: %v", err)
		}
	}
	// The operator's coops are not the demo's: no book, no dossier, no
	// closing was made up for them.
	for _, r := range rows {
		co, err := scope.CoopByUAI(ctx, r.UAI)
		if err != nil {
			t.Fatal(err)
		}
		cs, _ := db.ForCoop(ctx, co.ID, nil)
		ops, err := cs.BookOperations(ctx, "2025-2026")
		if err != nil || len(ops) != 0 {
			t.Errorf("%s: the demo wrote %d operations (%v)", r.UAI, len(ops), err)
		}
		ex, _ := cs.Exercice(ctx, "2025-2026")
		if ex.State != store.ExerciceOpen {
			t.Errorf("%s: the demo closed the operator's exercice", r.UAI)
		}
		if _, err := cs.FindDossier(ctx, "2025-2026"); err == nil {
			t.Errorf("%s: the demo opened a dossier", r.UAI)
		}
	}
}
