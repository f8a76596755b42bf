package mailin

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Document types, the keys of the submission's items. "" means à classer.
const (
	TypeQuitus        = "quitus"
	TypeReleve        = "releve"
	TypeSubventions   = "justificatifs_subventions"
	typeUnknown       = ""
	maxTypeTextLength = 64 << 10
)

// typeRules are tried in order; each word is matched, accents and case
// ignored, at the start of a word ("releve" matches "Relevés", "verificat"
// matches "vérificateurs" and "vérificatrice").
var typeRules = []struct {
	typ   string
	words []string
}{
	{TypeQuitus, []string{"quitus", "commission de controle", "verificat"}},
	{TypeReleve, []string{"releve", "extrait de compte", "extraits de compte", "banque", "bancaire"}},
	{TypeSubventions, []string{"subvention", "attribution", "notification", "mairie"}},
}

// DetectType returns the document type named by words in text, "" if none.
func DetectType(text string) string {
	if len(text) > maxTypeTextLength {
		text = text[:maxTypeTextLength]
	}
	n := " " + foldWords(text) + " "
	for _, r := range typeRules {
		for _, w := range r.words {
			if strings.Contains(n, " "+w) {
				return r.typ
			}
		}
	}
	return typeUnknown
}

// foldWords lower-cases s, removes accents and turns every run of
// non-alphanumerics (including "_" and "." of file names) into one space.
func foldWords(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, err := transform.String(t, s)
	if err != nil {
		return ""
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'œ':
			b.WriteString("oe")
			space = false
		case r == 'æ':
			b.WriteString("ae")
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// ownText drops what the sender quoted from earlier mail (lines starting
// with ">" and everything after an "… a écrit :" / "Original Message" /
// "De :" separator), so that a reply to a reminder listing every missing
// item is not read as all of them.
func ownText(body string) string {
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		l := strings.TrimSpace(line)
		low := strings.ToLower(l)
		if strings.HasSuffix(low, "a écrit :") || strings.HasSuffix(low, "a écrit:") ||
			strings.HasSuffix(low, "wrote:") || strings.Contains(low, "original message") ||
			strings.HasPrefix(low, "de :") || strings.HasPrefix(low, "from:") ||
			strings.Contains(low, "message transféré") || strings.Contains(low, "forwarded message") {
			break
		}
		if strings.HasPrefix(l, ">") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
