package ledger

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// numbered is a pièce or cheque number split into a prefix and trailing
// digits: "R07" → {"R", 7, 2}, "2025-017" → {"2025-", 17, 3}.
type numbered struct {
	prefix string
	n      uint64
	width  int
}

func splitNumber(s string) (numbered, bool) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	digits := s[i:]
	if digits == "" || len(digits) > 18 {
		return numbered{}, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return numbered{}, false
	}
	return numbered{prefix: s[:i], n: n, width: len(digits)}, true
}

func (x numbered) String() string {
	d := strconv.FormatUint(x.n, 10)
	if len(d) < x.width {
		d = strings.Repeat("0", x.width-len(d)) + d
	}
	return x.prefix + d
}

// kindLetter is the usual pièce prefix of coops numbering by kind
// (R01 for recettes, D01 for dépenses, T01 for mouvements internes).
func kindLetter(k Kind) string {
	switch k {
	case Recette:
		return "R"
	case Depense:
		return "D"
	case Transfert:
		return "T"
	}
	return ""
}

// NextPiece suggests the next pièce number in the coop's own style, from the
// pièces already used in the exercice (in chronological order). Numbers grow
// within their prefix and keep their width: "1,2,3" → "4"; "2025-017" →
// "2025-018"; "R01,D01,R02" → "R03" for a recette and "D02" for a dépense.
// When the coop numbers by kind but has no pièce yet of that kind, the kind's
// letter starts at 1 ("T01"). An empty exercice starts at "1".
func NextPiece(existing []string, kind Kind) string {
	best := map[string]numbered{} // upper-cased prefix → highest number
	var latest string
	for _, p := range existing {
		x, ok := splitNumber(p)
		if !ok {
			continue
		}
		key := strings.ToUpper(x.prefix)
		if cur, seen := best[key]; !seen || x.n > cur.n || (x.n == cur.n && x.width > cur.width) {
			best[key] = x
		}
		latest = key
	}
	if len(best) == 0 {
		return "1"
	}
	if len(best) > 1 || isKindLetter(latest) {
		letter := kindLetter(kind)
		if x, ok := best[letter]; ok {
			x.n++
			return x.String()
		}
		if letter != "" && allKindLetters(best) {
			return numbered{prefix: letter, n: 1, width: best[latest].width}.String()
		}
	}
	x := best[latest]
	x.n++
	return x.String()
}

func isKindLetter(prefix string) bool {
	return prefix == "R" || prefix == "D" || prefix == "T"
}

func allKindLetters(best map[string]numbered) bool {
	for p := range best {
		if !isKindLetter(p) || utf8.RuneCountInString(p) != 1 {
			return false
		}
	}
	return true
}

// NextCheque suggests the number of the next cheque of the chequebook: the
// successor of the highest number used, with the same number of digits
// ("0012345" → "0012346"). It returns "" when no cheque number is known.
func NextCheque(existing []string) string {
	var best numbered
	found := false
	for _, c := range existing {
		c = strings.ReplaceAll(strings.TrimSpace(c), " ", "")
		x, ok := splitNumber(c)
		if !ok || x.prefix != "" {
			continue // not a plain cheque number
		}
		if !found || x.n > best.n {
			best, found = x, true
		}
	}
	if !found {
		return ""
	}
	best.n++
	return best.String()
}
