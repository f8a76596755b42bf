package bank

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// The assignment resolves the candidate graph in two steps. First, as long
// as it finds any, it ticks the pairings that are sure: score at the auto
// threshold, no rival (a pairing still possible that shares the line or one
// of the entries) within the ambiguity margin. A pairing left with no rival
// at all gains the exclusivity bonus, and every pairing ticked removes
// rivals, which may make others sure. Then the rest is proposed greedily,
// best score first. Ties break on ids, so the result is deterministic.

// index rebuilds the per-line and per-entry lists of edges and their order.
func (m *matcher) index() {
	m.byLine = make([][]int, len(m.lines))
	m.byEntry = make([][]int, len(m.entries))
	m.order = make([]int, len(m.edges))
	for i, e := range m.edges {
		m.order[i] = i
		m.byLine[e.line] = append(m.byLine[e.line], i)
		for _, ei := range e.entries {
			m.byEntry[ei] = append(m.byEntry[ei], i)
		}
	}
	sort.SliceStable(m.order, func(a, b int) bool { return m.edgeLess(m.order[a], m.order[b]) })
}

// free reports whether neither the line nor an entry of edge i is taken.
func (m *matcher) free(i int) bool {
	e := &m.edges[i]
	if m.lineUsed[e.line] {
		return false
	}
	for _, ei := range e.entries {
		if m.entryUsed[ei] {
			return false
		}
	}
	return true
}

func (m *matcher) take(i int) {
	m.lineUsed[m.edges[i].line] = true
	for _, ei := range m.edges[i].entries {
		m.entryUsed[ei] = true
	}
}

// rivals returns the free edges sharing the line (sameLine) or an entry
// (otherLines) of edge i whose score is within the margin of, or above, its
// own, and whether any free rival exists at all.
func (m *matcher) rivals(i int) (sameLine, otherLines []int, anyRival bool) {
	e := &m.edges[i]
	near := func(j int) bool { return m.edges[j].score > e.score-m.opts.AmbiguityMargin }
	for _, j := range m.byLine[e.line] {
		if j != i && m.free(j) {
			anyRival = true
			if near(j) {
				sameLine = append(sameLine, j)
			}
		}
	}
	for _, ei := range e.entries {
		for _, j := range m.byEntry[ei] {
			if j == i || m.edges[j].line == e.line || !m.free(j) || slices.Contains(otherLines, j) {
				continue
			}
			anyRival = true
			if near(j) {
				otherLines = append(otherLines, j)
			}
		}
	}
	return sameLine, otherLines, anyRival
}

func (m *matcher) exclusive(i int) {
	e := &m.edges[i]
	e.score = roundScore(e.score + weightUnique)
	e.reasons = append(e.reasons, "seule correspondance possible")
}

// tickSure ticks the sure pairings until none is left, among the edges
// eligible says may be.
func (m *matcher) tickSure(eligible func(e *edge) bool) {
	for changed := true; changed; {
		changed = false
		for _, i := range m.order {
			e := &m.edges[i]
			if e.ambiguous || e.score+weightUnique < m.opts.AutoThreshold || !m.free(i) || !eligible(e) {
				continue
			}
			sameLine, otherLines, anyRival := m.rivals(i)
			if len(sameLine)+len(otherLines) > 0 || (anyRival && e.score < m.opts.AutoThreshold) {
				continue
			}
			if !anyRival {
				m.exclusive(i)
			}
			m.take(i)
			m.auto = append(m.auto, m.proposal(i, nil, 0))
			changed = true
		}
	}
}

// proposeRest proposes the remaining pairings, best first. Exclusivity is
// judged before anyRival proposal is made: a pairing is not "the only one" just
// because a rival was proposed elsewhere.
func (m *matcher) proposeRest() {
	alone := make(map[int]bool)
	for _, i := range m.order {
		if m.free(i) && !m.edges[i].ambiguous {
			if _, _, anyRival := m.rivals(i); !anyRival {
				alone[i] = true
			}
		}
	}
	for _, i := range m.order {
		if !m.free(i) {
			continue
		}
		if alone[i] {
			m.exclusive(i)
		}
		if m.edges[i].score < m.opts.ProposeThreshold {
			continue
		}
		sameLine, otherLines, _ := m.rivals(i)
		m.take(i)
		m.proposed = append(m.proposed, m.proposal(i, sameLine, len(otherLines)))
	}
}

// result lists the pairings by line id, and the lines left unmatched.
func (m *matcher) result() Result {
	res := Result{Auto: m.auto, Proposed: m.proposed}
	for li, used := range m.lineUsed {
		if !used {
			res.Unmatched = append(res.Unmatched, m.lines[li].ID)
		}
	}
	byLineID := func(a, b Proposal) int { return cmp.Compare(a.LineID, b.LineID) }
	slices.SortFunc(res.Auto, byLineID)
	slices.SortFunc(res.Proposed, byLineID)
	return res
}

// edgeLess orders edges by score, then line id, then entry ids.
func (m *matcher) edgeLess(a, b int) bool {
	ea, eb := &m.edges[a], &m.edges[b]
	if ea.score != eb.score {
		return ea.score > eb.score
	}
	if ea.line != eb.line {
		return m.lines[ea.line].ID < m.lines[eb.line].ID
	}
	return slices.Compare(m.ids(ea.entries), m.ids(eb.entries)) < 0
}

func (m *matcher) ids(idx []int) []int64 {
	out := make([]int64, len(idx))
	for i, ei := range idx {
		out[i] = m.entries[ei].ID
	}
	slices.Sort(out)
	return out
}

// proposal builds the public form of edge i, with the rival pairings of the
// same line as alternatives and a word on rival lines.
func (m *matcher) proposal(i int, sameLine []int, otherLines int) Proposal {
	e := &m.edges[i]
	p := Proposal{LineID: m.lines[e.line].ID, EntryIDs: m.ids(e.entries), Score: e.score,
		Reasons: slices.Clone(e.reasons)}
	for _, alt := range e.alts {
		p.Alternatives = append(p.Alternatives, m.ids(alt))
	}
	for _, j := range sameLine {
		p.Alternatives = append(p.Alternatives, m.ids(m.edges[j].entries))
	}
	if n := len(p.Alternatives); n > 0 {
		p.Reasons = append(p.Reasons, fmt.Sprintf("à confirmer : %d autre(s) opération(s) ou combinaison(s) possible(s)", n))
	}
	if otherLines > 0 {
		p.Reasons = append(p.Reasons, fmt.Sprintf("à confirmer : %d autre(s) ligne(s) du relevé correspondent aussi", otherLines))
	}
	return p
}
