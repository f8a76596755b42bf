// Package bank reads bank statements (OFX 1.x/2.x, CSV as exported by French
// banks), matches their lines to the operations of a coop's compte courant
// (Match, and Plan: the policy of an import), suggests an operation for a
// line nothing explains, and computes the état de rapprochement. Pure: no
// SQL, no HTTP; time is always a parameter.
//
// Dates are civil dates: every time.Time this package returns is midnight UTC
// of the day the bank wrote, so that comparing and subtracting them never
// trips over a time zone or a daylight-saving change.
package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"retkoop/app/money"
)

// Statement is one bank statement of one account, as read from a file.
type Statement struct {
	AccountID      string       // account number as the bank wrote it; empty if unknown
	Start, End     time.Time    // period covered; zero if unknown
	OpeningBalance *money.Money // balance before the first line; nil if unknown
	ClosingBalance *money.Money // balance after the last line; nil if unknown
	Lines          []Line       // in file order
}

// Line is one operation of a bank statement.
type Line struct {
	Date   time.Time   // date of the operation (midnight UTC)
	Label  string      // libellé, whitespace collapsed
	Amount money.Money // signed: + credit, − debit
	FITID  string      // OFX transaction id; empty for CSV
	// Key identifies the line across imports: the FITID for OFX, otherwise a
	// hash of date, amount, label and rank among identical lines of the file.
	// Importing the same or an overlapping file again yields the same keys.
	Key    string
	Cheque string // cheque number from the label (or OFX CHECKNUM), without leading zeros; "" if none
}

// ErrFormat matches (errors.Is) every error about a file that cannot be
// read as a statement, so that callers answer with the message (422)
// rather than a server error. Its own text never shows: the messages say
// what is wrong with the file.
var ErrFormat = errors.New("relevé illisible")

// formatError is a problem of the file, in words for the mandataire.
type formatError struct{ msg string }

func (e *formatError) Error() string        { return e.msg }
func (e *formatError) Is(target error) bool { return target == ErrFormat }

// formatErr builds a formatError.
func formatErr(format string, args ...any) error {
	return &formatError{fmt.Sprintf(format, args...)}
}

// Read reads a statement from a file, OFX or CSV, whichever the content (or,
// failing that, the file name) says it is. A CSV is read with the column
// mapping DetectCSV finds; use ReadCSV to force another one.
func Read(name string, b []byte) (Statement, error) {
	if isOFX(name, b) {
		sts, err := ReadOFX(b)
		if err != nil {
			return Statement{}, err
		}
		if len(sts) > 1 {
			ids := make([]string, len(sts))
			for i, st := range sts {
				ids[i] = st.AccountID
			}
			return Statement{}, fmt.Errorf("lecture du relevé OFX : %w", formatErr(
				"le fichier contient %d comptes (%s) ; exportez le relevé du seul compte courant de la coopérative",
				len(sts), strings.Join(ids, ", ")))
		}
		return sts[0], nil
	}
	m, _, err := DetectCSV(b)
	if err != nil {
		return Statement{}, err
	}
	return ReadCSV(b, m)
}

// isOFX tells an OFX file from a CSV one. The content decides; the extension
// only breaks the tie for content that looks like neither.
func isOFX(name string, b []byte) bool {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	head = bytes.ToUpper(head)
	if bytes.Contains(head, []byte("OFXHEADER")) || bytes.Contains(head, []byte("<OFX>")) {
		return true
	}
	if bytes.Contains(head, []byte(";")) {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".ofx" || ext == ".qfx"
}

// decodeText returns the file as UTF-8 text. French banks export either
// UTF-8 (often with a BOM) or Windows-1252; a Windows-1252 file with accents
// is never valid UTF-8, so validity is a reliable test.
func decodeText(b []byte) (text string, encoding string) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if utf8.Valid(b) {
		return string(b), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		// Windows-1252 maps every byte, so this cannot happen; keep the
		// bytes with invalid sequences replaced rather than fail.
		return strings.ToValidUTF8(string(b), "\uFFFD"), "UTF-8"
	}
	return string(out), "Windows-1252"
}

// civil returns midnight UTC of the day t shows in its own location.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayNumber counts days since 1970-01-01 for the civil date of t, so that
// differences between dates are whole days whatever their locations.
func dayNumber(t time.Time) int {
	return int(civil(t).Unix() / 86400)
}

// parseDate reads the dates French banks write: JJ/MM/AAAA, JJ/MM/AA (20AA),
// with '/', '-' or '.' between the parts, and AAAA-MM-JJ.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > 10 {
		return time.Time{}, false
	}
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 || (s[i] != '/' && s[i] != '-' && s[i] != '.') {
		return time.Time{}, false
	}
	parts := strings.Split(s, s[i:i+1])
	if len(parts) != 3 {
		return time.Time{}, false
	}
	var y, m, d int
	nums := make([]int, 3)
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return time.Time{}, false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
		}
		nums[i], _ = strconv.Atoi(p)
	}
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, m, d = nums[0], nums[1], nums[2]
	case len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4:
		d, m, y = nums[0], nums[1], nums[2]
	case len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 2:
		d, m, y = nums[0], nums[1], 2000+nums[2]
	default:
		return time.Time{}, false
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31/02 would silently become 03/03
		return time.Time{}, false
	}
	return t, true
}

// foldAccents maps French accented letters (and ligatures) to ASCII.
var foldAccents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a",
	"À", "A", "Â", "A", "Ä", "A", "Á", "A", "Ã", "A",
	"ç", "c", "Ç", "C",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"É", "E", "È", "E", "Ê", "E", "Ë", "E",
	"î", "i", "ï", "i", "í", "i", "Î", "I", "Ï", "I", "Í", "I",
	"ô", "o", "ö", "o", "ó", "o", "Ô", "O", "Ö", "O", "Ó", "O",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "Ù", "U", "Û", "U", "Ü", "U", "Ú", "U",
	"ÿ", "y", "Ÿ", "Y",
	"œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE",
)

// collapseSpace trims s and turns every run of white space (newlines of
// multi-line CSV labels, no-break spaces) into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// keyLabel normalises a label for the dedupe key. It must never change:
// a different normalisation would give different keys to lines already
// stored, and re-importing a statement would duplicate them.
func keyLabel(s string) string {
	return strings.ToUpper(foldAccents.Replace(collapseSpace(s)))
}

// assignKeys fills Key for lines without one (hash of date, amount,
// normalised label and rank among identical lines), and makes keys unique
// within the file: a repeated FITID (some banks reuse them) gets "#2", "#3"…
// in file order, which is stable across re-imports of the same file.
func assignKeys(lines []Line) {
	seen := make(map[string]int, len(lines))
	for i := range lines {
		l := &lines[i]
		if l.FITID != "" {
			n := seen["fitid|"+l.FITID]
			seen["fitid|"+l.FITID] = n + 1
			l.Key = l.FITID
			if n > 0 {
				l.Key = l.FITID + "#" + strconv.Itoa(n+1)
			}
			continue
		}
		base := fmt.Sprintf("%s|%d|%s", l.Date.Format("2006-01-02"), l.Amount.Cents(), keyLabel(l.Label))
		n := seen[base]
		seen[base] = n + 1
		sum := sha256.Sum256([]byte(base + "|" + strconv.Itoa(n)))
		l.Key = hex.EncodeToString(sum[:12])
	}
}
