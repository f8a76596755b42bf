package demo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fr"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// demoDossiers seeds the demo and describes each coop's dossier.
func demoDossiers(t *testing.T, docs *docstore.Store) ([]string, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	o := Options{Coops: 20, Docs: docs}
	for range 2 { // seeding twice changes nothing
		if _, err := Seed(ctx, db, o, cheapHash, "2025-2026"); err != nil {
			t.Fatal(err)
		}
	}
	ad, _ := db.System().ADByCode(ctx, "31")
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	coops, _, err := scope.Coops(ctx, store.CoopFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, co := range coops {
		cs, _ := db.ForCoop(ctx, co.ID, nil)
		row, err := cs.FindDossier(ctx, "2025-2026")
		if err != nil {
			t.Fatalf("coop %s has no dossier: %v", co.UAI, err)
		}
		hist, _ := cs.DossierHistory(ctx, row.ID)
		files, _ := cs.DossierDocuments(ctx, row.ID)
		for _, f := range files {
			if _, err := docs.Open(f.Document.SHA256); err != nil {
				t.Fatalf("document %s of %s not stored: %v", f.Document.Name, co.UAI, err)
			}
		}
		late := !row.TransmittedAt.IsZero() && row.TransmittedAt.After(time.Date(2026, 10, 1, 0, 0, 0, 0, fr.Paris))
		out = append(out, fmt.Sprintf("%s %s score=%d history=%d docs=%d late=%v", co.UAI, row.Status, row.Score, len(hist), len(files), late))
	}
	return out, db
}

func TestDemoDossiersCoverEveryState(t *testing.T) {
	got, _ := demoDossiers(t, docstore.New(t.TempDir(), 1<<20))
	seen := map[string]bool{}
	for _, s := range got {
		var uai, status string
		var score, hist, docs int
		var late bool
		fmt.Sscanf(s, "%s %s score=%d history=%d docs=%d late=%v", &uai, &status, &score, &hist, &docs, &late)
		seen[status] = true
		if score == 0 && hist == 0 {
			seen["non commencé"] = true
		}
		if late {
			seen["transmis en retard"] = true
		}
	}
	for _, want := range []string{"non commencé", "incomplet", "transmis", "a_corriger", "valide", "transmis en retard"} {
		if !seen[want] {
			t.Errorf("no demo dossier %q in %v", want, got)
		}
	}
	again, _ := demoDossiers(t, docstore.New(t.TempDir(), 1<<20))
	if fmt.Sprint(got) != fmt.Sprint(again) {
		t.Errorf("demo dossiers are not deterministic:\n%v\n%v", got, again)
	}
}
