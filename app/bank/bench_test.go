package bank

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"retkoop/app/money"
)

// synthetic is a year of a busy coop's compte courant with the truth known:
// which entries each statement line pays.
type synthetic struct {
	lines   []BankLine
	entries []Entry
	truth   map[int64][]int64 // line id → entry ids (ascending); absent: nothing in the book
}

var merchants = []string{"LIBRAIRIE PRIVAT", "SUPER U TOULOUSE", "BOULANGERIE DU CENTRE", "NATURE ET DECOUVERTES", "CULTURA BALMA", "AMAZON EU", "LECLERC ROQUES", "IKEA ROQUES", "DECATHLON"}
var payers = []string{"MAIRIE DE TOULOUSE SUBVENTION", "APE JULES FERRY DON", "M OU MME DUPONT SORTIE", "OCCE 31 REMBOURSEMENT", "CONSEIL DEPARTEMENTAL 31"}

// genSynthetic generates the data set deterministically from seed: cheques
// written (some cashed weeks later, some with no number on the statement,
// some never cashed), card payments, direct debits, transfers received,
// deposits of one to five cheques (often of equal amounts), cash deposits,
// bank fees with no entry, and entries the bank has not shown yet. It stops
// when it has nLines lines and nEntries entries, cutting what is beyond (so
// that the last lines may have no entry; nEntries 0 keeps every entry of the
// lines, and some more the bank has not shown yet), and forgets a share drop of the
// entries, as a mandataire forgets to write some operations down.
func genSynthetic(seed uint64, nLines, nEntries int, drop float64) synthetic {
	rng := rand.New(rand.NewPCG(seed, 42))
	start := day("2025-09-01")
	s := synthetic{truth: map[int64][]int64{}}
	var lineID, entryID, chequeNo int64 = 1000, 1, 1234000
	at := func(d int) time.Time { return start.AddDate(0, 0, d) }
	amount := func(lo, hi int) money.Money { return money.Money(lo*100 + rng.IntN((hi-lo)*100)) }
	addEntry := func(d int, a money.Money, mode, cheque, label string) int64 {
		entryID++
		s.entries = append(s.entries, Entry{ID: entryID, Date: at(d), Piece: fmt.Sprint(entryID), Amount: a, Mode: mode, Cheque: cheque, Label: label})
		return entryID
	}
	addLine := func(d int, a money.Money, label string, truth ...int64) {
		lineID++
		s.lines = append(s.lines, BankLine{ID: lineID, Line: Line{Date: at(d), Label: label, Amount: a}})
		if len(truth) > 0 {
			slices.Sort(truth)
			s.truth[lineID] = truth
		}
	}
	for len(s.lines) < nLines || len(s.entries) < nEntries {
		d := rng.IntN(365)
		switch r := rng.IntN(100); {
		case r < 33: // cheque written
			chequeNo++
			a := -amount(5, 400)
			id := addEntry(d, a, "cheque", fmt.Sprint(chequeNo), "Facture "+merchants[rng.IntN(len(merchants))])
			switch rng.IntN(20) {
			case 0: // never cashed: stays open
			case 1, 2, 3:
				addLine(d+rng.IntN(60), a, "CHEQUE", id)
			default:
				addLine(d+rng.IntN(60), a, fmt.Sprintf("CHEQUE %07d", chequeNo), id)
			}
		case r < 53: // card
			m := merchants[rng.IntN(len(merchants))]
			a := -amount(3, 150)
			id := addEntry(d, a, "carte", "", "Achat "+m)
			addLine(d+rng.IntN(4), a, fmt.Sprintf("CB %s %s", m, at(d).Format("02/01")), id)
		case r < 61: // direct debit
			a := -amount(10, 300)
			id := addEntry(d, a, "prelevement", "", "Cotisation OCCE")
			addLine(d+rng.IntN(3), a, "PRLV SEPA OCCE 31", id)
		case r < 68: // transfer received
			p := payers[rng.IntN(len(payers))]
			a := amount(20, 800)
			id := addEntry(d, a, "virement", "", p)
			addLine(d+rng.IntN(5), a, "VIR SEPA "+p, id)
		case r < 88: // deposit of cheques received
			k := 1 + rng.IntN(5)
			fee := money.Money(500 * (1 + rng.IntN(4))) // families often pay the same 5, 10, 15 or 20 €
			var ids []int64
			var total money.Money
			if k == 1 || rng.IntN(3) == 0 { // recorded as one remise
				for range k {
					total += fee
				}
				ids = append(ids, addEntry(d, total, "remise", "", fmt.Sprintf("Remise %d chèques", k)))
			} else {
				for i := range k {
					a := fee
					if rng.IntN(2) == 0 {
						a = amount(5, 60)
					}
					total += a
					ids = append(ids, addEntry(d-i, a, "cheque", "", fmt.Sprintf("Participation famille %d", i)))
				}
			}
			addLine(d+rng.IntN(5), total, fmt.Sprintf("REMISE CHEQUES %07d", rng.IntN(9999999)), ids...)
		case r < 93: // cash deposit
			a := amount(50, 400)
			id := addEntry(d, a, "especes", "", "Dépôt espèces kermesse")
			addLine(d+rng.IntN(4), a, "VERSEMENT ESPECES", id)
		case r < 97: // bank fee: not in the book
			addLine(d, -amount(1, 30), "FRAIS TENUE DE COMPTE")
		default: // an entry the bank has not shown yet
			addEntry(d, -amount(5, 100), "virement", "", "Virement fournisseur")
		}
	}
	s.lines = s.lines[:nLines]
	if nEntries > 0 {
		s.entries = s.entries[:nEntries]
	}
	kept := map[int64]bool{}
	entries := s.entries[:0]
	for _, e := range s.entries {
		if rng.Float64() >= drop {
			kept[e.ID] = true
			entries = append(entries, e)
		}
	}
	s.entries = entries
	for id, ids := range s.truth {
		for _, e := range ids {
			if !kept[e] { // the line has no complete truth in the book
				delete(s.truth, id)
				break
			}
		}
	}
	return s
}

func BenchmarkMatch1000(b *testing.B) {
	s := genSynthetic(1, 1000, 1000, 0)
	b.ReportAllocs()
	var res Result
	for b.Loop() {
		res = Match(s.lines, s.entries, Options{})
	}
	b.ReportMetric(float64(len(res.Auto)), "auto")
	b.ReportMetric(float64(len(res.Proposed)), "proposed")
	b.ReportMetric(float64(len(res.Unmatched)), "unmatched")
}

// TestMatchSynthetic checks the matcher on a year of generated data against
// the known truth: nothing ticked automatically is wrong, most lines are
// ticked, no line or entry is used twice, and the order of the inputs does
// not change the result. Three books of a busy coop (400 operations a
// year): complete, with 5% of the operations forgotten, and the benchmark's
// (1,000 lines against 1,000 operations in a year, so that deposits crowd
// each other and a quarter of the lines have no operation).
func TestMatchSynthetic(t *testing.T) {
	scenarios := []struct {
		name           string
		lines, entries int
		drop           float64
		minAuto        float64 // share of the explainable lines ticked automatically
		maxWrong       int     // per 1,000 lines
	}{
		{"cahier complet", 300, 0, 0, 0.8, 0},
		{"5 % d'opérations oubliées", 300, 0, 0.05, 0.8, 0},
		{"banc d'essai 1000×1000", 1000, 1000, 0, 0.7, 0},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 20; seed++ {
				checkSynthetic(t, seed, genSynthetic(seed, sc.lines, sc.entries, sc.drop), sc.minAuto, sc.maxWrong)
			}
		})
	}
}

func checkSynthetic(t *testing.T, seed uint64, s synthetic, minAuto float64, maxWrong int) {
	t.Helper()
	res := Match(s.lines, s.entries, Options{})
	usedLine, usedEntry := map[int64]bool{}, map[int64]bool{}
	for _, p := range append(slices.Clone(res.Auto), res.Proposed...) {
		if usedLine[p.LineID] {
			t.Fatalf("seed %d: line %d used twice", seed, p.LineID)
		}
		usedLine[p.LineID] = true
		for _, e := range p.EntryIDs {
			if usedEntry[e] {
				t.Fatalf("seed %d: entry %d used twice", seed, e)
			}
			usedEntry[e] = true
		}
	}
	if n := len(res.Auto) + len(res.Proposed) + len(res.Unmatched); n != len(s.lines) {
		t.Fatalf("seed %d: %d lines accounted for, want %d", seed, n, len(s.lines))
	}
	// An entry is judged by what tells it apart: two cheques of the same
	// amount, date and mode are interchangeable, for the mandataire too.
	byID := map[int64]Entry{}
	for _, e := range s.entries {
		byID[e.ID] = e
	}
	kinds := func(ids []int64) []string {
		out := []string{}
		for _, id := range ids {
			e := byID[id]
			out = append(out, fmt.Sprint(e.Amount, e.Date, e.Mode))
		}
		slices.Sort(out)
		return out
	}
	wrong := 0
	for _, p := range res.Auto {
		if truth, ok := s.truth[p.LineID]; !ok || !slices.Equal(kinds(p.EntryIDs), kinds(truth)) {
			wrong++
			t.Logf("seed %d: line %d auto-ticked with %v, truth %v (%q)", seed, p.LineID, p.EntryIDs, s.truth[p.LineID], p.Reasons)
		}
	}
	right := len(res.Auto) - wrong
	if wrong > maxWrong {
		t.Errorf("seed %d: %d lines ticked wrongly, want at most %d", seed, wrong, maxWrong)
	}
	if share := float64(right) / float64(len(s.truth)); share < minAuto {
		t.Errorf("seed %d: %.0f%% of the explainable lines ticked automatically, want %.0f%%", seed, 100*share, 100*minAuto)
	}
	t.Logf("seed %d: %d lines (%d explainable): %d auto (%d wrong), %d proposed, %d unmatched",
		seed, len(s.lines), len(s.truth), len(res.Auto), wrong, len(res.Proposed), len(res.Unmatched))

	rng := rand.New(rand.NewPCG(seed, 7))
	lines, entries := slices.Clone(s.lines), slices.Clone(s.entries)
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	if again := Match(lines, entries, Options{}); fmt.Sprint(again) != fmt.Sprint(res) {
		t.Errorf("seed %d: shuffled inputs give a different result", seed)
	}
}
