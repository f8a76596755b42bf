package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// Sheet names of the book's XLSX export.
const (
	SheetOperations = "Opérations"
	SheetTotals     = "Totaux par compte"
)

// WriteBookXLSX writes the book as a spreadsheet: a sheet "Opérations" with
// one row per ventilation line (like the CSV, with account names), and a
// sheet "Totaux par compte" with each account's total, the totals of charges
// and produits and the résultat. Amounts are numbers with a euro format so
// that the mandataire can add them up in the spreadsheet.
func WriteBookXLSX(w io.Writer, ops []ledger.Operation, totals ledger.Totals, chart ledger.Chart) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeBookXLSX(f, ops, totals, chart); err != nil {
		return fmt.Errorf("écrire le cahier XLSX : %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("écrire le cahier XLSX : %w", err)
	}
	return nil
}

// euros converts cents to the float a spreadsheet cell stores; it is only
// used at this boundary, never for arithmetic.
func euros(m money.Money) float64 { return float64(m.Cents()) / 100 }

func writeBookXLSX(f *excelize.File, ops []ledger.Operation, totals ledger.Totals, chart ledger.Chart) error {
	numFmt := euroFormat
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	boldMoney, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}

	if err := f.SetSheetName("Sheet1", SheetOperations); err != nil {
		return err
	}
	s := SheetOperations
	header := []any{"Date", "Pièce", "Libellé", "Mode", "N° de chèque", "Trésorerie", "Compte", "Libellé du compte",
		"Recette", "Dépense", "Pointage", "Projet"}
	if err := f.SetSheetRow(s, "A1", &header); err != nil {
		return err
	}
	row := 2
	for _, op := range ledger.NewBook(nil, ops).Ops {
		for _, rec := range bookXLSXRows(&op, chart) {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := f.SetSheetRow(s, cell, &rec); err != nil {
				return err
			}
			row++
		}
	}
	last := row - 1
	if last >= 2 {
		for _, st := range []struct {
			from, to string
			style    int
		}{{"A", "A", date}, {"I", "J", moneyStyle}, {"K", "K", date}} {
			if err := f.SetCellStyle(s, fmt.Sprintf("%s2", st.from), fmt.Sprintf("%s%d", st.to, last), st.style); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(s, "A1", "L1", bold); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 11, "B": 9, "C": 40, "D": 16, "E": 13, "F": 16, "G": 11, "H": 40, "I": 12, "J": 12, "K": 11, "L": 18} {
		if err := f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}

	t := SheetTotals
	if _, err := f.NewSheet(t); err != nil {
		return err
	}
	if err := f.SetSheetRow(t, "A1", &[]any{"Compte", "Libellé", "Montant"}); err != nil {
		return err
	}
	row = 2
	for _, a := range totals.Accounts() {
		if err := f.SetSheetRow(t, fmt.Sprintf("A%d", row), &[]any{a.Account, chart.Label(a.Account), euros(a.Amount)}); err != nil {
			return err
		}
		if err := f.SetCellStyle(t, fmt.Sprintf("C%d", row), fmt.Sprintf("C%d", row), moneyStyle); err != nil {
			return err
		}
		row++
	}
	row++
	for _, sum := range []struct {
		label string
		m     money.Money
	}{{"Total des charges", totals.Depenses}, {"Total des produits", totals.Recettes}, {"Résultat", totals.Resultat()}} {
		if err := f.SetSheetRow(t, fmt.Sprintf("B%d", row), &[]any{sum.label, euros(sum.m)}); err != nil {
			return err
		}
		if err := f.SetCellStyle(t, fmt.Sprintf("B%d", row), fmt.Sprintf("C%d", row), boldMoney); err != nil {
			return err
		}
		row++
	}
	if err := f.SetCellStyle(t, "A1", "C1", bold); err != nil {
		return err
	}
	if err := f.SetColWidth(t, "B", "B", 50); err != nil {
		return err
	}
	return f.SetColWidth(t, "C", "C", 14)
}

// bookXLSXRows returns the spreadsheet rows of one operation, one per
// ventilation line, or one for a transfer.
func bookXLSXRows(op *ledger.Operation, chart ledger.Chart) [][]any {
	var ticked any
	if op.Ticked != nil {
		ticked = *op.Ticked
	}
	row := func(account, label string, amount money.Money, recette bool) []any {
		var rec, dep any
		if recette {
			rec = euros(amount)
		} else {
			dep = euros(amount)
		}
		return []any{op.Date, op.Piece, op.Libelle, op.Mode.Label(), op.Cheque, treasuryName(op.Treasury),
			account, label, rec, dep, ticked, op.Project}
	}
	if op.Kind == ledger.Transfert {
		return [][]any{row("", "Mouvement interne vers "+op.Counterpart.Label(), op.Amount, false)}
	}
	if len(op.Lines) == 0 {
		return [][]any{row("", "Non ventilé", op.Amount, op.Kind == ledger.Recette)}
	}
	out := make([][]any, len(op.Lines))
	for i, l := range op.Lines {
		out[i] = row(l.Account, chart.Label(l.Account), l.Amount, op.Kind == ledger.Recette)
	}
	return out
}

// treasuryName is a treasury's name as a column value.
func treasuryName(t ledger.Treasury) string {
	switch {
	case t == ledger.Banque:
		return "Compte courant"
	case t == ledger.Caisse:
		return "Caisse"
	case t.IsRegie():
		return "Régie " + t.RegieID()
	}
	return string(t)
}
