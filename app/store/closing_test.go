package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// closingFixture is setupBook with a small year in coop A1's book (opening
// 1 234,56 € bank, 50 € cash): a subsidy of 300 € at the bank, a cheque of
// 120 € not yet on a statement, 30 € of cash sales; and the ids of A1's
// mandataire and of a staff member of each AD.
type closingFixture struct {
	bookFixture
	mandataire, staffA, staffB int64
	subsidyOp, chequeOp        int64
}

func setupClosing(t *testing.T, db *store.DB) closingFixture {
	t.Helper()
	ctx := context.Background()
	f := closingFixture{bookFixture: setupBook(t, db)}
	u, err := db.System().UserByLogin(ctx, "0310036W")
	if err != nil {
		t.Fatal(err)
	}
	f.mandataire = u.ID
	for _, s := range []struct {
		ad    int64
		login string
		id    *int64
	}{{f.adA.ID, "staff@a.example", &f.staffA}, {f.adB.ID, "staff@b.example", &f.staffB}} {
		as, _ := db.ForAD(ctx, s.ad, nil)
		if err := as.CreateStaff(ctx, &store.User{Role: store.RoleStaff, Login: s.login, Email: s.login, Name: "Agent"}); err != nil {
			t.Fatal(err)
		}
		u, _ := db.System().UserByLogin(ctx, s.login)
		*s.id = u.ID
	}
	if f.a1, err = db.ForCoop(ctx, f.coopA1, &f.mandataire); err != nil {
		t.Fatal(err)
	}
	sub := recette("12/11/2025", "R1", ledger.Banque, "300", "74400008")
	mustInsert(t, f.a1, sub)
	chq := depense("20/08/2026", "D1", ledger.Banque, "120", ledger.Line{Account: "62510008", Amount: eur("120")})
	chq.Mode, chq.Cheque = ledger.Cheque, "1234567"
	mustInsert(t, f.a1, chq)
	mustInsert(t, f.a1, recette("03/10/2025", "R2", ledger.Caisse, "30", "70800008"))
	f.subsidyOp, f.chequeOp = sub.ID, chq.ID
	if err := f.a1.SetFunder(ctx, sub.ID, "Mairie de Toulouse"); err != nil {
		t.Fatal(err)
	}
	return f
}

// closeA1 closes A1's book with its true closing balances: 1 414,56 € at
// the bank, 80 € in cash.
func closeA1(t *testing.T, f closingFixture) {
	t.Helper()
	ops, err := f.a1.BookOperations(context.Background(), ex25)
	if err != nil {
		t.Fatal(err)
	}
	var open []ledger.Operation
	for _, op := range ops {
		if op.Treasury == ledger.Banque && op.Ticked == nil {
			open = append(open, op)
		}
	}
	err = f.a1.CloseExercice(context.Background(), store.Closing{Exercice: ex25,
		Balances: ledger.Treasuries{Banque: eur("1414.56"), Caisse: eur("80"), Total: eur("1494.56")}, By: "M. Alpha (mandataire)", OpenItems: open})
	if err != nil {
		t.Fatalf("close: %v", err)
	}
}

func TestCloseExerciceMakesTheBookReadOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		closeA1(t, f)

		ex, err := f.a1.Exercice(ctx, ex25)
		if err != nil || ex.State != store.ExerciceClosed || ex.ClosedAt.IsZero() {
			t.Fatalf("exercice after closing = %+v, %v", ex, err)
		}
		next, err := f.a1.Exercice(ctx, "2026-2027")
		if err != nil || next.State != store.ExerciceOpen || next.OpeningBank != eur("1414.56") || next.OpeningCash != eur("80") {
			t.Fatalf("next exercice = %+v, %v (report à nouveau)", next, err)
		}

		// Every write path of the book refuses the closed exercice.
		const closed = "clôturé"
		_, err = f.a1.InsertOperation(ctx, ex25, recette("05/05/2026", "R9", ledger.Caisse, "5", "70800008"), "")
		wantInvalid(t, err, closed)
		rec, _ := f.a1.Operation(ctx, f.subsidyOp)
		changed := rec.Op
		changed.Libelle = "Subvention modifiée"
		wantInvalid(t, f.a1.UpdateOperation(ctx, &changed, 0), closed)
		wantInvalid(t, f.a1.DeleteOperation(ctx, f.chequeOp), closed)
		_, err = f.a1.AddCashCount(ctx, ex25, ledger.CashCount{Date: day("31/08/2026"), Counts: map[money.Money]int{1000: 8}})
		wantInvalid(t, err, closed)
		wantInvalid(t, f.a1.AddInventoryItem(ctx, ex25, day("02/02/2026"), "Piano offert", eur("100")), closed)
		wantInvalid(t, f.a1.SetFunder(ctx, f.subsidyOp, "Autre financeur"), closed)
		_, err = f.a1.ImportOperations(ctx, ex25, []ledger.Operation{*recette("05/05/2026", "R10", ledger.Caisse, "5", "70800008")})
		wantInvalid(t, err, closed)
		wantInvalid(t, f.a1.SetOpening(ctx, ex25, 0, 0), closed)
		wantInvalid(t, f.a1.CloseExercice(ctx, store.Closing{Exercice: ex25}), "déjà clôturé")
		// Ticking on the September statement is not a change of the figures.
		if err := f.a1.TickOperations(ctx, []int64{f.chequeOp}, ptr(day("10/09/2026"))); err != nil {
			t.Fatalf("tick after closing: %v", err)
		}

		hist, err := f.a1.ExerciceHistory(ctx, ex25)
		if err != nil || len(hist) != 1 || hist[0].Action != store.ExerciceClosing || hist[0].By != "M. Alpha (mandataire)" ||
			hist[0].ByUser == nil || *hist[0].ByUser != f.mandataire {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		items := hist[0].CarriedItems()
		if len(items) != 2 || items[1].ID != f.chequeOp || items[1].Montant != eur("-120") || items[1].Piece != "D1" {
			t.Fatalf("carried items = %+v", items)
		}
		st, err := f.a1.CRFState(ctx, ex25)
		if err != nil || st.ID == 0 || st.Status != store.CRFDraft || st.Source != store.BookKept {
			t.Fatalf("crf after closing = %+v, %v", st, err)
		}
	})
}

func TestReopenExercice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		closeA1(t, f)
		if _, err := f.a1.ValidateCRF(ctx, ex25); err != nil {
			t.Fatal(err)
		}

		// Only the coop's AD reopens, with a reason.
		wantInvalid(t, f.a1.ReopenExercice(ctx, ex25, "je me suis trompé", "M. Alpha"), "Seule votre AD")
		other, _ := db.ForCoop(ctx, f.coopA1, &f.staffB)
		wantInvalid(t, other.ReopenExercice(ctx, ex25, "intrusion", "Agent B"), "Seule votre AD")
		adA, _ := db.ForAD(ctx, f.adA.ID, &f.staffA)
		staff, err := adA.Coop(ctx, f.coopA1)
		if err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, staff.ReopenExercice(ctx, ex25, "  ", "Agent A"), "motif")
		if err := staff.ReopenExercice(ctx, ex25, "Facture de juin oubliée", "Agent A (AD)"); err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, staff.ReopenExercice(ctx, ex25, "encore", "Agent A (AD)"), "n'est pas clôturé")

		hist, _ := f.a1.ExerciceHistory(ctx, ex25)
		if len(hist) != 2 || hist[1].Action != store.ExerciceReopening || hist[1].Reason != "Facture de juin oubliée" ||
			*hist[1].ByUser != f.staffA {
			t.Fatalf("history = %+v", hist)
		}
		st, _ := f.a1.CRFState(ctx, ex25)
		if st.Status != store.CRFDraft || st.Figures != "" || st.SubsidiesValidated() {
			t.Fatalf("crf after reopening = %+v", st)
		}
		// The book takes the forgotten invoice; closing again moves the
		// next exercice's opening.
		mustInsert(t, f.a1, depense("15/06/2026", "D2", ledger.Banque, "14.56", ledger.Line{Account: "60600008", Amount: eur("14.56")}))
		err = f.a1.CloseExercice(ctx, store.Closing{Exercice: ex25, Balances: ledger.Treasuries{Banque: eur("1400"), Caisse: eur("80")}})
		if err != nil {
			t.Fatal(err)
		}
		next, _ := f.a1.Exercice(ctx, "2026-2027")
		if next.OpeningBank != eur("1400") || next.OpeningCash != eur("80") {
			t.Fatalf("next opening after a second closing = %+v", next)
		}
		if hist, _ := f.a1.ExerciceHistory(ctx, ex25); len(hist) != 3 {
			t.Fatalf("history keeps every closing and reopening: %d rows", len(hist))
		}
	})
}

func TestCloseRefusesANextExerciceClosedWithOtherBalances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		if err := f.a1.SetOpening(ctx, "2026-2027", eur("1"), 0); err != nil {
			t.Fatal(err)
		}
		if err := f.a1.SetExerciceStateForTest(ctx, "2026-2027", store.ExerciceClosed); err != nil {
			t.Fatal(err)
		}
		err := f.a1.CloseExercice(ctx, store.Closing{Exercice: ex25, Balances: ledger.Treasuries{Banque: eur("1414.56"), Caisse: eur("80")}})
		wantInvalid(t, err, "L'exercice suivant (2026-2027) est déjà clôturé")
		if ex, _ := f.a1.Exercice(ctx, ex25); ex.State != store.ExerciceOpen {
			t.Fatal("a refused closing left the exercice closed")
		}
	})
}

func TestExerciceOfCampaign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		cp, err := f.a1.Campaign(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if name, err := f.a1.ExerciceOfCampaign(ctx, cp.ID); err != nil || name != ex25 {
			t.Fatalf("exercice of campaign = %q, %v", name, err)
		}
		if _, err := f.b1.ExerciceOfCampaign(ctx, cp.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("another AD's campaign: %v, want not found", err)
		}
	})
}

func TestHistoryTimesAreUTC(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		at := time.Date(2026, 9, 3, 9, 30, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return at })
		f := setupClosing(t, db)
		closeA1(t, f)
		hist, _ := f.a1.ExerciceHistory(context.Background(), ex25)
		if len(hist) != 1 || !hist[0].At.Equal(at) {
			t.Fatalf("history at %v, want %v", hist[0].At, at)
		}
	})
}

func TestSeedClosings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupClosing(t, db)
		targets, err := db.System().ClosingTargets(ctx, f.adA.ID, ex25)
		if err != nil || len(targets) != 2 || targets[0].Coop.ID != f.coopA1 || targets[0].Dossier != nil || targets[0].HasCRF {
			t.Fatalf("targets = %+v, %v", targets, err)
		}
		books, err := db.System().ExercicesOperations(ctx, []store.Exercice{targets[0].Exercice, targets[1].Exercice})
		if err != nil || len(books[targets[0].Exercice.ID]) != 3 || len(books[targets[1].Exercice.ID]) != 0 {
			t.Fatalf("books = %+v, %v", books, err)
		}
		if ops := books[targets[0].Exercice.ID]; ops[0].Piece != "R2" || len(ops[2].Lines) != 1 || ops[2].Lines[0].Amount != eur("120") {
			t.Fatalf("book order or lines = %+v", ops)
		}
		r, _ := f.a1.CRF(ctx, ex25)
		at := time.Date(2026, 9, 12, 15, 0, 0, 0, time.UTC)
		seed := store.ClosingSeed{CoopID: f.coopA1, Exercice: targets[0].Exercice, CloseBook: true, CRF: r.CRF,
			Status: store.CRFLocked, Subsidies: true, At: at, By: "Démo"}
		for range 2 {
			if err := db.System().SeedClosings(ctx, []store.ClosingSeed{seed}); err != nil {
				t.Fatal(err)
			}
			seed.CloseBook = false // a second run only meets the existing rows
		}
		ex, _ := f.a1.Exercice(ctx, ex25)
		next, err := f.a1.Exercice(ctx, "2026-2027")
		if ex.State != store.ExerciceClosed || err != nil || next.OpeningBank != eur("1414.56") {
			t.Fatalf("seeded closing: %+v / %+v, %v", ex, next, err)
		}
		st, _ := f.a1.CRFState(ctx, ex25)
		snap, err := st.Snapshot()
		if st.Status != store.CRFLocked || !st.SubsidiesValidated() || err != nil || snap.TotalProduits != eur("330") {
			t.Fatalf("seeded crf = %+v, %v", st, err)
		}
		if hist, _ := f.a1.ExerciceHistory(ctx, ex25); len(hist) != 1 || hist[0].By != "Démo" {
			t.Fatalf("history = %+v", hist)
		}
	})
}
