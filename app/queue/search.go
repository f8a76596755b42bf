package queue

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips its accents ("École Saint-Exupéry" → "ecole
// saint-exupery"), ligatures spelled out: staff type names the way they
// say them, not the way the registry spells them. The store's LIKE cannot
// do this on SQLite (its lower() only knows ASCII), so the search runs on
// folded strings in Go; it folds 2,000 coops' names per search, hence the
// table of Latin letters instead of a Unicode transform per call.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case latin[r] != "":
			b.WriteString(latin[r])
		default:
			b.WriteString(foldSlow(string(r)))
		}
	}
	return b.String()
}

// latin maps the Latin-1 and Latin Extended-A and -B characters to their folded
// spelling, computed once from their Unicode decomposition.
var latin = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", '’': "'", 'ß': "ss"}
	for r := rune(0x80); r <= 0x24F; r++ {
		if _, ok := m[r]; !ok {
			m[r] = foldSlow(string(r))
		}
	}
	return m
}()

// foldSlow strips the combining marks of s's decomposition and lowers it.
func foldSlow(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// MatchesSearch reports whether every word of q appears, folded, in one of
// the fields (UAI, name, commune): "jaures muret" finds the École
// Jean-Jaurès of Muret.
func MatchesSearch(q string, fields ...string) bool {
	folded := make([]string, len(fields))
	for i, f := range fields {
		folded[i] = Fold(f)
	}
	return MatchesWords(strings.Fields(Fold(q)), folded...)
}

// MatchesWords is MatchesSearch on words and fields already folded (the
// store folds the names once, not at every search).
func MatchesWords(words []string, folded ...string) bool {
	for _, w := range words {
		found := false
		for _, h := range folded {
			if strings.Contains(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
