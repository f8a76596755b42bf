package ledger

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"retkoop/app/money"
)

var (
	chargeAccounts  = []string{"60600008", "61681008", "62510008", "62810008", "68000008"}
	produitAccounts = []string{"70800008", "74400008", "74300008", "75600008"}
)

// gen builds random but valid books.
type gen struct {
	r      *rand.Rand
	regies []Regie
	cheque int
}

func (g *gen) amount(max int64) money.Money { return money.Money(1 + g.r.Int64N(max)) }

func (g *gen) date() time.Time {
	return ex2025.Debut().AddDate(0, 0, g.r.IntN(365))
}

// split ventilates amount over 1 to 3 accounts.
func (g *gen) split(amount money.Money, accounts []string) []Line {
	n := 1 + g.r.IntN(3)
	if int64(amount) < int64(n) {
		n = 1
	}
	var lines []Line
	rest := amount
	for i := 0; i < n-1; i++ {
		part := money.Money(1 + g.r.Int64N(int64(rest)-int64(n-1-i)))
		lines = append(lines, Line{accounts[g.r.IntN(len(accounts))], part})
		rest -= part
	}
	return append(lines, Line{accounts[g.r.IntN(len(accounts))], rest})
}

func (g *gen) treasury(withRegies bool) Treasury {
	ts := []Treasury{Banque, Caisse}
	if withRegies {
		for _, r := range g.regies {
			ts = append(ts, r.Treasury())
		}
	}
	return ts[g.r.IntN(len(ts))]
}

// op returns a random valid operation (it may still make cash negative).
func (g *gen) op(id int64, pieces []string) Operation {
	op := Operation{ID: id, Date: g.date(), Libelle: "op " + strconv.FormatInt(id, 10), Mode: Modes[g.r.IntN(len(Modes))]}
	switch k := g.r.IntN(10); {
	case k < 4:
		op.Kind, op.Treasury, op.Amount = Recette, g.treasury(false), g.amount(80000)
		op.Lines = g.split(op.Amount, produitAccounts)
	case k < 8:
		op.Kind, op.Treasury, op.Amount = Depense, g.treasury(true), g.amount(30000)
		op.Lines = g.split(op.Amount, chargeAccounts)
	default:
		op.Kind, op.Amount = Transfert, g.amount(20000)
		op.Treasury = g.treasury(true)
		for op.Counterpart == "" || op.Counterpart == op.Treasury || (op.Treasury.IsRegie() && op.Counterpart.IsRegie()) {
			op.Counterpart = g.treasury(true)
		}
	}
	if op.Mode == Cheque {
		g.cheque++
		op.Cheque = strconv.Itoa(1000000 + g.cheque)
	}
	if g.r.IntN(5) == 0 {
		op.Project = "projet " + strconv.Itoa(g.r.IntN(3))
	}
	op.Piece = NextPiece(pieces, op.Kind)
	return op
}

// negativeOracle recomputes, naively and independently of Book, whether the
// caisse or a régie ends a day negative.
func negativeOracle(opening Balances, ops []Operation) bool {
	for t, m := range opening {
		if mustStayPositive(t) && m < 0 {
			return true
		}
	}
	for _, d := range ops {
		k := dayKey(d.Date)
		bal := opening.Clone()
		for _, op := range ops {
			if dayKey(op.Date) > k {
				continue
			}
			for _, t := range []Treasury{op.Treasury, op.Counterpart} {
				if t != "" {
					bal[t] += op.Delta(t)
				}
			}
			if op.Kind == Transfert && op.Treasury == op.Counterpart {
				panic("generator made a transfer to itself")
			}
		}
		for t, m := range bal {
			if mustStayPositive(t) && m < 0 {
				return true
			}
		}
	}
	return false
}

// corruption breaks a valid operation and says the message expected.
type corruption struct {
	kinds []Kind
	apply func(op *Operation, others []Operation, r *rand.Rand)
	want  string
}

var corruptions = []corruption{
	{[]Kind{Recette, Depense}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Lines[0].Amount += money.Money(1 + r.Int64N(5000))
	}, "ne correspond pas au montant"},
	{[]Kind{Recette, Depense}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Amount += money.Money(1 + r.Int64N(5000))
	}, "à ventiler"},
	{[]Kind{Recette, Depense, Transfert}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Amount = -money.Money(r.Int64N(100))
	}, "le montant doit être supérieur à zéro"},
	{[]Kind{Recette, Depense, Transfert}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Date = ex2025.Fin().AddDate(0, 0, 1+r.IntN(300))
	}, "hors de l'exercice 2025-2026"},
	{[]Kind{Recette, Depense, Transfert}, func(op *Operation, others []Operation, r *rand.Rand) {
		op.Piece = " " + strings.ToLower(others[r.IntN(len(others))].Piece)
	}, "est déjà utilisée"},
	{[]Kind{Depense}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Lines[r.IntN(len(op.Lines))].Account = produitAccounts[r.IntN(len(produitAccounts))]
	}, "n'est pas un compte de charges"},
	{[]Kind{Recette}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Lines[r.IntN(len(op.Lines))].Account = chargeAccounts[r.IntN(len(chargeAccounts))]
	}, "n'est pas un compte de produits"},
	{[]Kind{Recette, Depense}, func(op *Operation, _ []Operation, r *rand.Rand) {
		op.Lines[r.IntN(len(op.Lines))].Account = "6" + strconv.Itoa(1000000 + r.IntN(1000000))[1:] + "9"
	}, "n'existe pas dans le plan comptable"},
	{[]Kind{Transfert}, func(op *Operation, _ []Operation, _ *rand.Rand) { op.Counterpart = op.Treasury },
		"relie deux trésoreries différentes"},
	{[]Kind{Transfert}, func(op *Operation, _ []Operation, _ *rand.Rand) {
		op.Lines = []Line{{"62810008", op.Amount}}
	}, "un mouvement interne ne se ventile pas"},
	{[]Kind{Depense}, func(op *Operation, _ []Operation, _ *rand.Rand) { op.Mode, op.Cheque = Cheque, "" },
		"le numéro de chèque est obligatoire"},
}

func TestPropertyBalanceIdentity(t *testing.T) {
	const sequences = 3000
	refused, corrupted := 0, 0
	for seed := uint64(1); seed <= sequences; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		g := &gen{r: r}
		for i := range r.IntN(3) {
			g.regies = append(g.regies, Regie{ID: "R" + strconv.Itoa(i)})
		}
		opening := Balances{Banque: money.Money(r.Int64N(500000)), Caisse: money.Money(r.Int64N(50000))}
		ctx := Context{Exercice: ex2025, Chart: testChart, Regies: g.regies, Pieces: map[string]int64{}}
		book := NewBook(opening, nil)
		var pieces []string
		n := 5 + r.IntN(26)
		for id := int64(1); id <= int64(n); id++ {
			op := g.op(id, pieces)
			if err := Validate(op, ctx); err != nil {
				t.Fatalf("seed %d: generated operation refused: %v\n%+v", seed, err, op)
			}
			err := book.CheckAdd(op)
			if want := negativeOracle(opening, append(book.Ops, op)); (err != nil) != want {
				t.Fatalf("seed %d: CheckAdd = %v, oracle says negative = %v", seed, err, want)
			}
			if err != nil {
				refused++
				continue
			}
			book = NewBook(opening, append(book.Ops, op))
			pieces = append(pieces, op.Piece)
			ctx.Pieces[PieceKey(op.Piece)] = op.ID
		}
		// Settle the régies at the end of the exercice.
		closing := book.Closing()
		for i, rg := range g.regies {
			if m := closing[rg.Treasury()]; m > 0 {
				settle := xfer(int64(1000+i), "31/08/2026", "S"+strconv.Itoa(i), rg.Treasury(), Caisse, "0")
				settle.Amount = m
				book = NewBook(opening, append(book.Ops, settle))
			}
		}

		if err := book.CheckCash(); err != nil {
			t.Fatalf("seed %d: accepted book has negative cash: %v", seed, err)
		}
		totals := ComputeTotals(book.Ops)
		closing = book.Closing()
		if opening.Total()+totals.Recettes-totals.Depenses != closing.Total() {
			t.Fatalf("seed %d: identity broken: %v + %v − %v ≠ %v", seed, opening.Total(), totals.Recettes, totals.Depenses, closing.Total())
		}
		entries := book.Entries()
		if len(entries) > 0 {
			last := entries[len(entries)-1]
			if last.Banque != closing[Banque] || last.Caisse != closing[Caisse] {
				t.Fatalf("seed %d: last entry %v/%v ≠ closing %v", seed, last.Banque, last.Caisse, closing)
			}
		}
		crf := ComputeCRF(CRFMeta{Exercice: ex2025}, opening.Treasuries(), book.Ops, testChart, nil)
		if !crf.Equilibre || !crf.Balanced() || crf.TresorerieFin.Total != closing.Total() {
			t.Fatalf("seed %d: CRF unbalanced: %+v (closing %v)", seed, crf, closing)
		}

		// Corrupt one operation and expect the matching refusal.
		if len(book.Ops) < 2 {
			continue
		}
		victim := book.Ops[r.IntN(len(book.Ops))].Clone()
		var usable []corruption
		for _, c := range corruptions {
			for _, k := range c.kinds {
				if k == victim.Kind {
					usable = append(usable, c)
				}
			}
		}
		c := usable[r.IntN(len(usable))]
		var others []Operation
		for _, op := range book.Ops {
			if op.ID != victim.ID {
				others = append(others, op)
			}
		}
		c.apply(&victim, others, r)
		err := Validate(victim, Context{Exercice: ex2025, Chart: testChart, Regies: g.regies, Pieces: PieceIndex(book.Ops)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("seed %d: corrupted %+v: error %v, want %q", seed, victim, err, c.want)
		}
		corrupted++
	}
	if refused == 0 || corrupted < sequences/2 {
		t.Errorf("generator too tame: %d refusals, %d corruptions", refused, corrupted)
	}
}
