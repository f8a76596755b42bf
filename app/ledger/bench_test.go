package ledger

import (
	"math/rand/v2"
	"testing"
)

// benchCoop is one coop's book as the store would hand it over.
type benchCoop struct {
	opening Balances
	ops     []Operation
}

// benchCoops generates n coops of m valid operations each (régies included);
// openings are large enough that the caisse never goes negative, so every
// check walks the whole book.
func benchCoops(n, m int) []benchCoop {
	coops := make([]benchCoop, n)
	for c := range coops {
		r := rand.New(rand.NewPCG(uint64(c), 42))
		g := &gen{r: r, regies: []Regie{{ID: "CE1"}, {ID: "CM2"}}}
		ops := make([]Operation, 0, m)
		pieces := make([]string, 0, m)
		for id := 1; id <= m; id++ {
			op := g.op(int64(id), pieces[max(0, len(pieces)-3):])
			ops = append(ops, op)
			pieces = append(pieces, op.Piece)
		}
		coops[c] = benchCoop{opening: Balances{Banque: 1e9, Caisse: 1e9, RegieTreasury("CE1"): 1e9, RegieTreasury("CM2"): 1e9}, ops: ops}
	}
	return coops
}

// balancesAndTotals is the work of showing a book: sorted book, running
// balances, cash check, closing balances and per-account totals.
func balancesAndTotals(b *testing.B, c benchCoop) {
	book := NewBook(c.opening, c.ops)
	entries := book.Entries()
	if err := book.CheckCash(); err != nil {
		b.Fatal(err)
	}
	closing := book.Closing()
	totals := ComputeTotals(book.Ops)
	if len(entries) != len(c.ops) || len(totals.Accounts()) == 0 || closing.Total()-c.opening.Total() != totals.Resultat() {
		b.Fatal("inconsistent book")
	}
}

func BenchmarkBalancesAndTotals2000Coops(b *testing.B) {
	coops := benchCoops(2000, 400)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range coops {
			balancesAndTotals(b, c)
		}
	}
}

func BenchmarkBalancesAndTotalsOneCoop(b *testing.B) {
	coop := benchCoops(1, 400)[0]
	b.ReportAllocs()
	for b.Loop() {
		balancesAndTotals(b, coop)
	}
}

func BenchmarkComputeCRFOneCoop(b *testing.B) {
	coop := benchCoops(1, 400)[0]
	b.ReportAllocs()
	for b.Loop() {
		ComputeCRF(CRFMeta{Exercice: ex2025}, coop.opening.Treasuries(), coop.ops, testChart, nil)
	}
}
