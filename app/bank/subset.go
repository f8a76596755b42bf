package bank

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"retkoop/app/money"
)

// weightSubsetUnique rewards a deposit explained by exactly one combination
// of amounts with cents (and penalises one explained by several).
const weightSubsetUnique = 0.1

// maxSubsetCandidates is the hard ceiling on Options.MaxSubsetEntries: the
// search enumerates 2^(n/2) subsets of each half of the candidates.
const maxSubsetCandidates = 24

// depositModes are the modes an operation gathered in a counter deposit may
// have, by the deposit's kind (from the bank label); earlier is likelier.
var depositModes = map[string][]string{
	modeRemise:  {modeCheque, modeRemise, ""},
	modeEspeces: {modeEspeces, ""},
}

// subsetCand is an entry that may belong to a deposit.
type subsetCand struct {
	idx, pref, delay int
	amount           money.Money
}

// subsetEdges looks for sets of 2..MaxSubsetSize recettes still free, dated
// 0..DepositDays before a deposit line, whose amounts add up to it exactly.
func (m *matcher) subsetEdges(li int) {
	l := &m.lines[li]
	modes := depositModes[l.mode]
	var cands []subsetCand
	for ei := range m.entries {
		e := &m.entries[ei]
		d := l.day - e.day
		if m.entryUsed[ei] || e.Amount <= 0 || e.Amount >= l.Amount || d < 0 || d > m.opts.DepositDays {
			continue
		}
		if pref := slices.Index(modes, e.Mode); pref >= 0 {
			cands = append(cands, subsetCand{idx: ei, pref: pref, delay: d, amount: e.Amount})
		}
	}
	if len(cands) < 2 {
		return
	}
	// Keep the likeliest: preferred mode, then closest to the deposit, then
	// by id (entries are sorted by id, the sort is stable).
	slices.SortStableFunc(cands, func(a, b subsetCand) int {
		if a.pref != b.pref {
			return a.pref - b.pref
		}
		return a.delay - b.delay
	})
	cands = cands[:min(len(cands), m.opts.MaxSubsetEntries, maxSubsetCandidates)]
	amounts := make([]money.Money, len(cands))
	classes := make([]int, len(cands))
	for i, c := range cands {
		amounts[i] = c.amount
		classes[i] = i
		// Two cheques of the same amount, date and mode are interchangeable:
		// combinations that differ only by swapping them are one answer.
		for j := range i {
			e, f := &m.entries[c.idx], &m.entries[cands[j].idx]
			if e.Amount == f.Amount && e.day == f.day && e.Mode == f.Mode {
				classes[i] = classes[j]
				break
			}
		}
	}
	best, second, count, chance := findSubsets(amounts, classes, l.Amount, m.opts.MaxSubsetSize)
	if count == 0 {
		return
	}
	toEntries := func(mask uint32) []int {
		var out []int
		for i := range cands {
			if mask&(1<<i) != 0 {
				out = append(out, cands[i].idx)
			}
		}
		slices.Sort(out) // entries are sorted by id, so this is id order
		return out
	}
	first := m.subsetEdge(li, toEntries(best), count, chance)
	if count == 1 {
		m.edges = append(m.edges, first)
		return
	}
	// Both likeliest combinations enter the graph, each the other's
	// alternative, so that if one loses an entry to another line the other
	// can still be proposed.
	other := m.subsetEdge(li, toEntries(second), count, chance)
	first.alts, other.alts = [][]int{other.entries}, [][]int{first.entries}
	m.edges = append(m.edges, first, other)
}

// maxChance is the number of combinations expected to hit the amount by
// mere chance below which a single exact combination is taken as proof.
const maxChance = 0.05

// subsetEdge scores the deposit of line li made of entries, one of count
// combinations that fit; chance is how many would fit by coincidence.
func (m *matcher) subsetEdge(li int, entries []int, count int, chance float64) edge {
	l := &m.lines[li]
	e := edge{line: li, entries: entries, score: weightBase}
	parts := make([]string, len(entries))
	allKnown, maxDelay := true, 0
	for i, ei := range entries {
		parts[i] = m.entries[ei].Amount.String()
		allKnown = allKnown && m.entries[ei].Mode != ""
		maxDelay = max(maxDelay, l.day-m.entries[ei].day)
	}
	e.reasons = append(e.reasons, fmt.Sprintf("somme exacte de %d opérations (%s)", len(entries), strings.Join(parts, " + ")))
	e.score += weightMode
	if l.mode == modeEspeces {
		e.reasons = append(e.reasons, "libellé de versement d'espèces")
	} else {
		e.reasons = append(e.reasons, "libellé de remise de chèques")
	}
	if allKnown {
		e.score += weightMode
		e.reasons = append(e.reasons, "modes de règlement cohérents")
	}
	e.score += weightDateFar * (1 - float64(maxDelay)/float64(m.opts.DepositDays))
	e.reasons = append(e.reasons, fmt.Sprintf("crédité au plus %s après", days(maxDelay)))
	// One combination is proof only if a coincidence was unlikely: among
	// twenty cheques of whole euros, some set adds up to almost anything.
	// Several make the deposit a question for the mandataire, ranked below
	// plainer pairings.
	switch {
	case count > 1:
		e.ambiguous = true
		e.score -= weightSubsetUnique
		e.reasons = append(e.reasons, fmt.Sprintf("%d combinaisons d'opérations donnent ce montant", count))
	case centAmounts(m.entries, entries) < 2:
		// Whole euros (families paying 5 or 15 €) add up by chance too
		// easily for one combination to prove anything; one amount with
		// cents only proves that it belongs to the deposit.
		e.reasons = append(e.reasons, "une seule combinaison, de montants ronds")
	case chance > maxChance:
		e.reasons = append(e.reasons, "une seule combinaison, mais d'autres montants proches s'obtiennent aussi")
	default:
		e.score += weightSubsetUnique
		e.reasons = append(e.reasons, "seule combinaison possible, au centime près")
	}
	return e
}

// maxSubsetCount caps the combinations counted: beyond, the number only
// tells the mandataire "many".
const maxSubsetCount = 1000

// half is one subset of one half of the candidates.
type half struct {
	sum  money.Money
	mask uint32
}

// chanceWindow is how many whole euros on each side of the target the
// chance estimate looks at.
const chanceWindow = 20

// findSubsets finds the subsets of 2..maxK amounts (all positive, at most
// 32) adding up to target exactly, by meeting in the middle: every subset
// of the first half is completed by a binary search among the sorted sums
// of the second half's subsets, so the work is about 2^(n/2)·log whatever
// the amounts. Candidates with the same class are interchangeable, and
// subsets that differ only by swapping them count as one. The candidates are
// in order of likelihood: best is the subset whose members rank best
// (lowest sum of positions, then lowest mask), second the best one that is
// not interchangeable with it, count how many distinct ones there are
// (capped at maxSubsetCount).
//
// chance estimates how many subsets would hit the target by coincidence:
// the average number of subsets per amount with the target's cents, within
// chanceWindow euros around it. It is high when amounts cluster on whole
// euros or candidates are many, and near zero when sums to the cent are
// rare, which is when a single solution means something.
func findSubsets(amounts []money.Money, classes []int, target money.Money, maxK int) (best, second uint32, count int, chance float64) {
	n := len(amounts)
	h := n / 2
	limit := target + chanceWindow*100
	subsets := func(from, to int) []half {
		var out []half
		for mask := uint32(0); mask < 1<<(to-from); mask++ {
			if bits.OnesCount32(mask) > maxK {
				continue
			}
			var sum money.Money
			for i := from; i < to; i++ {
				if mask&(1<<(i-from)) != 0 {
					sum += amounts[i]
				}
			}
			if sum <= limit {
				out = append(out, half{sum, mask << from})
			}
		}
		return out
	}
	left, right := subsets(0, h), subsets(h, n)
	sort.Slice(right, func(i, j int) bool {
		if right[i].sum != right[j].sum {
			return right[i].sum < right[j].sum
		}
		return right[i].mask < right[j].mask
	})
	rank := func(mask uint32) int {
		r := 0
		for mask != 0 {
			r += bits.TrailingZeros32(mask)
			mask &= mask - 1
		}
		return r
	}
	better := func(a, b uint32) bool {
		ra, rb := rank(a), rank(b)
		return ra < rb || (ra == rb && a < b)
	}
	// signature names a subset up to interchangeable members.
	signature := func(mask uint32) string {
		var sig []byte
		for i := range n {
			if mask&(1<<i) != 0 {
				sig = append(sig, byte(classes[i]))
			}
		}
		slices.Sort(sig)
		return string(sig)
	}
	found := map[string]uint32{} // signature → best subset with it
	neighbours := 0
	for _, l := range left {
		need := target - l.sum
		j := sort.Search(len(right), func(k int) bool { return right[k].sum >= need-chanceWindow*100 })
		for ; j < len(right) && right[j].sum <= need+chanceWindow*100; j++ {
			diff := right[j].sum - need
			if diff%100 != 0 || (diff != 0 && neighbours >= maxSubsetCount) {
				continue
			}
			mask := l.mask | right[j].mask
			if k := bits.OnesCount32(mask); k < 2 || k > maxK {
				continue
			}
			if diff != 0 {
				neighbours++
				continue
			}
			sig := signature(mask)
			if prev, ok := found[sig]; ok {
				if better(mask, prev) {
					found[sig] = mask
				}
				continue
			}
			if len(found) < maxSubsetCount {
				found[sig] = mask
			}
		}
	}
	for _, mask := range found {
		switch {
		case count == 0 || better(mask, best):
			best, second = mask, best
		case count == 1 || better(mask, second):
			second = mask
		}
		count++
	}
	return best, second, count, float64(neighbours) / (2 * chanceWindow)
}

// centAmounts counts the entries of the set that are not whole euros.
func centAmounts(entries []mEntry, set []int) int {
	n := 0
	for _, ei := range set {
		if entries[ei].Amount%100 != 0 {
			n++
		}
	}
	return n
}

// hasPlainDeposit reports whether the line has a candidate still free that
// is the deposit itself (one "remise" or "espèces" operation of the whole
// amount): the mandataire wrote the slip as one operation, the simplest
// explanation, so no combination of other recettes is searched.
func (m *matcher) hasPlainDeposit(li int) bool {
	want := modeRemise
	if m.lines[li].mode == modeEspeces {
		want = modeEspeces
	}
	for _, i := range m.byLine[li] {
		if e := &m.edges[i]; len(e.entries) == 1 && m.entries[e.entries[0]].Mode == want && m.free(i) {
			return true
		}
	}
	return false
}
