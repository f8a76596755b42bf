package ledger

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"retkoop/app/csvin"
	"retkoop/app/money"
)

// BookColumns are the columns of the book CSV of the contract, in the order
// WriteBookCSV writes them; "projet" is an extension read when present.
var BookColumns = []string{"date", "piece", "libelle", "mode", "cheque", "tresorerie", "compte", "recette", "depense", "pointage", "projet"}

// bookRow is one valid CSV row: one ventilation line, or one transfer.
type bookRow struct {
	line     int
	date     time.Time
	piece    string
	libelle  string
	mode     Mode
	cheque   string
	treasury Treasury
	account  string   // ventilated row
	other    Treasury // transfer row: the treasury in the compte column
	recette  bool
	amount   money.Money
	ticked   *time.Time
	project  string
}

// ParseBookCSV reads a book in the contract's CSV format into operations of
// exercice ex, all or nothing. Rows with the same pièce, date and treasury
// form one operation whose amount is the sum of its rows. A row whose compte
// is banque, caisse or regie:ID is an internal transfer: a dépense on the
// tresorerie is money moved to the compte treasury, a recette the reverse.
// The two mirrored rows a double-entry spreadsheet writes for one transfer
// are merged. opening gives the balances at 1 September, so that a caisse
// going negative is refused. Every problem of the file is returned at once
// as csvin.LineErrors.
func ParseBookCSV(r io.Reader, ex Exercice, chart Chart, opening Balances) ([]Operation, error) {
	tab, err := csvin.Read(r, []string{"date", "piece", "libelle", "tresorerie", "compte", "recette", "depense"},
		[]string{"mode", "cheque", "pointage", "projet"})
	if err != nil {
		return nil, fmt.Errorf("importer le cahier : %w", err)
	}
	var errs csvin.LineErrors
	var rows []bookRow
	for _, tr := range tab.Rows {
		if br, ok := parseBookRow(tr, ex, chart, &errs); ok {
			rows = append(rows, br)
		}
	}
	if len(tab.Rows) == 0 {
		errs.Add(0, "le fichier ne contient aucune opération")
	}
	ops, lines := groupRows(rows, &errs)

	ctx := Context{Exercice: ex, Chart: chart, Pieces: map[string]int64{}}
	for i := range ops {
		if t := ops[i].Treasury; t.IsRegie() && !hasRegie(ctx.Regies, t.RegieID()) {
			ctx.Regies = append(ctx.Regies, Regie{ID: t.RegieID()})
		}
		if t := ops[i].Counterpart; t.IsRegie() && !hasRegie(ctx.Regies, t.RegieID()) {
			ctx.Regies = append(ctx.Regies, Regie{ID: t.RegieID()})
		}
	}
	for i := range ops {
		var inv Invalid
		if errors.As(Validate(ops[i], ctx), &inv) {
			for _, e := range inv {
				errs.Add(lines[i], "pièce « %s » : %s", ops[i].Piece, e.Msg)
			}
		}
	}

	// The IDs carry the file order into the book's sort and back to lines.
	for i := range ops {
		ops[i].ID = int64(i + 1)
	}
	book := NewBook(opening, ops)
	var ne *NegativeError
	if errors.As(book.CheckCash(), &ne) {
		line := 0
		if ne.OpIndex >= 0 {
			line = lines[book.Ops[ne.OpIndex].ID-1]
		}
		errs.Add(line, "%s", ne.Error())
	}
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("importer le cahier : %w", err)
	}
	for i := range book.Ops {
		book.Ops[i].ID = 0
	}
	return book.Ops, nil
}

// parseBookRow checks one row on its own, adding its problems to errs.
func parseBookRow(tr csvin.Row, ex Exercice, chart Chart, errs *csvin.LineErrors) (bookRow, bool) {
	n := len(*errs)
	br := bookRow{line: tr.Line, piece: tr.Get("piece"), libelle: tr.Get("libelle"),
		cheque: tr.Get("cheque"), project: tr.Get("projet")}
	d, err := csvin.ParseDate(tr.Get("date"))
	switch {
	case err != nil:
		errs.Add(tr.Line, "%v", err)
	case !ex.Contains(d):
		errs.Add(tr.Line, "la date %s est hors de l'exercice %s (du %s au %s)",
			frDate(d), ex, frDate(ex.Debut()), frDate(ex.Fin()))
	}
	br.date = d
	if br.piece == "" {
		errs.Add(tr.Line, "numéro de pièce manquant")
	}
	mode, ok := ParseMode(tr.Get("mode"))
	if !ok {
		errs.Add(tr.Line, "mode de règlement « %s » inconnu (cheque, especes, virement, carte, prelevement ou remise)", tr.Get("mode"))
	}
	br.mode = mode
	if br.treasury, ok = ParseTreasury(tr.Get("tresorerie")); !ok {
		errs.Add(tr.Line, "trésorerie « %s » inconnue (banque, caisse ou regie:NOM)", tr.Get("tresorerie"))
	}
	if p := tr.Get("pointage"); p != "" {
		t, err := csvin.ParseDate(p)
		if err != nil {
			errs.Add(tr.Line, "pointage : %v", err)
		}
		br.ticked = &t
	}

	rec, errR := parseAmount(tr.Get("recette"))
	dep, errD := parseAmount(tr.Get("depense"))
	switch {
	case errR != nil:
		errs.Add(tr.Line, "recette : %v", errR)
	case errD != nil:
		errs.Add(tr.Line, "dépense : %v", errD)
	case rec < 0 || dep < 0:
		errs.Add(tr.Line, "montant négatif : écrivez une dépense plutôt qu'une recette négative, et inversement")
	case rec != 0 && dep != 0:
		errs.Add(tr.Line, "recette et dépense sur la même ligne : une ligne est l'une ou l'autre")
	case rec == 0 && dep == 0:
		errs.Add(tr.Line, "ni recette ni dépense : indiquez le montant dans l'une des deux colonnes")
	}
	br.recette, br.amount = rec != 0, rec+dep

	compte := tr.Get("compte")
	if t, isT := ParseTreasury(compte); isT {
		br.other = t
	} else {
		br.account = compte
		switch {
		case compte == "":
			errs.Add(tr.Line, "compte manquant : un compte du plan comptable, ou banque/caisse pour un mouvement interne")
		case !chart.Has(compte):
			errs.Add(tr.Line, "compte « %s » inconnu dans le plan comptable", compte)
		case br.amount > 0 && br.recette && !ProductAccount(compte):
			errs.Add(tr.Line, "une recette va sur un compte de produits (7…), pas sur %s (%s)", compte, chart.Label(compte))
		case br.amount > 0 && !br.recette && !ChargeAccount(compte):
			errs.Add(tr.Line, "une dépense va sur un compte de charges (6…), pas sur %s (%s)", compte, chart.Label(compte))
		}
	}
	return br, len(*errs) == n
}

// parseAmount reads a money cell; an empty cell is zero.
func parseAmount(s string) (money.Money, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return money.Parse(s)
}

// groupRows turns rows into operations and returns, for each operation, the
// line of its first row.
func groupRows(rows []bookRow, errs *csvin.LineErrors) ([]Operation, []int) {
	var ops []Operation
	var lines []int
	first := map[string]int{}     // pièce|date|treasury → index in ops
	pieceLine := map[string]int{} // pièce → line of its first operation
	pieceOp := map[string]int{}   // pièce → index of its first operation
	for _, br := range rows {
		key := PieceKey(br.piece) + "|" + isoDate(br.date) + "|" + string(br.treasury)
		i, seen := first[key]
		if !seen {
			op := Operation{Date: br.date, Piece: br.piece, Libelle: br.libelle, Mode: br.mode, Cheque: br.cheque,
				Treasury: br.treasury, Kind: Depense, Ticked: br.ticked, Project: br.project, Line: br.line}
			switch {
			case br.other != "" && br.recette: // money arrives on tresorerie from compte
				op.Kind, op.Treasury, op.Counterpart = Transfert, br.other, br.treasury
			case br.other != "":
				op.Kind, op.Counterpart = Transfert, br.other
			case br.recette:
				op.Kind = Recette
			}
			if mirror, ok := pieceOp[PieceKey(br.piece)]; ok && isMirror(&ops[mirror], &op, br.amount) {
				continue // second half of a transfer already read
			}
			if l, dup := pieceLine[PieceKey(br.piece)]; dup {
				errs.Add(br.line, "la pièce « %s » est déjà utilisée ligne %d pour une autre date ou trésorerie", br.piece, l)
				continue
			}
			i = len(ops)
			first[key], pieceLine[PieceKey(br.piece)], pieceOp[PieceKey(br.piece)] = i, br.line, i
			ops = append(ops, op)
			lines = append(lines, br.line)
		}
		addRow(&ops[i], br, errs)
	}
	return ops, lines
}

// addRow adds a row to its operation, refusing rows that do not fit.
func addRow(op *Operation, br bookRow, errs *csvin.LineErrors) {
	isTransfer := br.other != ""
	switch {
	case (op.Kind == Transfert) != isTransfer:
		errs.Add(br.line, "la pièce « %s » mélange un mouvement interne et une ventilation : séparez-les en deux pièces", br.piece)
		return
	case !isTransfer && (op.Kind == Recette) != br.recette:
		errs.Add(br.line, "la pièce « %s » mélange recettes et dépenses : séparez-les en deux pièces", br.piece)
		return
	case isTransfer && op.Amount > 0 && transferEnds(br) != [2]Treasury{op.Treasury, op.Counterpart}:
		errs.Add(br.line, "la pièce « %s » déplace de l'argent vers deux trésoreries différentes", br.piece)
		return
	}
	op.Amount += br.amount
	if !isTransfer {
		op.Lines = append(op.Lines, Line{Account: br.account, Amount: br.amount})
	}
	if op.Libelle == "" {
		op.Libelle = br.libelle
	}
	if op.Mode == "" {
		op.Mode = br.mode
	}
	if op.Cheque == "" {
		op.Cheque = br.cheque
	}
	if op.Ticked == nil {
		op.Ticked = br.ticked
	}
	if op.Project == "" {
		op.Project = br.project
	}
}

// transferEnds returns the source and destination of a transfer row.
func transferEnds(br bookRow) [2]Treasury {
	if br.recette {
		return [2]Treasury{br.other, br.treasury}
	}
	return [2]Treasury{br.treasury, br.other}
}

// isMirror reports whether op (not yet filled) is the other side of the
// transfer prev, as a double-entry spreadsheet writes it.
func isMirror(prev, op *Operation, amount money.Money) bool {
	return prev.Kind == Transfert && op.Kind == Transfert && dayKey(prev.Date) == dayKey(op.Date) &&
		prev.Treasury == op.Treasury && prev.Counterpart == op.Counterpart && prev.Amount == amount
}

// WriteBookCSV writes the operations in the contract's CSV format, in the
// book's order, so that ParseBookCSV reads the same book back. The file
// starts with a UTF-8 BOM and uses ';' and CRLF, as French Excel expects.
func WriteBookCSV(w io.Writer, ops []Operation) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("écrire le cahier CSV : %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(BookColumns); err != nil {
		return fmt.Errorf("écrire le cahier CSV : %w", err)
	}
	for _, op := range NewBook(nil, ops).Ops {
		for _, rec := range bookRecords(&op) {
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("écrire le cahier CSV : %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("écrire le cahier CSV : %w", err)
	}
	return nil
}

// bookRecords returns the CSV rows of one operation: one per ventilation
// line, or one for a transfer (a dépense of its source treasury).
func bookRecords(op *Operation) [][]string {
	ticked := ""
	if op.Ticked != nil {
		ticked = frDate(*op.Ticked)
	}
	row := func(compte string, amount money.Money, recette bool) []string {
		rec, dep := "", amount.Plain()
		if recette {
			rec, dep = dep, rec
		}
		return []string{frDate(op.Date), op.Piece, op.Libelle, string(op.Mode), op.Cheque, string(op.Treasury),
			compte, rec, dep, ticked, op.Project}
	}
	if op.Kind == Transfert {
		return [][]string{row(string(op.Counterpart), op.Amount, false)}
	}
	if len(op.Lines) == 0 { // not ventilated yet: keep the amount visible
		return [][]string{row("", op.Amount, op.Kind == Recette)}
	}
	out := make([][]string, len(op.Lines))
	for i, l := range op.Lines {
		out[i] = row(l.Account, l.Amount, op.Kind == Recette)
	}
	return out
}
