package bank

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"retkoop/app/money"
)

// BankLine is a statement line not yet matched, with its id in the store.
type BankLine struct {
	ID int64
	Line
}

// Entry is an operation of the compte courant as the matcher and the état
// de rapprochement see it.
type Entry struct {
	ID     int64
	Date   time.Time
	Piece  string      // n° de pièce
	Amount money.Money // signed: + recette, − dépense
	Mode   string      // cheque, especes, virement, carte, prelevement, remise
	Cheque string      // cheque number for a cheque written
	Label  string
	Ticked bool // already ticked on a statement: never matched again
}

// Proposal pairs one bank line with the operations it pays.
type Proposal struct {
	LineID   int64
	EntryIDs []int64 // ascending; several for a deposit of several recettes
	Score    float64 // 0..1
	Reasons  []string
	// Alternatives lists other sets of operations that fit this line as
	// well; non-empty means the mandataire must choose.
	Alternatives [][]int64
}

// Result is the outcome of Match. Auto proposals are sure enough to be
// ticked without asking; Proposed ones wait for one click; Unmatched lines
// have no candidate (see SuggestOperation). All three are sorted by line id.
type Result struct {
	Auto, Proposed []Proposal
	Unmatched      []int64
}

// Options tune the matcher; a zero field takes its default (see
// DefaultOptions), so Options{} is the usual value.
type Options struct {
	AutoThreshold    float64 // score from which a sure pairing is ticked automatically
	ProposeThreshold float64 // score from which a pairing is proposed
	AmbiguityMargin  float64 // candidates closer than this are a tie
	ChequeDays       int     // a cheque written is cashed 0..ChequeDays days later
	DepositDays      int     // a deposit (remise, espèces, cheque received) is credited 0..DepositDays days later
	BeforeDays       int     // card, transfer, direct debit: up to BeforeDays before the book's date…
	AfterDays        int     // …and up to AfterDays after
	MaxSubsetEntries int     // operations considered for one deposit (at most 24)
	MaxSubsetSize    int     // operations in one deposit
}

// DefaultOptions returns the thresholds and windows the app uses.
func DefaultOptions() Options {
	return Options{
		AutoThreshold:    0.85,
		ProposeThreshold: 0.5,
		AmbiguityMargin:  0.1,
		ChequeDays:       70,
		DepositDays:      10,
		BeforeDays:       3,
		AfterDays:        5,
		MaxSubsetEntries: 20,
		MaxSubsetSize:    6,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pickf := func(v *float64, def float64) {
		if *v <= 0 {
			*v = def
		}
	}
	pickf(&o.AutoThreshold, d.AutoThreshold)
	pickf(&o.ProposeThreshold, d.ProposeThreshold)
	pickf(&o.AmbiguityMargin, d.AmbiguityMargin)
	pick(&o.ChequeDays, d.ChequeDays)
	pick(&o.DepositDays, d.DepositDays)
	pick(&o.BeforeDays, d.BeforeDays)
	pick(&o.AfterDays, d.AfterDays)
	pick(&o.MaxSubsetEntries, d.MaxSubsetEntries)
	pick(&o.MaxSubsetSize, d.MaxSubsetSize)
	return o
}

// Weights of the evidence; a same-amount candidate inside its window starts
// at weightBase, so that it is at least proposed.
const (
	weightBase     = 0.6
	weightCheque   = 0.35 // the cheque number: as good as proof
	weightMode     = 0.1
	penaltyMode    = 0.15
	weightLabel    = 0.15
	weightUnique   = 0.1
	weightDateNear = 0.1  // card, transfer, direct debit: the bank follows within days
	weightDateFar  = 0.05 // cheques: when the payee cashes it says little
)

// prepared line and entry, with what every comparison needs computed once.
type mLine struct {
	BankLine
	day     int
	cheque  string
	mode    string
	words   []string
	deposit bool // a counter deposit that may gather several recettes
}

type mEntry struct {
	Entry
	day   int
	words []string
}

// edge is a candidate pairing of one line with one or more entries.
type edge struct {
	line      int   // index in matcher.lines
	entries   []int // indexes in matcher.entries, by ascending id
	score     float64
	reasons   []string
	ambiguous bool    // several subsets fit: never automatic
	alts      [][]int // the other subsets
}

type matcher struct {
	opts    Options
	lines   []mLine
	entries []mEntry
	byAmt   map[money.Money][]int
	edges   []edge

	// assignment state (assign.go)
	byLine, byEntry     [][]int // edges of each line, of each entry
	order               []int   // edges, best first
	lineUsed, entryUsed []bool
	auto, proposed      []Proposal
}

// Match pairs statement lines with operations of the book. Only entries
// not yet ticked are candidates, each line and each entry is used at most
// once, and the result does not depend on the order of the inputs.
func Match(lines []BankLine, entries []Entry, opts Options) Result {
	m := &matcher{opts: opts.withDefaults(), byAmt: make(map[money.Money][]int)}
	for _, l := range lines {
		cheque := l.Cheque
		if cheque == "" {
			cheque = ChequeNumber(l.Label)
		}
		mode := labelMode(l.Label)
		m.lines = append(m.lines, mLine{BankLine: l, day: dayNumber(l.Date), cheque: cheque, mode: mode,
			words: tokens(l.Label), deposit: l.Amount > 0 && (mode == modeRemise || mode == modeEspeces)})
	}
	slices.SortStableFunc(m.lines, func(a, b mLine) int { return cmp.Compare(a.ID, b.ID) })
	for _, e := range entries {
		if e.Ticked || e.Amount == 0 {
			continue
		}
		m.entries = append(m.entries, mEntry{Entry: e, day: dayNumber(e.Date), words: tokens(e.Label)})
	}
	slices.SortStableFunc(m.entries, func(a, b mEntry) int { return cmp.Compare(a.ID, b.ID) })
	for i, e := range m.entries {
		m.byAmt[e.Amount] = append(m.byAmt[e.Amount], i)
	}

	m.lineUsed = make([]bool, len(m.lines))
	m.entryUsed = make([]bool, len(m.entries))

	// Single pairings first, and the sure ones ticked, so that the search
	// for deposits of several recettes only sees what is left. A deposit
	// paired with one cheque received waits for that search: the cheque may
	// as well be one of several in another deposit.
	for li := range m.lines {
		m.singleEdges(li)
	}
	m.finishScores(0)
	m.index()
	m.tickSure(func(e *edge) bool {
		return !m.lines[e.line].deposit || m.entries[e.entries[0]].Mode != modeCheque
	})
	from := len(m.edges)
	for li := range m.lines {
		if m.lines[li].deposit && !m.lineUsed[li] && !m.hasPlainDeposit(li) {
			m.subsetEdges(li)
		}
	}
	m.finishScores(from)
	m.index()
	m.tickSure(func(*edge) bool { return true })
	m.proposeRest()
	return m.result()
}

// window returns the days (line date − book date) within which the bank
// shows an entry, and how the delay reads.
func (m *matcher) window(e *mEntry) (lo, hi int, kind string) {
	switch {
	case e.Mode == modeCheque && e.Amount < 0:
		return 0, m.opts.ChequeDays, "encaissé"
	case e.Amount > 0 && (e.Mode == modeCheque || e.Mode == modeRemise || e.Mode == modeEspeces):
		return 0, m.opts.DepositDays, "crédité"
	}
	return -m.opts.BeforeDays, m.opts.AfterDays, "passé en banque"
}

// singleEdges adds the candidates of one line among entries of the same
// amount.
func (m *matcher) singleEdges(li int) {
	l := &m.lines[li]
	for _, ei := range m.byAmt[l.Amount] {
		e := &m.entries[ei]
		lo, hi, kind := m.window(e)
		d := l.day - e.day
		if d < lo || d > hi {
			continue
		}
		if l.cheque != "" && e.Cheque != "" && !sameCheque(l.cheque, e.Cheque) {
			// Two different cheque numbers: certainly not this cheque.
			continue
		}
		score := weightBase
		reasons := []string{"même montant"}
		if l.cheque != "" && sameCheque(l.cheque, e.Cheque) {
			score += weightCheque
			reasons = append(reasons, fmt.Sprintf("n° de chèque %s dans le libellé", l.cheque))
		}
		s, r := modeEvidence(l.mode, e.Mode)
		score += s
		if r != "" {
			reasons = append(reasons, r)
		}
		span := float64(max(hi, -lo, 1))
		w := weightDateNear
		if kind == "encaissé" {
			w = weightDateFar
		}
		score += w * (1 - math.Abs(float64(d))/span)
		reasons = append(reasons, delayReason(kind, d))
		if sim, common := similarity(l.words, e.words); sim > 0 {
			score += weightLabel * sim
			reasons = append(reasons, fmt.Sprintf("libellé proche (%s)", strings.Join(common, ", ")))
		}
		m.edges = append(m.edges, edge{line: li, entries: []int{ei}, score: score, reasons: reasons})
	}
}

// modeNames are the modes as the mandataire reads them.
var modeNames = map[string]string{
	modeCheque: "chèque", modeEspeces: "espèces", modeVirement: "virement", modeCarte: "carte",
	modePrelevement: "prélèvement", modeRemise: "remise de chèques",
}

// modeEvidence compares the mode the bank label shows with the book's.
func modeEvidence(lineMode, entryMode string) (float64, string) {
	switch {
	case lineMode == "" || entryMode == "":
		return 0, ""
	case lineMode == entryMode:
		return weightMode, "mode de règlement cohérent (" + modeNames[entryMode] + ")"
	case lineMode == modeRemise && entryMode == modeCheque:
		// Consistent, but a cheque received is more often one of several
		// in a deposit than deposited alone.
		return weightMode / 2, "chèque reçu remis en banque"
	case (lineMode == modeVirement || lineMode == modePrelevement) && (entryMode == modeVirement || entryMode == modePrelevement):
		// Banks and mandataires mix up the two freely.
		return 0, ""
	}
	name := modeNames[entryMode]
	if name == "" {
		name = entryMode
	}
	return -penaltyMode, fmt.Sprintf("mode de règlement différent (relevé : %s, cahier : %s)", modeNames[lineMode], name)
}

func days(n int) string {
	if n == 1 {
		return "1 jour"
	}
	return fmt.Sprintf("%d jours", n)
}

// delayReason says how far apart the book and the bank are, in words.
func delayReason(kind string, d int) string {
	switch {
	case d == 0 && kind == "passé en banque":
		return "même date"
	case d == 0:
		return kind + " le jour même"
	case d < 0:
		return fmt.Sprintf("%s %s avant la date du cahier", kind, days(-d))
	}
	return fmt.Sprintf("%s %s après", kind, days(d))
}

// finishScores clamps and rounds the scores of edges[from:], so that
// results print and compare stably, and drops the candidates too weak to be
// proposed even with the exclusivity bonus.
func (m *matcher) finishScores(from int) {
	kept := m.edges[:from]
	for _, e := range m.edges[from:] {
		e.score = roundScore(e.score)
		if e.score+weightUnique >= m.opts.ProposeThreshold {
			kept = append(kept, e)
		}
	}
	m.edges = kept
}

func roundScore(s float64) float64 {
	return math.Round(math.Min(1, math.Max(0, s))*1000) / 1000
}
