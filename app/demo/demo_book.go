package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// demoBookCoopsPerTx is how many generated books go into one transaction.
const demoBookCoopsPerTx = 100

// seedDemoBooks fills the demo exercice of every coop of the AD that keeps
// its book here and has no operation yet: o.Operations per coop, or a
// realistic year of 60 to 120 operations. Deterministic for a seed.
func seedDemoBooks(ctx context.Context, db *store.DB, adID int64, o Options, exercice string) error {
	ex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return fmt.Errorf("seed demo books: %w", err)
	}
	targets, err := db.System().BookTargets(ctx, adID, exercice)
	targets = slices.DeleteFunc(targets, func(t store.BookTarget) bool { return !o.owns(t.UAI) })
	if err != nil {
		return err
	}
	var batch []store.BulkBook
	for _, t := range targets {
		if t.HasOps || t.BookMode != store.BookKept {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(t.UAI))
		g := NewDemoYear(rand.New(rand.NewPCG(o.Seed, h.Sum64())), ex,
			ledger.Balances{ledger.Banque: t.Exercice.OpeningBank, ledger.Caisse: t.Exercice.OpeningCash})
		n := o.Operations
		if n <= 0 {
			n = 60 + g.rng.IntN(61)
		}
		ops := g.Generate(n)
		batch = append(batch, store.BulkBook{CoopID: t.CoopID, ExerciceID: t.Exercice.ID, Regies: g.Regies(), Ops: ops})
		if len(batch) == demoBookCoopsPerTx {
			if err := db.System().BulkInsertOperations(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		return db.System().BulkInsertOperations(ctx, batch)
	}
	return nil
}

// demoYear generates one coop's year of operations, keeping track of the
// balances so that the caisse and the régie never go negative.
type DemoYear struct {
	rng     *rand.Rand
	ex      ledger.Exercice
	bal     ledger.Balances
	ops     []ledger.Operation
	cheque  int
	regie   ledger.Regie
	planned []demoEvent
}

// demoEvent is an operation of the school year that every coop has, due
// from a day of the year (days after 1 September).
type demoEvent struct {
	day  int
	make func(g *DemoYear, d time.Time) (ledger.Operation, bool)
}

func NewDemoYear(rng *rand.Rand, ex ledger.Exercice, opening ledger.Balances) *DemoYear {
	g := &DemoYear{rng: rng, ex: ex, bal: opening.Clone(), cheque: 4200000 + rng.IntN(90000),
		regie: ledger.Regie{ID: "CE1", Label: demoFirst[rng.IntN(len(demoFirst))] + " " + demoLast[rng.IntN(len(demoLast))] + ", CE1"}}
	g.planned = demoCalendar()
	return g
}

func (g *DemoYear) Regies() []ledger.Regie { return []ledger.Regie{g.regie} }

// generate returns exactly n valid operations spread over the year.
func (g *DemoYear) Generate(n int) []ledger.Operation {
	// The year runs from early September to mid-July, plus a few summer days.
	span := 320
	for i := 0; i < n; i++ {
		day := 1 + i*span/max(n, 1) + g.rng.IntN(max(1, span/max(n, 1)))
		d := g.ex.Debut().AddDate(0, 0, min(day, 363))
		op, ok := g.nextPlanned(d, i, n)
		if !ok {
			op = g.filler(d)
		}
		g.add(op)
	}
	return g.ops
}

// nextPlanned returns the first planned event due by d, if it can happen.
// The last slots are kept for the settlement of the régie.
func (g *DemoYear) nextPlanned(d time.Time, i, n int) (ledger.Operation, bool) {
	if i == n-1 {
		return g.settleRegie(d), g.bal[g.regie.Treasury()] > 0
	}
	for len(g.planned) > 0 {
		ev := g.planned[0]
		if d.Before(g.ex.Debut().AddDate(0, 0, ev.day)) {
			return ledger.Operation{}, false
		}
		g.planned = g.planned[1:]
		if op, ok := ev.make(g, d); ok {
			return op, true
		}
	}
	return ledger.Operation{}, false
}

// add numbers the operation, ticks old bank operations and updates the
// balances.
func (g *DemoYear) add(op ledger.Operation) {
	op.Piece = strconv.Itoa(len(g.ops) + 1)
	if op.Mode == ledger.Cheque && op.Kind == ledger.Depense {
		g.cheque++
		op.Cheque = strconv.Itoa(g.cheque)
	}
	// Bank operations up to May are on a statement (ticked at the end of
	// the month they reach the bank); the last months are left to the
	// bank reconciliation.
	if op.Touches(ledger.Banque) && op.Date.Month() != time.June && op.Date.Month() != time.July && op.Date.Month() != time.August {
		st := time.Date(op.Date.Year(), op.Date.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		if op.Date.Day() > 25 {
			st = time.Date(op.Date.Year(), op.Date.Month()+2, 0, 0, 0, 0, 0, time.UTC)
		}
		op.Ticked = &st
	}
	for _, t := range []ledger.Treasury{ledger.Banque, ledger.Caisse, g.regie.Treasury()} {
		g.bal[t] += op.Delta(t)
	}
	g.ops = append(g.ops, op)
}

// eur returns an amount between lo and hi euros, in whole euros or, with
// cents, when cents is true.
func (g *DemoYear) eur(lo, hi int, cents bool) money.Money {
	m := money.Money((lo + g.rng.IntN(hi-lo+1)) * 100)
	if cents {
		m += money.Money(g.rng.IntN(100))
	}
	return m
}

func recetteOp(d time.Time, libelle string, mode ledger.Mode, t ledger.Treasury, amount money.Money, account, project string) ledger.Operation {
	return ledger.Operation{Date: d, Libelle: libelle, Kind: ledger.Recette, Mode: mode, Treasury: t, Amount: amount,
		Lines: []ledger.Line{{Account: account, Amount: amount}}, Project: project}
}

func depenseOp(d time.Time, libelle string, mode ledger.Mode, t ledger.Treasury, project string, lines ...ledger.Line) ledger.Operation {
	op := ledger.Operation{Date: d, Libelle: libelle, Kind: ledger.Depense, Mode: mode, Treasury: t, Lines: lines, Project: project}
	op.Amount = op.Ventilated()
	return op
}

func transferOp(d time.Time, libelle string, mode ledger.Mode, from, to ledger.Treasury, amount money.Money) ledger.Operation {
	return ledger.Operation{Date: d, Libelle: libelle, Kind: ledger.Transfert, Mode: mode, Treasury: from, Counterpart: to, Amount: amount}
}
