package demo

import (
	"context"
	"testing"

	"retkoop/app/docstore"
	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/workflow"
)

// TestDemoClosingFollowsTheDossiers: the demo's coops whose dossier says
// the book was closed have a closed book and an open next exercice; those
// with the CRF step done have a validated (or, validated dossier, locked)
// CRF whose frozen figures balance; seeding twice changes nothing.
func TestDemoClosingFollowsTheDossiers(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	o := Options{Coops: 20, Docs: docstore.New(t.TempDir(), 1<<20)}
	for range 2 {
		if _, err := Seed(ctx, db, o, cheapHash, ex25); err != nil {
			t.Fatal(err)
		}
	}
	ad, _ := db.System().ADByCode(ctx, "31")
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	list, err := scope.CRFs(ctx, ex25)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, c := range list {
		counts[c.Status]++
		cs, _ := db.ForCoop(ctx, c.Coop.ID, nil)
		ex, _ := cs.Exercice(ctx, ex25)
		row, err := cs.FindDossier(ctx, ex25)
		if err != nil {
			t.Fatalf("%s: %v", c.Coop.UAI, err)
		}
		d, _ := row.Decode()
		cl, _ := d.Item(workflow.Cloture)
		closed := cl.Status == workflow.ItemRecu || cl.Status == workflow.ItemAccepte
		if c.Coop.BookMode == store.BookKept && closed != (ex.State == store.ExerciceClosed) {
			t.Errorf("%s: dossier cloture %s but exercice %s", c.Coop.UAI, cl.Status, ex.State)
		}
		if d.Validated && c.Status != store.CRFLocked {
			t.Errorf("%s: validated dossier, CRF %s", c.Coop.UAI, c.Status)
		}
		if c.CRF == nil {
			continue
		}
		if !c.CRF.Equilibre || c.CRF.TresorerieDebut.Total+c.CRF.Resultat != c.CRF.TresorerieFin.Total {
			t.Errorf("%s: frozen CRF does not balance: %+v", c.Coop.UAI, c.CRF)
		}
		next, err := cs.Exercice(ctx, "2026-2027")
		if err != nil || next.OpeningBank != c.CRF.TresorerieFin.Banque || next.OpeningCash != c.CRF.TresorerieFin.Caisse {
			t.Errorf("%s: next exercice %+v, %v, want the closing balances %+v", c.Coop.UAI, next, err, c.CRF.TresorerieFin)
		}
		if c.Coop.BookMode == store.BookKept {
			// The frozen figures are those of the book.
			r, _ := cs.CRF(ctx, ex25)
			ops, _ := cs.BookOperations(ctx, ex25)
			chart, _ := cs.Chart(ctx)
			lex, _ := ledger.ParseExercice(ex25)
			live := ledger.ComputeCRF(ledger.CRFMeta{UAI: c.Coop.UAI, Nom: c.Coop.Name, Exercice: lex},
				ledger.Treasuries{Banque: ex.OpeningBank, Caisse: ex.OpeningCash}, ops, chart, nil)
			if live.TotalCharges != r.CRF.TotalCharges || live.TresorerieFin != r.CRF.TresorerieFin {
				t.Errorf("%s: frozen figures differ from the book", c.Coop.UAI)
			}
			if hist, _ := cs.ExerciceHistory(ctx, ex25); len(hist) != 1 {
				t.Errorf("%s: %d closings in the history after seeding twice", c.Coop.UAI, len(hist))
			}
		}
	}
	if counts[store.CRFValid] == 0 || counts[store.CRFLocked] == 0 || counts[store.CRFDraft] == 0 {
		t.Errorf("demo CRF statuses = %v: every status should appear", counts)
	}
}
