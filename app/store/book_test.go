package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

const ex25 = "2025-2026"

// bookFixture is setup() with a chart for both ADs and the scopes of coop
// A1 (opening: 1 234,56 € at the bank, 50 € in cash) and of AD B's coop.
type bookFixture struct {
	fixture
	a1, b1 *store.CoopScope
}

func setupBook(t *testing.T, db *store.DB) bookFixture {
	t.Helper()
	ctx := context.Background()
	f := bookFixture{fixture: setup(t, db)}
	chart := []store.Account{
		{Code: "60600008", Label: "Achats de fournitures", Sense: "charge"},
		{Code: "62510008", Label: "Sorties et voyages", Sense: "charge"},
		{Code: "68000008", Label: "Achats de biens durables", Sense: "charge"},
		{Code: "70800008", Label: "Participation des familles", Sense: "produit"},
		{Code: "74400008", Label: "Subventions de la Commune", Sense: "produit"},
	}
	for _, ad := range []int64{f.adA.ID, f.adB.ID} {
		if err := db.System().SeedChart(ctx, ad, append([]store.Account(nil), chart...)); err != nil {
			t.Fatal(err)
		}
	}
	actor := int64(1)
	var err error
	if f.a1, err = db.ForCoop(ctx, f.coopA1, &actor); err != nil {
		t.Fatal(err)
	}
	if f.b1, err = db.ForCoop(ctx, f.coopB1, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

func day(s string) time.Time {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return d
}

func eur(s string) money.Money { return money.MustParse(s) }

func recette(date, piece string, t ledger.Treasury, amount, account string) *ledger.Operation {
	return &ledger.Operation{Date: day(date), Piece: piece, Libelle: "Recette " + piece, Kind: ledger.Recette,
		Mode: ledger.Especes, Treasury: t, Amount: eur(amount), Lines: []ledger.Line{{Account: account, Amount: eur(amount)}}}
}

func depense(date, piece string, t ledger.Treasury, amount string, lines ...ledger.Line) *ledger.Operation {
	return &ledger.Operation{Date: day(date), Piece: piece, Libelle: "Dépense " + piece, Kind: ledger.Depense,
		Mode: ledger.Especes, Treasury: t, Amount: eur(amount), Lines: lines}
}

func transfert(date, piece string, from, to ledger.Treasury, amount string) *ledger.Operation {
	return &ledger.Operation{Date: day(date), Piece: piece, Libelle: "Mouvement " + piece, Kind: ledger.Transfert,
		Mode: ledger.Especes, Treasury: from, Counterpart: to, Amount: eur(amount)}
}

func mustInsert(t *testing.T, c *store.CoopScope, op *ledger.Operation) {
	t.Helper()
	if _, err := c.InsertOperation(context.Background(), ex25, op, ""); err != nil {
		t.Fatalf("insert %s: %v", op.Piece, err)
	}
}

func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var inv *fault.Invalid
	if !errors.As(err, &inv) || !strings.Contains(inv.Msg, want) {
		t.Fatalf("err = %v, want *fault.Invalid containing %q", err, want)
	}
}

func TestBookInsertAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		split := depense("12/10/2025", "2", ledger.Banque, "150",
			ledger.Line{Account: "60600008", Amount: eur("100")}, ledger.Line{Account: "62510008", Amount: eur("50")})
		split.Mode, split.Cheque, split.Project = ledger.Cheque, "0012345", "Classe verte"
		mustInsert(t, f.a1, split)
		mustInsert(t, f.a1, recette("01/10/2025", "1", ledger.Caisse, "80", "70800008"))
		mustInsert(t, f.a1, transfert("12/10/2025", "3", ledger.Caisse, ledger.Banque, "100"))
		ops, err := f.a1.BookOperations(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != 3 || ops[0].Piece != "1" || ops[1].Piece != "2" || ops[2].Piece != "3" {
			t.Fatalf("book order = %+v", ops)
		}
		got := ops[1]
		if got.ID != split.ID || len(got.Lines) != 2 || got.Lines[1] != (ledger.Line{Account: "62510008", Amount: eur("50")}) ||
			got.Cheque != "0012345" || got.Project != "Classe verte" || got.Mode != ledger.Cheque || !got.Date.Equal(day("12/10/2025")) {
			t.Fatalf("split read back = %+v", got)
		}
		if ops[2].Counterpart != ledger.Banque || len(ops[2].Lines) != 0 {
			t.Fatalf("transfer read back = %+v", ops[2])
		}
		ex, _ := f.a1.Exercice(ctx, ex25)
		bal := ledger.NewBook(store.OpeningBalances(ex), ops).Closing()
		if bal[ledger.Banque] != eur("1234,56")-eur("150")+eur("100") || bal[ledger.Caisse] != eur("50")+eur("80")-eur("100") {
			t.Fatalf("balances = %v", bal)
		}
		if n, _ := db.System().AuditCount(ctx, f.coopA1, "operation.create"); n != 3 {
			t.Fatalf("audit rows = %d", n)
		}
		// Another coop sees neither the operations nor one of them by id.
		if ops, err := f.b1.BookOperations(ctx, ex25); err != nil || len(ops) != 0 {
			t.Fatalf("coop B book = %v, %v", ops, err)
		}
		if _, err := f.b1.Operation(ctx, split.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign operation: %v", err)
		}
		if _, err := f.a1.BookOperations(ctx, "2019-2020"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("missing exercice: %v", err)
		}
		chart, err := f.a1.Chart(ctx)
		if err != nil || chart.Label("74400008") != "Subventions de la Commune" || len(chart) != 5 {
			t.Fatalf("chart = %v, %v", chart, err)
		}
	})
}

func TestBookInsertRefusesBrokenRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		mustInsert(t, f.a1, recette("01/10/2025", "1", ledger.Caisse, "80", "70800008"))
		cases := []struct {
			name string
			op   *ledger.Operation
			want string
		}{
			{"unbalanced", depense("02/10/2025", "2", ledger.Banque, "150", ledger.Line{Account: "60600008", Amount: eur("100")}),
				"reste 50,00"},
			{"negative cash", depense("02/10/2025", "2", ledger.Caisse, "200", ledger.Line{Account: "60600008", Amount: eur("200")}),
				"caisse deviendrait négative"},
			{"same pièce", recette("03/10/2025", "1", ledger.Banque, "10", "70800008"), "déjà utilisée"},
			{"outside", recette("03/10/2026", "9", ledger.Banque, "10", "70800008"), "hors de l'exercice"},
			{"unknown account", recette("03/10/2025", "9", ledger.Banque, "10", "79999999"), "n'existe pas"},
			{"unknown régie", transfert("03/10/2025", "9", ledger.Banque, ledger.RegieTreasury("CE1"), "10"), "n'existe pas"},
		}
		for _, tc := range cases {
			_, err := f.a1.InsertOperation(ctx, ex25, tc.op, "")
			wantInvalid(t, err, tc.want)
			if !errors.Is(err, ledger.ErrInvalid) {
				t.Errorf("%s: the ledger error is not reachable: %v", tc.name, err)
			}
		}
		if ops, _ := f.a1.BookOperations(ctx, ex25); len(ops) != 1 {
			t.Fatalf("refused operations were written: %d", len(ops))
		}
		// A closed exercice refuses every write of the book.
		if err := f.a1.SetExerciceStateForTest(ctx, ex25, store.ExerciceClosed); err != nil {
			t.Fatal(err)
		}
		_, err := f.a1.InsertOperation(ctx, ex25, recette("03/10/2025", "9", ledger.Banque, "10", "70800008"), "")
		wantInvalid(t, err, "clôturé")
		if _, err := f.a1.ExerciceOpen(ctx, ex25); err == nil {
			t.Fatal("ExerciceOpen accepted a closed exercice")
		}
		// A read-only scope writes nothing.
		f.a1.SetExerciceStateForTest(ctx, ex25, store.ExerciceOpen)
		_, err = f.a1.AsReadOnly().InsertOperation(ctx, ex25, recette("03/10/2025", "9", ledger.Banque, "10", "70800008"), "")
		if !errors.Is(err, fault.ErrReadOnly) {
			t.Fatalf("read-only insert: %v", err)
		}
	})
}

func TestBookInsertIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		first := recette("01/10/2025", "1", ledger.Banque, "80", "70800008")
		created, err := f.a1.InsertOperation(ctx, ex25, first, "k-1")
		if err != nil || !created {
			t.Fatalf("first insert: %v, %v", created, err)
		}
		// A retried POST (even with another pièce typed) gives the same row.
		again := recette("01/10/2025", "2", ledger.Banque, "80", "70800008")
		created, err = f.a1.InsertOperation(ctx, ex25, again, "k-1")
		if err != nil || created || again.ID != first.ID {
			t.Fatalf("retry: created=%v id=%d want %d, %v", created, again.ID, first.ID, err)
		}
		// Concurrent double submissions create one operation.
		var wg sync.WaitGroup
		results := make([]bool, 6)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				op := recette("02/10/2025", "3", ledger.Banque, "5", "70800008")
				c, err := f.a1.InsertOperation(ctx, ex25, op, "k-2")
				if err != nil {
					t.Errorf("concurrent insert: %v", err)
				}
				results[i] = c
			}()
		}
		wg.Wait()
		n := 0
		for _, c := range results {
			if c {
				n++
			}
		}
		ops, _ := f.a1.BookOperations(ctx, ex25)
		if n != 1 || len(ops) != 2 {
			t.Fatalf("created %d times, book has %d operations", n, len(ops))
		}
		// The same key in another coop is another operation.
		op := recette("01/10/2025", "1", ledger.Banque, "80", "70800008")
		if created, err := f.b1.InsertOperation(ctx, ex25, op, "k-1"); err != nil || !created {
			t.Fatalf("other coop, same key: %v, %v", created, err)
		}
	})
}

func TestBookConcurrentWritesKeepCashPositive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		// 50 € in the caisse; five concurrent 20 € withdrawals: two fit.
		var wg sync.WaitGroup
		for i := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				op := depense("02/10/2025", "D"+string(rune('a'+i)), ledger.Caisse, "20", ledger.Line{Account: "60600008", Amount: eur("20")})
				_, _ = f.a1.InsertOperation(ctx, ex25, op, "")
			}()
		}
		wg.Wait()
		ops, _ := f.a1.BookOperations(ctx, ex25)
		ex, _ := f.a1.Exercice(ctx, ex25)
		book := ledger.NewBook(store.OpeningBalances(ex), ops)
		if len(ops) != 2 || book.CheckCash() != nil {
			t.Fatalf("%d withdrawals accepted, caisse %v", len(ops), book.Closing()[ledger.Caisse])
		}
	})
}

func TestBookUpdateDeleteTick(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		in := recette("01/10/2025", "1", ledger.Caisse, "80", "70800008")
		mustInsert(t, f.a1, in)
		out := depense("05/10/2025", "2", ledger.Caisse, "100", ledger.Line{Account: "60600008", Amount: eur("100")})
		mustInsert(t, f.a1, out)
		// Moving the recette after the dépense would empty the caisse.
		moved := *in
		moved.Date = day("06/10/2025")
		wantInvalid(t, f.a1.UpdateOperation(ctx, &moved, 0), "caisse deviendrait négative")
		// Deleting the recette likewise.
		wantInvalid(t, f.a1.DeleteOperation(ctx, in.ID), "caisse deviendrait négative")
		// A valid edit: split the recette in two accounts, keep its pièce.
		edit := *in
		edit.Libelle = "Photos et dons"
		edit.Amount = eur("90")
		edit.Lines = []ledger.Line{{Account: "70800008", Amount: eur("60")}, {Account: "74400008", Amount: eur("30")}}
		if err := f.a1.UpdateOperation(ctx, &edit, 0); err != nil {
			t.Fatal(err)
		}
		rec, err := f.a1.Operation(ctx, in.ID)
		if err != nil || rec.Op.Libelle != "Photos et dons" || len(rec.Op.Lines) != 2 || rec.Op.Amount != eur("90") || rec.Exercice != ex25 {
			t.Fatalf("after update = %+v, %v", rec, err)
		}
		if n, _ := db.System().AuditCount(ctx, f.coopA1, "operation.update"); n != 1 {
			t.Fatalf("update audit rows = %d", n)
		}
		if err := f.a1.SetFunder(ctx, in.ID, "Mairie de Toulouse"); err != nil {
			t.Fatal(err)
		}
		// Foreign ids are not found, for every write.
		if err := f.b1.DeleteOperation(ctx, in.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign delete: %v", err)
		}
		foreign := edit
		if err := f.b1.UpdateOperation(ctx, &foreign, 0); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign update: %v", err)
		}
		if err := f.b1.TickOperations(ctx, []int64{in.ID}, ptr(day("31/10/2025"))); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign tick: %v", err)
		}
		// Ticking works on a closed exercice; editing does not.
		bank := recette("07/10/2025", "3", ledger.Banque, "10", "70800008")
		mustInsert(t, f.a1, bank)
		f.a1.SetExerciceStateForTest(ctx, ex25, store.ExerciceClosed)
		if err := f.a1.TickOperations(ctx, []int64{bank.ID}, ptr(day("30/09/2026"))); err != nil {
			t.Fatalf("tick on closed exercice: %v", err)
		}
		rec, _ = f.a1.Operation(ctx, bank.ID)
		if rec.Op.Ticked == nil || !rec.Op.Ticked.Equal(day("30/09/2026")) {
			t.Fatalf("ticked = %v", rec.Op.Ticked)
		}
		wantInvalid(t, f.a1.DeleteOperation(ctx, out.ID), "clôturé")
		f.a1.SetExerciceStateForTest(ctx, ex25, store.ExerciceOpen)
		if err := f.a1.TickOperations(ctx, []int64{bank.ID}, nil); err != nil {
			t.Fatal(err)
		}
		if rec, _ = f.a1.Operation(ctx, bank.ID); rec.Op.Ticked != nil {
			t.Fatal("pointage not cleared")
		}
		// Deleting the dépense, then the recette with its funder.
		if err := f.a1.DeleteOperation(ctx, out.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.a1.DeleteOperation(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		if funders, _ := f.a1.Funders(ctx); len(funders) != 0 {
			t.Fatalf("funder survived its operation: %v", funders)
		}
		if ops, _ := f.a1.BookOperations(ctx, ex25); len(ops) != 1 {
			t.Fatalf("book after deletes = %d", len(ops))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestBookCacheFollowsEveryWrite reads the book after each kind of write:
// the cached book must never be stale.
func TestBookCacheFollowsEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupBook(t, db)
		read := func() []ledger.Operation {
			t.Helper()
			b, err := f.a1.Book(ctx, ex25)
			if err != nil {
				t.Fatal(err)
			}
			return b.Ops
		}
		if len(read()) != 0 {
			t.Fatal("empty book not empty")
		}
		op := recette("01/10/2025", "1", ledger.Banque, "80", "70800008")
		mustInsert(t, f.a1, op)
		if ops := read(); len(ops) != 1 || ops[0].Amount != eur("80") {
			t.Fatalf("after insert: %+v", ops)
		}
		read() // cached now
		edit := *op
		edit.Amount, edit.Lines = eur("90"), []ledger.Line{{Account: "70800008", Amount: eur("90")}}
		if err := f.a1.UpdateOperation(ctx, &edit, 0); err != nil {
			t.Fatal(err)
		}
		if ops := read(); ops[0].Amount != eur("90") || ops[0].Lines[0].Amount != eur("90") {
			t.Fatalf("after update: %+v", ops)
		}
		if err := f.a1.TickOperations(ctx, []int64{op.ID}, ptr(day("31/10/2025"))); err != nil {
			t.Fatal(err)
		}
		if ops := read(); ops[0].Ticked == nil {
			t.Fatal("after tick: not ticked")
		}
		more, err := ledger.ParseBookCSV(strings.NewReader("date;piece;libelle;tresorerie;compte;recette;depense\n02/10/2025;2;Dons;banque;70800008;5;\n"),
			ledger.Exercice{StartYear: 2025}, ledger.Chart{"70800008": "x"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a1.ImportOperations(ctx, ex25, more); err != nil {
			t.Fatal(err)
		}
		if ops := read(); len(ops) != 2 {
			t.Fatalf("after import: %d", len(ops))
		}
		if err := f.a1.DeleteOperation(ctx, op.ID); err != nil {
			t.Fatal(err)
		}
		if ops := read(); len(ops) != 1 {
			t.Fatalf("after delete: %d", len(ops))
		}
		// The demo's bulk path too.
		ex, _ := f.a1.Exercice(ctx, ex25)
		if err := db.System().BulkInsertOperations(ctx, []store.BulkBook{{CoopID: f.coopA1, ExerciceID: ex.ID,
			Regies: []ledger.Regie{{ID: "CE1", Label: "Mme A"}},
			Ops:    []ledger.Operation{*recette("03/10/2025", "3", ledger.Caisse, "7", "70800008")}}}); err != nil {
			t.Fatal(err)
		}
		if ops := read(); len(ops) != 2 {
			t.Fatalf("after bulk insert: %d", len(ops))
		}
		if r, _ := f.a1.LedgerRegies(ctx); len(r) != 1 {
			t.Fatalf("bulk régies = %v", r)
		}
	})
}
