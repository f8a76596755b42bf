package store_test

import (
	"context"
	"testing"

	"retkoop/app/ledger"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func TestCRFFromTheBook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)

		r, err := f.a1.CRF(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if r.CRF.Source != "cahier" || r.CRF.Statut != store.CRFDraft || r.CRF.TotalProduits != eur("330") ||
			r.CRF.TotalCharges != eur("120") || r.CRF.TresorerieFin.Total != eur("1494.56") || !r.CRF.Equilibre {
			t.Fatalf("draft crf = %+v", r.CRF)
		}
		if len(r.CRF.Subventions) != 1 || r.CRF.Subventions[0].Financeur != "Mairie de Toulouse" {
			t.Fatalf("subsidies = %+v", r.CRF.Subventions)
		}
		if len(r.Problems) != 1 || r.Problems[0].Code != "cloture" {
			t.Fatalf("problems before closing = %+v", r.Problems)
		}
		_, err = f.a1.ValidateCRF(ctx, ex25)
		wantInvalid(t, err, "le cahier n'est pas encore clôturé")
		_, err = f.a1.ValidateSubsidies(ctx, ex25)
		wantInvalid(t, err, "Validez d'abord le compte-rendu financier")
		wantInvalid(t, f.a1.SaveEnteredCRF(ctx, ex25, ledger.Entered{}), "calculé à partir du cahier")

		closeA1(t, f)
		crf, err := f.a1.ValidateCRF(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if crf.Statut != store.CRFValid || crf.TresorerieFin.Banque != eur("1414.56") {
			t.Fatalf("validated = %+v", crf)
		}
		_, err = f.a1.ValidateCRF(ctx, ex25)
		wantInvalid(t, err, "déjà validé")
		subs, err := f.a1.ValidateSubsidies(ctx, ex25)
		if err != nil || len(subs) != 1 || subs[0].Montant != eur("300") {
			t.Fatalf("validated subsidies = %+v, %v", subs, err)
		}
		_, err = f.a1.ValidateSubsidies(ctx, ex25)
		wantInvalid(t, err, "déjà validé")

		// The AD locks and unlocks; the figures stay frozen.
		if err := f.a1.LockCRF(ctx, ex25); err != nil {
			t.Fatal(err)
		}
		r, _ = f.a1.CRF(ctx, ex25)
		if r.CRF.Statut != store.CRFLocked || r.State.LockedAt.IsZero() || r.CRF.TotalProduits != eur("330") {
			t.Fatalf("locked crf = %+v %+v", r.CRF, r.State)
		}
		_, err = f.a1.ValidateCRF(ctx, ex25)
		wantInvalid(t, err, "verrouillé par votre AD")
		if err := f.a1.UnlockCRF(ctx, ex25); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.a1.CRFState(ctx, ex25); st.Status != store.CRFValid || !st.LockedAt.IsZero() || !st.SubsidiesValidated() {
			t.Fatalf("unlocked = %+v", st)
		}
		// A correction of the CRF alone keeps the subsidies' validation
		// while the list stays the same.
		if err := f.a1.ReopenCRF(ctx, ex25, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a1.ValidateCRF(ctx, ex25); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.a1.CRFState(ctx, ex25); !st.SubsidiesValidated() {
			t.Fatal("an unchanged list of subsidies lost its validation")
		}
		if err := f.a1.ReopenSubsidies(ctx, ex25); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.a1.CRFState(ctx, ex25); st.SubsidiesValidated() || st.Status != store.CRFValid {
			t.Fatalf("after reopening the subsidies = %+v", st)
		}

		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		list, err := adA.CRFs(ctx, ex25)
		if err != nil || len(list) != 2 {
			t.Fatalf("AD A's crfs = %+v, %v", list, err)
		}
		if list[0].Coop.UAI != "0310036W" || list[0].Status != store.CRFValid || list[0].CRF == nil ||
			list[0].CRF.TresorerieFin.Total != eur("1494.56") {
			t.Fatalf("A1 in the list = %+v", list[0])
		}
		if list[1].Coop.UAI != "0310100R" || list[1].Status != store.CRFDraft || list[1].CRF != nil {
			t.Fatalf("A2 in the list = %+v", list[1])
		}
		if none, _ := adA.CRFs(ctx, "2030-2031"); none[0].Status != "" {
			t.Fatalf("a coop without the exercice = %+v", none[0])
		}
	})
}

func TestCRFEnteredDirectly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		if err := adA.UpdateCoop(ctx, f.coopA2, store.CoopParams{Name: "École A2", Status: "active", BookMode: store.BookEntered}); err != nil {
			t.Fatal(err)
		}
		a2, _ := db.ForCoop(ctx, f.coopA2, nil)
		if err := a2.SetOpening(ctx, ex25, eur("1000"), eur("50")); err != nil {
			t.Fatal(err)
		}
		r, err := a2.CRF(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if r.Entered.Debut.Banque != eur("1000") || len(r.Problems) == 0 || r.Problems[0].Code != "saisie" {
			t.Fatalf("nothing entered yet: %+v", r)
		}
		wantInvalid(t, a2.CloseExercice(ctx, store.Closing{Exercice: ex25}), "pas de cahier à clôturer")

		e := ledger.Entered{
			Lines:       []ledger.AccountLine{{Compte: "60600008", Montant: eur("200")}, {Compte: "74400008", Montant: eur("300")}},
			Debut:       ledger.Treasuries{Banque: eur("1000"), Caisse: eur("50")},
			Fin:         ledger.Treasuries{Banque: eur("1090"), Caisse: eur("50")},
			Subventions: []ledger.Subsidy{{Date: "2025-11-12", Compte: "74400008", Financeur: "Mairie", Montant: eur("300")}},
		}
		if err := a2.SaveEnteredCRF(ctx, ex25, e); err != nil {
			t.Fatal(err)
		}
		r, _ = a2.CRF(ctx, ex25)
		if r.CRF.Source != "saisie" || r.CRF.Equilibre || len(r.Problems) != 1 || r.Problems[0].Code != ledger.ProblemIdentite {
			t.Fatalf("unbalanced entry: %+v %+v", r.CRF, r.Problems)
		}
		_, err = a2.ValidateCRF(ctx, ex25)
		wantInvalid(t, err, "ne s'équilibrent pas")

		e.Fin.Banque = eur("1100")
		if err := a2.SaveEnteredCRF(ctx, ex25, e); err != nil {
			t.Fatal(err)
		}
		crf, err := a2.ValidateCRF(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if crf.Source != "saisie" || crf.Resultat != eur("100") || crf.Statut != store.CRFValid || !crf.Equilibre {
			t.Fatalf("validated entry = %+v", crf)
		}
		wantInvalid(t, a2.SaveEnteredCRF(ctx, ex25, e), "est validé")
		next, err := a2.Exercice(ctx, "2026-2027")
		if err != nil || next.OpeningBank != eur("1100") || next.OpeningCash != eur("50") {
			t.Fatalf("next exercice = %+v, %v", next, err)
		}
		// The next year's entry must open with this closing.
		r, _ = a2.CRF(ctx, "2026-2027")
		if r.Previous == nil || r.Previous.Banque != eur("1100") || r.Entered.Debut.Banque != eur("1100") {
			t.Fatalf("next year's draft = %+v", r)
		}
		e2 := ledger.Entered{Debut: ledger.Treasuries{Banque: eur("1000"), Caisse: eur("50")}, Fin: ledger.Treasuries{Banque: eur("1000"), Caisse: eur("50")}}
		if err := a2.SaveEnteredCRF(ctx, "2026-2027", e2); err != nil {
			t.Fatal(err)
		}
		r, _ = a2.CRF(ctx, "2026-2027")
		if len(r.Problems) != 1 || r.Problems[0].Code != ledger.ProblemOuverture {
			t.Fatalf("opening ≠ last closing: %+v", r.Problems)
		}
	})
}
