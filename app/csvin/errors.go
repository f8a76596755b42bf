package csvin

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LineError is one problem found on one line of an imported file.
type LineError struct {
	Line int
	Msg  string
}

// Error formats the problem as "ligne 4 : montant invalide".
func (e LineError) Error() string {
	if e.Line <= 0 {
		return e.Msg
	}
	return "ligne " + strconv.Itoa(e.Line) + " : " + e.Msg
}

// LineErrors collects every problem of a file so that an import reports them
// all at once instead of making the teacher fix them one by one.
type LineErrors []LineError

// Add records a problem on a line; the message is formatted like fmt.Sprintf.
func (l *LineErrors) Add(line int, format string, args ...any) {
	*l = append(*l, LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Err returns the collected problems sorted by line (stable, so several
// problems of one line keep their order), or a true nil when there are none.
// Returning nil explicitly avoids the typed-nil-in-interface trap.
func (l LineErrors) Err() error {
	if len(l) == 0 {
		return nil
	}
	sorted := slices.Clone(l)
	slices.SortStableFunc(sorted, func(a, b LineError) int { return a.Line - b.Line })
	return sorted
}

// Error lists every problem, one per line of text.
func (l LineErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	n := "erreur"
	if len(l) > 1 {
		n = "erreurs"
	}
	return fmt.Sprintf("%d %s dans le fichier :\n%s", len(l), n, strings.Join(msgs, "\n"))
}

// ParseDate reads a date written JJ/MM/AAAA (day and month may have one
// digit) or AAAA-MM-JJ, and returns midnight UTC of that day. Impossible
// dates such as 31/02/2026 are refused rather than rolled over.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	var ok bool
	if a, b, c, n := split3(s, "/"); n {
		d, m, y, ok = atoi(a, 1, 2), atoi(b, 1, 2), atoi(c, 4, 4), true
	} else if a, b, c, n := split3(s, "-"); n {
		y, m, d, ok = atoi(a, 4, 4), atoi(b, 2, 2), atoi(c, 2, 2), true
	}
	if ok && y > 0 && m >= 1 && m <= 12 && d >= 1 {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() == d && t.Month() == time.Month(m) {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date invalide : « %s » (attendu JJ/MM/AAAA ou AAAA-MM-JJ)", s)
}

func split3(s, sep string) (a, b, c string, ok bool) {
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// atoi parses a run of minLen..maxLen ASCII digits, or returns -1.
func atoi(s string, minLen, maxLen int) int {
	if len(s) < minLen || len(s) > maxLen {
		return -1
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
