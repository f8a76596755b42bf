package bank

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"retkoop/app/money"
)

// Mapping says which column of a CSV statement holds what. Columns are
// 0-based; -1 means the file has no such column. A file has either an
// Amount column (signed) or Debit and/or Credit columns. The mandataire can
// correct a detected mapping; the app remembers it per coop.
type Mapping struct {
	Date, Label, Debit, Credit, Amount int
	// HeaderRow is the 0-based index, among the file's records (Preview.Rows),
	// of the row naming the columns; the operations follow it.
	HeaderRow int
}

// Preview is what the column-picking screen shows.
type Preview struct {
	Separator string       // ";", "\t" or ","
	Encoding  string       // "UTF-8" or "Windows-1252"
	Rows      []PreviewRow // the first records of the file, header lines included; Rows[i] is record i
	Sample    []Line       // the first operations read with the detected mapping
}

// PreviewRow is one record of the file with the line where it starts.
type PreviewRow struct {
	Line  int // 1-based line number in the file
	Cells []string
}

// LineError is one problem of a CSV statement, at a 1-based line number.
type LineError struct {
	Line int
	Msg  string
}

// Error reads "ligne 12 : …".
func (e LineError) Error() string { return fmt.Sprintf("ligne %d : %s", e.Line, e.Msg) }

// LineErrors lists every problem of a file, so that the mandataire sees them
// all at once rather than one per attempt.
type LineErrors []LineError

// Error lists the first ten problems and counts the others.
func (e LineErrors) Error() string {
	const shown = 10
	var b strings.Builder
	for i, le := range e {
		if i == shown {
			fmt.Fprintf(&b, " ; et %d autre(s) erreur(s)", len(e)-shown)
			break
		}
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(le.Error())
	}
	return b.String()
}

// Is makes every LineErrors an ErrFormat.
func (e LineErrors) Is(target error) bool { return target == ErrFormat }

// ErrNoHeader is returned by DetectCSV when no row of the file names a date,
// a label and an amount column; the Preview is still filled so that the
// mandataire can pick the columns.
var ErrNoHeader = formatErr("ligne d'en-tête du tableau (Date, Libellé, Montant ou Débit/Crédit) introuvable : choisissez les colonnes")

const (
	headerSearchRows = 60 // the table starts within this many records
	previewRows      = 30
	sampleLines      = 10
	maxLineErrors    = 50
)

// record is one CSV record and the line where it starts.
type record struct {
	line  int
	cells []string
}

// DetectCSV finds the separator, the header row and the columns of a CSV
// statement. On ErrNoHeader the Preview is valid and the Mapping has -1
// everywhere.
func DetectCSV(b []byte) (Mapping, Preview, error) {
	text, enc := decodeText(b)
	sep, recs, err := splitCSV(text)
	p := Preview{Separator: string(sep), Encoding: enc}
	for i := 0; i < len(recs) && i < previewRows; i++ {
		p.Rows = append(p.Rows, PreviewRow{Line: recs[i].line, Cells: recs[i].cells})
	}
	none := Mapping{Date: -1, Label: -1, Debit: -1, Credit: -1, Amount: -1, HeaderRow: -1}
	if err != nil {
		return none, p, fmt.Errorf("détection des colonnes : %w", err)
	}
	m, ok := findHeader(recs)
	if !ok {
		return none, p, fmt.Errorf("détection des colonnes : %w", ErrNoHeader)
	}
	if st, err := readRecords(recs, m); err == nil {
		p.Sample = st.Lines[:min(len(st.Lines), sampleLines)]
	}
	return m, p, nil
}

// ReadCSV reads a CSV statement with the given mapping.
func ReadCSV(b []byte, m Mapping) (Statement, error) {
	text, _ := decodeText(b)
	_, recs, err := splitCSV(text)
	if err != nil {
		return Statement{}, fmt.Errorf("lecture du relevé CSV : %w", err)
	}
	st, err := readRecords(recs, m)
	if err != nil {
		return Statement{}, fmt.Errorf("lecture du relevé CSV : %w", err)
	}
	return st, nil
}

// splitCSV picks the separator and splits the text into records. The
// separator is the first of ';' (what French banks use), tab and ',' with
// which a header row is found; failing that, the most frequent one.
func splitCSV(text string) (rune, []record, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	seps := []rune{';', '\t', ','}
	for _, sep := range seps {
		recs, err := parseRecords(text, sep, headerSearchRows)
		if err != nil {
			continue
		}
		if _, ok := findHeader(recs); ok {
			recs, err = parseRecords(text, sep, -1)
			return sep, recs, err
		}
	}
	best, bestCount := ';', 0
	head := text
	if len(head) > 8192 {
		head = head[:8192]
	}
	for _, sep := range seps {
		if n := strings.Count(head, string(sep)); n > bestCount {
			best, bestCount = sep, n
		}
	}
	recs, err := parseRecords(text, best, -1)
	return best, recs, err
}

// parseRecords reads at most limit records (all when limit < 0). Quotes are
// read leniently: bank exports put stray quotes inside labels.
func parseRecords(text string, sep rune, limit int) ([]record, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var recs []record
	for limit < 0 || len(recs) < limit {
		cells, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Lazy quotes and free field counts leave little to fail on;
			// report the line the reader stopped at.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return recs, LineErrors{{Line: pe.StartLine, Msg: fmt.Sprintf("ligne illisible (%v)", pe.Err)}}
			}
			return recs, formatErr("fichier CSV illisible (%v)", err)
		}
		line, _ := r.FieldPos(0)
		for i, c := range cells {
			cells[i] = cleanCell(c)
		}
		recs = append(recs, record{line: line, cells: cells})
	}
	return recs, nil
}

// cleanCell trims a cell and unwraps the ="…" Excel guard some banks use to
// keep leading zeros.
func cleanCell(c string) string {
	c = strings.TrimSpace(c)
	if strings.HasPrefix(c, `="`) && strings.HasSuffix(c, `"`) && len(c) >= 3 {
		c = c[2 : len(c)-1]
	}
	return strings.TrimSpace(c)
}

// headerName normalises a header cell: lower-case ASCII words.
func headerName(c string) string {
	c = strings.ToLower(foldAccents.Replace(c))
	f := strings.FieldsFunc(c, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') })
	return strings.Join(f, " ")
}

// column kinds and the rank of a header name for each (lower is better;
// the absence of a rank means the name is not that kind).
func rankDate(h string) (int, bool) {
	switch {
	case h == "date":
		return 0, true
	case strings.HasPrefix(h, "date operation"), strings.HasPrefix(h, "date d operation"),
		strings.HasPrefix(h, "date de l operation"), strings.HasPrefix(h, "date comptable"),
		strings.HasPrefix(h, "date compta"):
		return 1, true
	case strings.HasPrefix(h, "date valeur"), strings.HasPrefix(h, "date de valeur"):
		// The value date is the bank's interest date, days off the operation.
		return 3, true
	case strings.HasPrefix(h, "date"):
		return 2, true
	}
	return 0, false
}

func rankLabel(h string) (int, bool) {
	switch {
	case h == "libelle":
		return 0, true
	case strings.HasPrefix(h, "libelle"):
		return 1, true
	case h == "intitule", h == "description", h == "designation", h == "detail",
		strings.HasPrefix(h, "nature"), h == "operation", h == "operations", h == "type operation":
		return 2, true
	}
	return 0, false
}

func rankDebit(h string) (int, bool) {
	switch {
	case strings.HasPrefix(h, "debit"):
		return 0, true
	case strings.HasPrefix(h, "montant debit"), strings.HasPrefix(h, "sortie"):
		return 1, true
	}
	return 0, false
}

func rankCredit(h string) (int, bool) {
	switch {
	case strings.HasPrefix(h, "credit"):
		return 0, true
	case strings.HasPrefix(h, "montant credit"), strings.HasPrefix(h, "entree"):
		return 1, true
	}
	return 0, false
}

func rankAmount(h string) (int, bool) {
	switch {
	case strings.HasPrefix(h, "montant debit"), strings.HasPrefix(h, "montant credit"):
		return 0, false
	case strings.HasPrefix(h, "montant"):
		return 0, true
	case h == "somme", h == "valeur eur", h == "amount":
		return 1, true
	}
	return 0, false
}

// mapHeader maps the cells of a candidate header row; the leftmost of the
// best-ranked names wins each kind, and a column serves one kind only.
func mapHeader(cells []string) Mapping {
	m := Mapping{Date: -1, Label: -1, Debit: -1, Credit: -1, Amount: -1}
	kinds := []struct {
		col  *int
		rank func(string) (int, bool)
	}{{&m.Date, rankDate}, {&m.Debit, rankDebit}, {&m.Credit, rankCredit}, {&m.Amount, rankAmount}, {&m.Label, rankLabel}}
	used := make(map[int]bool)
	for _, k := range kinds {
		best := -1
		for i, c := range cells {
			if used[i] {
				continue
			}
			r, ok := k.rank(headerName(c))
			if ok && (*k.col < 0 || r < best) {
				*k.col, best = i, r
			}
		}
		if *k.col >= 0 {
			used[*k.col] = true
		}
	}
	return m
}

// findHeader returns the mapping of the first record naming a date, a label
// and an amount (or debit/credit) column.
func findHeader(recs []record) (Mapping, bool) {
	for i := 0; i < len(recs) && i < headerSearchRows; i++ {
		m := mapHeader(recs[i].cells)
		if m.Date >= 0 && m.Label >= 0 && (m.Amount >= 0 || m.Debit >= 0 || m.Credit >= 0) {
			m.HeaderRow = i
			return m, true
		}
	}
	return Mapping{}, false
}

// check rejects a mapping that cannot be read, in words for the column
// picker.
func (m Mapping) check(nrecs int) error {
	var missing []string
	if m.Date < 0 {
		missing = append(missing, "la date")
	}
	if m.Label < 0 {
		missing = append(missing, "le libellé")
	}
	if m.Amount < 0 && m.Debit < 0 && m.Credit < 0 {
		missing = append(missing, "le montant (ou le débit et le crédit)")
	}
	if len(missing) > 0 {
		return formatErr("choisissez la colonne contenant %s", strings.Join(missing, ", "))
	}
	if m.HeaderRow < 0 || m.HeaderRow >= nrecs {
		return formatErr("la ligne d'en-tête n° %d n'existe pas (le fichier a %d lignes)", m.HeaderRow+1, nrecs)
	}
	seen := map[int]bool{}
	for _, c := range []int{m.Date, m.Label, m.Debit, m.Credit, m.Amount} {
		if c < 0 {
			continue
		}
		if seen[c] {
			return formatErr("la colonne %d est choisie pour deux usages", c+1)
		}
		seen[c] = true
	}
	return nil
}

// readRecords turns the records under the header into lines, and the text
// around the table into account, period and balances.
func readRecords(recs []record, m Mapping) (Statement, error) {
	if err := m.check(len(recs)); err != nil {
		return Statement{}, err
	}
	var (
		st    Statement
		meta  metaLines
		errs  LineErrors
		lines []Line
	)
	for _, r := range recs[:m.HeaderRow] {
		meta.add(r, Mapping{Date: -1, Label: -1, Debit: -1, Credit: -1, Amount: -1})
	}
	cell := func(r record, i int) string {
		if i < 0 || i >= len(r.cells) {
			return ""
		}
		return r.cells[i]
	}
	for _, r := range recs[m.HeaderRow+1:] {
		if len(errs) >= maxLineErrors {
			break
		}
		if strings.TrimSpace(strings.Join(r.cells, "")) == "" {
			continue
		}
		dateCell := cell(r, m.Date)
		label := collapseSpace(cell(r, m.Label))
		amountCells := cell(r, m.Amount) + cell(r, m.Debit) + cell(r, m.Credit)
		date, ok := parseDate(dateCell)
		if ok && isBalanceLabel(label) {
			meta.add(r, m)
			continue
		}
		if !ok {
			upper := keyLabel(strings.Join(r.cells, " "))
			switch {
			case strings.Contains(upper, "SOLDE"):
				meta.add(r, m)
			case strings.Contains(upper, "TOTAL"):
				// Totals of the columns: nothing to keep.
			case dateCell == "" && amountCells == "" && label != "" && len(lines) > 0:
				// A label continued on the next row, as some banks export
				// long SEPA references.
				lines[len(lines)-1].Label += " " + label
			case dateCell == "" && amountCells == "":
				// A row of decoration between the table and the footer.
			default:
				errs = append(errs, LineError{r.line, fmt.Sprintf("date « %s » illisible (attendu JJ/MM/AAAA)", dateCell)})
			}
			continue
		}
		amount, msg := rowAmount(cell(r, m.Amount), cell(r, m.Debit), cell(r, m.Credit))
		if msg != "" {
			errs = append(errs, LineError{r.line, msg})
			continue
		}
		if amount == 0 {
			// Informational rows (a card fee waived, "0,00"): nothing moved.
			continue
		}
		lines = append(lines, Line{Date: date, Label: label, Amount: amount})
	}
	if len(errs) > 0 {
		return Statement{}, errs
	}
	for i := range lines {
		lines[i].Cheque = ChequeNumber(lines[i].Label)
	}
	assignKeys(lines)
	st.Lines = lines
	meta.apply(&st)
	return st, nil
}

// rowAmount reads the signed amount of a row from its Amount cell, or from
// its Debit and Credit cells. A debit is written positive by some banks and
// negative by others: either way it takes money out.
func rowAmount(amount, debit, credit string) (money.Money, string) {
	if amount != "" {
		v, err := money.Parse(amount)
		if err != nil {
			return 0, fmt.Sprintf("montant « %s » illisible", amount)
		}
		return v, ""
	}
	if debit == "" && credit == "" {
		return 0, "montant absent (ni débit ni crédit)"
	}
	var total money.Money
	if debit != "" {
		v, err := money.Parse(debit)
		if err != nil {
			return 0, fmt.Sprintf("débit « %s » illisible", debit)
		}
		total -= v.Abs()
	}
	if credit != "" {
		v, err := money.Parse(credit)
		if err != nil {
			return 0, fmt.Sprintf("crédit « %s » illisible", credit)
		}
		total += v.Abs()
	}
	return total, ""
}
