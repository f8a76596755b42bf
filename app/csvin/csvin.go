// Package csvin reads the CSV files that teachers and AD staff bring from
// spreadsheets and other software: UTF-8 (with or without BOM) or
// Windows-1252, ';' or ',' separated, one header row whose column names may
// come in any order and any case. Every importer uses it so that they all
// accept the same files and report errors the same way (French, with the
// physical line number).
package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// bom is the UTF-8 byte order mark that Excel writes at the start of a
// "CSV UTF-8" file.
const bom = "\ufeff"

// Decode turns raw file bytes into a Go string: the UTF-8 BOM is dropped,
// and bytes that are not valid UTF-8 are read as Windows-1252, the encoding
// of CSV files saved by Excel on a French Windows.
func Decode(b []byte) string {
	b = bytes.TrimPrefix(b, []byte(bom))
	if utf8.Valid(b) {
		return string(b)
	}
	// Windows-1252 maps every byte, so decoding cannot fail.
	s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(s)
}

// Table is a decoded CSV file: its rows, addressable by column name.
type Table struct {
	// Sep is the separator found in the header line.
	Sep rune
	// Columns are the normalized header names, in file order.
	Columns []string
	// Ignored lists the header names (as written) that were neither required
	// nor optional, so that a caller may warn about them.
	Ignored []string
	// Rows are the non-empty data rows, in file order.
	Rows  []Row
	index map[string]int
}

// Has reports whether the file has a column of that name (compared like
// header names).
func (t *Table) Has(name string) bool {
	_, ok := t.index[Normalize(name)]
	return ok
}

// Row is one data row of a Table.
type Row struct {
	// Line is the 1-based physical line where the row starts (the header is
	// line 1), as a teacher sees it in a text editor.
	Line   int
	fields []string
	index  map[string]int
}

// Get returns the trimmed value of the named column, or "" when the file has
// no such column or the row is short.
func (r Row) Get(name string) string {
	i, ok := r.index[Normalize(name)]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Normalize folds a column name so that "Pièce", " PIECE " and "piece"
// compare equal: accents removed, lower case, runs of spaces, dashes, dots
// and underscores turned into one underscore ("Code postal" → "code_postal").
func Normalize(name string) string {
	var b strings.Builder
	pendingSep := false
	for _, r := range norm.NFD.String(strings.TrimSpace(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent left by NFD
		case r == ' ' || r == '\u00a0' || r == '\t' || r == '-' || r == '_' || r == '.':
			pendingSep = true
			continue
		}
		if pendingSep && b.Len() > 0 {
			b.WriteByte('_')
		}
		pendingSep = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Read decodes a whole CSV file. The separator (';', ',' or tab) is the one
// that occurs most often in the header line outside quotes. Every required
// column must be present; unknown columns are ignored and listed in
// Table.Ignored. Rows whose fields are all blank are skipped. Structural
// problems (a row with more values than the header, a broken quote) are
// returned together as LineErrors.
func Read(r io.Reader, required []string, optional []string) (*Table, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("lire le fichier CSV : %w", err)
	}
	text := Decode(raw)
	header, _, _ := strings.Cut(text, "\n")
	if strings.TrimSpace(header) == "" {
		return nil, errors.New("le fichier est vide : la première ligne doit donner les noms des colonnes")
	}
	sep := detectSep(header)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1 // short rows are padded, long ones reported below
	// Quotes stay strict: a lazy reader would swallow every following row
	// into one field after an unclosed quote, losing data silently.
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("lire l'en-tête CSV : %w", frenchCSVError(err))
	}
	t := &Table{Sep: sep, index: make(map[string]int, len(head))}
	known := make(map[string]bool, len(required)+len(optional))
	for _, n := range append(append([]string(nil), required...), optional...) {
		known[Normalize(n)] = true
	}
	for i, h := range head {
		n := Normalize(h)
		t.Columns = append(t.Columns, n)
		if n == "" {
			continue // trailing separator after the last column
		}
		if _, dup := t.index[n]; dup {
			return nil, fmt.Errorf("colonne « %s » en double dans l'en-tête", strings.TrimSpace(h))
		}
		t.index[n] = i
		if !known[n] {
			t.Ignored = append(t.Ignored, strings.TrimSpace(h))
		}
	}
	var missing []string
	for _, n := range required {
		if _, ok := t.index[Normalize(n)]; !ok {
			missing = append(missing, "colonne « "+n+" » manquante")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s (colonnes trouvées : %s ; séparateur « %c »)",
			strings.Join(missing, ", "), strings.Join(nonEmpty(head), ", "), sep)
	}

	var errs LineErrors
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.Add(pe.StartLine, "%v", frenchCSVError(err))
				continue
			}
			return nil, fmt.Errorf("lire le fichier CSV : %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) > len(head) && !blank(rec[len(head):]) {
			errs.Add(line, "%d valeurs pour %d colonnes (une virgule dans un montant ou un libellé doit être entre guillemets)",
				len(rec), len(head))
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, fields: rec, index: t.index})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// detectSep picks the separator that occurs most often in the header line
// outside quotes; ';' wins ties because it is what French Excel writes.
func detectSep(header string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range header {
		switch {
		case r == '"':
			inQuote = !inQuote
		case !inQuote && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best := ';'
	for _, r := range []rune{',', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// frenchCSVError rewords encoding/csv's English errors for teachers.
func frenchCSVError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Errorf("guillemet ouvert jamais fermé (%w)", pe.Err)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("guillemet au milieu d'une valeur : mettez la valeur entre guillemets et doublez ceux qu'elle contient (%w)", pe.Err)
	default:
		return fmt.Errorf("ligne illisible (%w)", pe.Err)
	}
}
