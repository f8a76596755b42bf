package demo

import (
	"errors"
	"math/rand/v2"
	"testing"

	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
)

// seedLedgerChart is the seed chart in the ledger's shape.
func seedLedgerChart() ledger.Chart {
	ch := ledger.Chart{}
	for _, a := range service.SeedChart() {
		ch[a.Code] = a.Label
	}
	return ch
}

// TestDemoYearIsAValidBook generates books of many sizes and seeds and
// checks every one with the ledger's rules: each operation valid, pièces
// unique, caisse and régie never negative, régie settled, exact size.
func TestDemoYearIsAValidBook(t *testing.T) {
	ex := ledger.Exercice{StartYear: 2025}
	chart := seedLedgerChart()
	for _, n := range []int{1, 2, 5, 20, 60, 120, 400, 1000} {
		for seed := uint64(1); seed <= 12; seed++ {
			opening := ledger.Balances{ledger.Banque: money.Money(seed * 15000), ledger.Caisse: money.Money(seed * 700 % 9000)}
			g := NewDemoYear(rand.New(rand.NewPCG(seed, 7)), ex, opening)
			ops := g.Generate(n)
			if len(ops) != n {
				t.Fatalf("n=%d seed=%d: %d operations", n, seed, len(ops))
			}
			ctx := ledger.Context{Exercice: ex, Chart: chart, Regies: g.Regies(), Pieces: map[string]int64{}}
			for i := range ops {
				ops[i].ID = int64(i + 1)
				if err := ledger.Validate(ops[i], ctx); err != nil {
					t.Fatalf("n=%d seed=%d: operation %d (%s) invalid: %v", n, seed, i, ops[i].Libelle, err)
				}
				ctx.Pieces[ledger.PieceKey(ops[i].Piece)] = ops[i].ID
			}
			book := ledger.NewBook(opening, ops)
			if err := book.CheckCash(); err != nil {
				t.Fatalf("n=%d seed=%d: %v", n, seed, err)
			}
			closing := book.Closing()
			if p := ledger.UnsettledRegies(g.Regies(), closing); len(p) > 0 {
				t.Fatalf("n=%d seed=%d: %v", n, seed, p)
			}
			if closing[ledger.Banque] < 0 {
				t.Errorf("n=%d seed=%d: bank ends overdrawn (%v)", n, seed, closing[ledger.Banque])
			}
			var negative *ledger.NegativeError
			if errors.As(book.CheckCash(), &negative) {
				t.Fatal(negative)
			}
		}
	}
}

// TestDemoYearIsRealistic checks that a default-sized year has the events
// the demo promises.
func TestDemoYearIsRealistic(t *testing.T) {
	g := NewDemoYear(rand.New(rand.NewPCG(31, 310100)), ledger.Exercice{StartYear: 2025},
		ledger.Balances{ledger.Banque: 250000, ledger.Caisse: 5000})
	ops := g.Generate(90)
	want := map[string]bool{"cheque recette": false, "cash recette": false, "subsidy": false, "split": false,
		"deposit": false, "fees": false, "trip": false, "photos": false, "regie": false, "inventory": false}
	for _, op := range ops {
		switch {
		case op.Kind == ledger.Recette && op.Mode == ledger.Remise:
			want["cheque recette"] = true
		case op.Kind == ledger.Recette && op.Treasury == ledger.Caisse:
			want["cash recette"] = true
		case op.Kind == ledger.Transfert && op.Treasury == ledger.Caisse && op.Counterpart == ledger.Banque:
			want["deposit"] = true
		case op.Kind == ledger.Transfert && op.Counterpart.IsRegie():
			want["regie"] = true
		}
		for _, l := range op.Lines {
			switch {
			case ledger.SubsidyAccount(l.Account):
				want["subsidy"] = true
			case l.Account == "62700008":
				want["fees"] = true
			case l.Account == "62510008":
				want["trip"] = true
			case l.Account == "70700008":
				want["photos"] = true
			case l.Account == ledger.AccountInventaire:
				want["inventory"] = true
			}
		}
		if len(op.Lines) == 2 && op.Lines[0].Account == "62810008" && op.Lines[1].Account == "61681008" {
			want["split"] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("demo year lacks: %s", k)
		}
	}
	// Same seed, same book.
	again := NewDemoYear(rand.New(rand.NewPCG(31, 310100)), ledger.Exercice{StartYear: 2025},
		ledger.Balances{ledger.Banque: 250000, ledger.Caisse: 5000}).Generate(90)
	for i := range ops {
		if ops[i].Libelle != again[i].Libelle || ops[i].Amount != again[i].Amount || !ops[i].Date.Equal(again[i].Date) {
			t.Fatalf("generation is not deterministic at %d", i)
		}
	}
}
