package service

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"retkoop/app/store"
)

// The triage's suggestion: for a message whose coop mailin could not
// identify, the coop it most likely comes from, so that assigning it is
// one click. Each clue scores; the best coop wins (the lowest id on a tie).
// It is only a suggestion: the staff member sees it and may change it.
const (
	scoreSender  = 100 // the sender is the mandataire of this coop (of several, when the address is shared)
	scoreDigits  = 80  // the 7 digits of its UAI, with a wrong or missing check letter
	scoreName    = 40  // every distinctive word of its name (+5 per word)
	scoreDomain  = 30  // the only coop whose mandataire writes from that (non-webmail) domain
	scoreCommune = 10  // its commune is named
)

// suggestInput is what the triage knows of a message.
type SuggestInput struct {
	From, FromName, Subject, Text string
	Names                         []string // file names
}

// webmail domains say nothing about the school.
var webmail = map[string]bool{
	"gmail.com": true, "orange.fr": true, "wanadoo.fr": true, "free.fr": true, "laposte.net": true,
	"hotmail.com": true, "hotmail.fr": true, "outlook.com": true, "outlook.fr": true, "live.fr": true,
	"yahoo.fr": true, "yahoo.com": true, "icloud.com": true, "me.com": true, "sfr.fr": true, "neuf.fr": true,
	"bbox.fr": true, "aol.com": true, "gmx.fr": true, "protonmail.com": true, "proton.me": true,
}

// nameStopWords are the words of a coop's name that many coops share.
var nameStopWords = map[string]bool{
	"ecole": true, "ecoles": true, "coop": true, "cooperative": true, "scolaire": true, "scolaires": true,
	"maternelle": true, "elementaire": true, "primaire": true, "groupe": true, "college": true, "lycee": true,
	"rpi": true, "occe": true, "de": true, "la": true, "le": true, "les": true, "du": true, "des": true,
	"d": true, "l": true, "et": true, "en": true, "au": true, "aux": true, "sur": true,
}

// suggestCoop returns the id of the coop the message most likely comes
// from, false when nothing points to one.
func SuggestCoop(in SuggestInput, coops []store.Coop) (int64, bool) {
	from := strings.ToLower(strings.TrimSpace(in.From))
	local, domain, _ := strings.Cut(from, "@")
	hay := " " + normalizeWords(strings.Join(append([]string{in.Subject, in.FromName, local, in.Text}, in.Names...), " ")) + " "
	digits := sevenDigitRuns(strings.Join(append([]string{in.Subject, in.FromName, local, in.Text}, in.Names...), " "))
	domainCoops := 0
	if domain != "" && !webmail[domain] {
		for _, c := range coops {
			if emailDomain(c.MandataireEmail) == domain {
				domainCoops++
			}
		}
	}
	var best int64
	bestScore := 0
	for _, c := range coops {
		score := 0
		if from != "" && strings.EqualFold(strings.TrimSpace(c.MandataireEmail), from) {
			score += scoreSender
		}
		if len(c.UAI) >= 7 && digits[c.UAI[:7]] {
			score += scoreDigits
		}
		if words := distinctiveWords(c.Name); len(words) > 0 && containsAll(hay, words) {
			score += scoreName + 5*len(words)
		}
		if domainCoops == 1 && emailDomain(c.MandataireEmail) == domain {
			score += scoreDomain
		}
		if commune := normalizeWords(c.Commune); len(commune) >= 3 && strings.Contains(hay, " "+commune+" ") {
			score += scoreCommune
		}
		if score > bestScore {
			best, bestScore = c.ID, score
		}
	}
	return best, bestScore > scoreCommune
}

func emailDomain(addr string) string {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return ""
	}
	return d
}

// sevenDigitRuns returns every run of exactly 7 digits in s.
func sevenDigitRuns(s string) map[string]bool {
	out := map[string]bool{}
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == 7 {
			out[s[i-7:i]] = true
		}
		run = 0
	}
	return out
}

// distinctiveWords are the words of a coop name that identify it.
func distinctiveWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(normalizeWords(name)) {
		if len(w) >= 3 && !nameStopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, " "+w+" ") {
			return false
		}
	}
	return true
}

// normalizeWords lower-cases s, drops accents and turns everything but
// letters and digits into single spaces: "École J.-Jaurès" → "ecole j jaures".
func normalizeWords(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		plain = s
	}
	plain = strings.ToLower(plain)
	return strings.Join(strings.FieldsFunc(plain, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}
