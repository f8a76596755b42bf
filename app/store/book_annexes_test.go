package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func TestRegiesAndImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		if _, err := f.a1.CreateRegie(ctx, "CE1", "Mme Martin"); err != nil {
			t.Fatal(err)
		}
		_, err := f.a1.CreateRegie(ctx, "ce1", "Autre")
		wantInvalid(t, err, "existe déjà")
		_, err = f.a1.CreateRegie(ctx, "CE 2", "x")
		wantInvalid(t, err, "sans espace")
		// The same code in another coop is another régie.
		if _, err := f.b1.CreateRegie(ctx, "CE1", "M. Bêta"); err != nil {
			t.Fatal(err)
		}
		ops := []ledger.Operation{
			*transfert("01/10/2025", "T1", ledger.Banque, ledger.RegieTreasury("CE1"), "100"),
			*depense("02/10/2025", "D1", ledger.RegieTreasury("CE1"), "60", ledger.Line{Account: "60600008", Amount: eur("60")}),
			*transfert("03/10/2025", "T2", ledger.Banque, ledger.RegieTreasury("CM2"), "20"),
		}
		n, err := f.a1.ImportOperations(ctx, ex25, ops)
		if err != nil || n != 3 {
			t.Fatalf("import: %d, %v", n, err)
		}
		regies, _ := f.a1.LedgerRegies(ctx)
		if len(regies) != 2 || regies[1].ID != "CM2" {
			t.Fatalf("régies = %+v (the file's CM2 must be opened)", regies)
		}
		if n, _ := db.System().AuditCount(ctx, f.coopA1, "cahier.import"); n != 1 {
			t.Errorf("import audit rows = %d", n)
		}
		// All or nothing: one bad operation (pièce taken) writes nothing.
		again := []ledger.Operation{*recette("05/10/2025", "R9", ledger.Banque, "5", "70800008"),
			*recette("05/10/2025", "T1", ledger.Banque, "5", "70800008")}
		_, err = f.a1.ImportOperations(ctx, ex25, again)
		wantInvalid(t, err, "« T1 »")
		// The régie would go negative.
		neg := []ledger.Operation{*depense("04/10/2025", "D2", ledger.RegieTreasury("CE1"), "50", ledger.Line{Account: "60600008", Amount: eur("50")})}
		_, err = f.a1.ImportOperations(ctx, ex25, neg)
		wantInvalid(t, err, "régie « CE1 » deviendrait négative")
		if got, _ := f.a1.BookOperations(ctx, ex25); len(got) != 3 {
			t.Fatalf("refused imports wrote operations: %d", len(got))
		}
		// A closed exercice refuses imports.
		f.a1.SetExerciceStateForTest(ctx, ex25, store.ExerciceClosed)
		_, err = f.a1.ImportOperations(ctx, ex25, []ledger.Operation{*recette("05/10/2025", "R9", ledger.Banque, "5", "70800008")})
		wantInvalid(t, err, "clôturé")
	})
}

func TestCashCountsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		mustInsert(t, f.a1, recette("01/10/2025", "1", ledger.Caisse, "80", "70800008"))
		// 50 € opening + 80 €: 130 € in the box from 01/10.
		rec, err := f.a1.AddCashCount(ctx, ex25, ledger.CashCount{Date: day("15/10/2025"),
			Counts: map[money.Money]int{10000: 1, 2000: 1, 1000: 1}})
		if err != nil || !rec.Check.OK() || !strings.HasPrefix(rec.Check.Message(), "Bravo") {
			t.Fatalf("equal count: %+v, %v", rec, err)
		}
		// On 30/09 the book had 50 €: 30 € too much.
		rec, err = f.a1.AddCashCount(ctx, ex25, ledger.CashCount{Date: day("30/09/2025"), Counts: map[money.Money]int{5000: 1, 2000: 1, 1000: 1}})
		if err != nil || rec.Check.Gap != eur("30") {
			t.Fatalf("gap: %+v, %v", rec, err)
		}
		_, err = f.a1.AddCashCount(ctx, ex25, ledger.CashCount{Date: day("15/10/2025"), Counts: map[money.Money]int{300: 1}})
		wantInvalid(t, err, "n'est pas un billet")
		_, err = f.a1.AddCashCount(ctx, ex25, ledger.CashCount{Date: day("15/10/2026"), Counts: map[money.Money]int{100: 1}})
		wantInvalid(t, err, "hors de l'exercice")
		hist, err := f.a1.CashCounts(ctx, ex25)
		if err != nil || len(hist) != 2 || !hist[0].Count.Date.Equal(day("15/10/2025")) || hist[0].Count.Counts[2000] != 1 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		last, _ := f.a1.LastCashCount(ctx, ex25)
		if last == nil || last.Total() != eur("130") {
			t.Fatalf("last count = %+v", last)
		}
		if hist, _ := f.b1.CashCounts(ctx, ex25); len(hist) != 0 {
			t.Fatal("another coop sees the counts")
		}
	})
}

func TestInventoryAndFunders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		buy := depense("15/01/2026", "D7", ledger.Banque, "450", ledger.Line{Account: "68000008", Amount: eur("300")},
			ledger.Line{Account: "68000008", Amount: eur("120")}, ledger.Line{Account: "60600008", Amount: eur("30")})
		mustInsert(t, f.a1, buy)
		if err := f.a1.AddInventoryItem(ctx, ex25, day("03/02/2026"), "Piano offert", eur("150")); err != nil {
			t.Fatal(err)
		}
		err := f.a1.AddInventoryItem(ctx, ex25, day("03/02/2027"), "Piano", 0)
		wantInvalid(t, err, "hors de l'exercice")
		inv, err := f.a1.Inventory(ctx, ex25)
		if err != nil || len(inv) != 3 || inv[0].Value != eur("300") || inv[2].Description != "Piano offert" || inv[2].OperationID != 0 {
			t.Fatalf("inventory = %+v, %v", inv, err)
		}
		ref := inv[1].Ref
		if err := f.a1.UpdateInventory(ctx, store.InventoryChange{Ref: ref, Description: "Appareil photo", DisposedOn: ptr(day("30/06/2026"))}); err != nil {
			t.Fatal(err)
		}
		// Twice: the note is updated, not duplicated.
		if err := f.a1.UpdateInventory(ctx, store.InventoryChange{Ref: ref, Description: "Appareil photo reflex", DisposedOn: ptr(day("30/06/2026"))}); err != nil {
			t.Fatal(err)
		}
		inv, _ = f.a1.Inventory(ctx, ex25)
		if inv[1].Description != "Appareil photo reflex" || inv[1].DisposedOn == nil || inv[0].Description != "Dépense D7" {
			t.Fatalf("after note = %+v", inv)
		}
		// Disposed of before the next exercice: not in its register.
		if err := f.a1.SetOpening(ctx, "2026-2027", 0, 0); err != nil {
			t.Fatal(err)
		}
		next, _ := f.a1.Inventory(ctx, "2026-2027")
		if len(next) != 2 {
			t.Fatalf("next year's register = %+v", next)
		}
		for _, bad := range []string{"op-999999-0", "item-999999", "x", "op-" + itoa(buy.ID) + "-7"} {
			if err := f.a1.UpdateInventory(ctx, store.InventoryChange{Ref: bad, Description: "x"}); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("ref %s: %v", bad, err)
			}
		}
		if err := f.b1.UpdateInventory(ctx, store.InventoryChange{Ref: ref, Description: "volé"}); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("foreign ref: %v", err)
		}
		// Funders.
		sub := recette("12/11/2025", "R1", ledger.Banque, "500", "74400008")
		mustInsert(t, f.a1, sub)
		if err := f.a1.SetFunder(ctx, sub.ID, "  Mairie  "); err != nil {
			t.Fatal(err)
		}
		if err := f.a1.SetFunder(ctx, sub.ID, "Commune de Muret"); err != nil {
			t.Fatal(err)
		}
		funders, _ := f.a1.Funders(ctx)
		if len(funders) != 1 || funders[sub.ID] != "Commune de Muret" {
			t.Fatalf("funders = %v", funders)
		}
		if err := f.b1.SetFunder(ctx, sub.ID, "x"); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("foreign funder: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
