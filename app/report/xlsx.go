package report

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// euroFormat shows amounts as "1 234,56 €" in a French Excel or
// LibreOffice while the cell keeps a number that sums and sorts.
const euroFormat = `#,##0.00\ "€"`

// CoopRow is one included coop's totals on the consolidation's
// "Coopératives" sheet, so staff can drill down from the AD's figures.
type CoopRow struct {
	UAI, Nom, Commune, Statut      string
	TotalCharges, TotalProduits    money.Money
	Resultat                       money.Money
	Subventions                    money.Money
	TresorerieDebut, TresorerieFin ledger.Treasuries
}

// CoopRowOf summarises one coop's CRF for the consolidation sheet.
func CoopRowOf(crf ledger.CRF, commune string) CoopRow {
	return CoopRow{
		UAI: crf.UAI, Nom: crf.Nom, Commune: commune, Statut: crf.Statut,
		TotalCharges: crf.TotalCharges, TotalProduits: crf.TotalProduits, Resultat: crf.Resultat,
		Subventions: crf.SubsidiesTotal(), TresorerieDebut: crf.TresorerieDebut, TresorerieFin: crf.TresorerieFin,
	}
}

// rowKind selects how a spreadsheet row is styled.
type rowKind int

const (
	plainRow rowKind = iota
	titleRow
	sectionRow
	headerRow
	totalRow
)

// book writes rows one after the other on the sheets of an excelize file.
// It keeps the first error so the writing code reads as a list of rows.
type book struct {
	f      *excelize.File
	sheet  string
	row    int
	styles map[rowKind][2]int // [text style, amount style]
	date   int
	err    error
}

func newBook(title string) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, styles: map[rowKind][2]int{}}
	numFmt := euroFormat
	dateFmt := "dd/mm/yyyy"
	for kind, font := range map[rowKind]*excelize.Font{
		plainRow:   nil,
		titleRow:   {Bold: true, Size: 14},
		sectionRow: {Bold: true, Size: 12, Color: "003C78"},
		headerRow:  {Bold: true},
		totalRow:   {Bold: true},
	} {
		var fill excelize.Fill
		if kind == headerRow {
			fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E1E9F3"}}
		}
		if kind == totalRow {
			fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
		}
		text, err := f.NewStyle(&excelize.Style{Font: font, Fill: fill,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: kind == plainRow || kind == totalRow}})
		if err != nil {
			return nil, err
		}
		amount, err := f.NewStyle(&excelize.Style{Font: font, Fill: fill, CustomNumFmt: &numFmt,
			Alignment: &excelize.Alignment{Vertical: "top"}})
		if err != nil {
			return nil, err
		}
		b.styles[kind] = [2]int{text, amount}
	}
	var err error
	if b.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt,
		Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "retkoop", Language: "fr-FR"}); err != nil {
		return nil, err
	}
	return b, nil
}

// use switches to the named sheet, creating it (the first call renames the
// default sheet) and setting its column widths.
func (b *book) use(name string, widths ...float64) {
	if b.err != nil {
		return
	}
	if b.sheet == "" {
		b.err = b.f.SetSheetName(b.f.GetSheetName(0), name)
	} else {
		_, b.err = b.f.NewSheet(name)
	}
	b.sheet, b.row = name, 0
	for i, w := range widths {
		if b.err == nil {
			col, _ := excelize.ColumnNumberToName(i + 1)
			b.err = b.f.SetColWidth(name, col, col, w)
		}
	}
}

// put writes one row; money.Money values become numbers in euros with the
// euro format, ISO date strings stay text unless passed as time.Time.
func (b *book) put(kind rowKind, values ...any) {
	b.row++
	st := b.styles[kind]
	for i, v := range values {
		if b.err != nil {
			return
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, b.row)
		style := st[0]
		switch x := v.(type) {
		case money.Money:
			// Cents to euros is exact for display: a double holds every
			// amount below 2^53 cents and the format rounds to 2 decimals.
			v, style = float64(x)/100, st[1]
		case time.Time:
			style = b.date
		case nil:
			continue
		}
		if b.err = b.f.SetCellValue(b.sheet, cell, v); b.err == nil {
			b.err = b.f.SetCellStyle(b.sheet, cell, cell, style)
		}
	}
}

// skip leaves an empty row between sections.
func (b *book) skip() { b.row++ }

// freezeHeader keeps the header row in view when scrolling a long list and
// adds a filter on it.
func (b *book) freezeHeader(lastCol int) {
	if b.err != nil {
		return
	}
	b.err = b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: b.row, TopLeftCell: fmt.Sprintf("A%d", b.row+1), ActivePane: "bottomLeft"})
	if b.err == nil {
		last, _ := excelize.CoordinatesToCellName(lastCol, b.row)
		b.err = b.f.AutoFilter(b.sheet, fmt.Sprintf("A%d:%s", b.row, last), nil)
	}
}

func (b *book) write(w io.Writer) error {
	if b.err != nil {
		return b.err
	}
	b.f.SetActiveSheet(0)
	if err := b.f.Write(w); err != nil {
		return err
	}
	return b.f.Close()
}

// accounts writes a header, one row per account and a total row.
func (b *book) accounts(lines []ledger.AccountLine, totalLabel string, total money.Money) {
	b.put(headerRow, "Compte", "Libellé", "Montant")
	for _, l := range lines {
		b.put(plainRow, l.Compte, l.Libelle, l.Montant)
	}
	b.put(totalRow, "", totalLabel, total)
}

// treasury writes bank, cash and total; when starts with its preposition
// ("au 31/08/2026", "en fin d'exercice").
func (b *book) treasury(t ledger.Treasuries, when string) {
	b.put(plainRow, "Banque", "Compte courant "+when, t.Banque)
	b.put(plainRow, "Caisse", "Caisse "+when, t.Caisse)
	b.put(totalRow, "", "Trésorerie "+when, t.Total)
}

// isoTime parses a ledger date for a date cell; nil leaves the cell empty
// rather than writing a wrong date.
func isoTime(s string) any {
	t, err := time.Parse(isoDate, s)
	if err != nil {
		if s == "" {
			return nil
		}
		return s
	}
	return t
}

// CRFXLSX writes the CRF as a workbook: sheet "CRF" with the compte de
// fonctionnement and the bilan simplifié, sheet "Subventions" with the
// tableau des subventions. Amounts are numbers in euros.
func CRFXLSX(w io.Writer, crf ledger.CRF) error {
	b, err := newBook("Compte-rendu financier " + crf.Exercice + " — " + crf.Nom)
	if err != nil {
		return fmt.Errorf("crf xlsx: %w", err)
	}
	b.use("CRF", 14, 62, 18)
	b.put(titleRow, "Compte-rendu financier")
	b.put(plainRow, "Coopérative", crf.Nom)
	b.put(plainRow, "UAI", crf.UAI)
	b.put(plainRow, "Exercice", crf.Exercice+" (du "+frDate(crf.Debut)+" au "+frDate(crf.Fin)+")")
	b.put(plainRow, "Statut", statusLabel(crf.Statut))
	b.put(plainRow, "Origine", "CRF "+sourceLabel(crf.Source))
	b.skip()
	b.put(sectionRow, "1. Compte de fonctionnement")
	b.put(headerRow, "Charges")
	b.accounts(crf.Charges, "Total des charges", crf.TotalCharges)
	b.skip()
	b.put(headerRow, "Produits")
	b.accounts(crf.Produits, "Total des produits", crf.TotalProduits)
	b.skip()
	b.put(totalRow, "", resultatLabel(crf.Resultat), crf.Resultat)
	b.skip()
	b.put(sectionRow, "2. Bilan simplifié")
	b.treasury(crf.TresorerieDebut, "au "+frDate(crf.Debut)+" (report à nouveau)")
	b.put(plainRow, "", resultatLabel(crf.Resultat), crf.Resultat)
	b.treasury(crf.TresorerieFin, "au "+frDate(crf.Fin))
	equi := "Oui"
	if !crf.Equilibre {
		equi = "Non : écart de " + (crf.TresorerieFin.Total - crf.TresorerieDebut.Total - crf.Resultat).String()
	}
	b.put(totalRow, "", "Équilibre (report à nouveau ± résultat = trésorerie de fin)", equi)

	b.use("Subventions", 14, 14, 50, 18)
	b.put(titleRow, "5. Tableau des subventions — "+crf.Exercice)
	b.put(headerRow, "Date", "Compte", "Financeur", "Montant")
	var total money.Money
	for _, s := range crf.Subventions {
		total += s.Montant
		b.put(plainRow, isoTime(s.Date), s.Compte, s.Financeur, s.Montant)
	}
	b.put(totalRow, "", "", "Total des subventions", total)
	if err := b.write(w); err != nil {
		return fmt.Errorf("crf xlsx: %w", err)
	}
	return nil
}

// coverage writes "412 / 430 coops" the way staff say it.
func coverage(c ledger.Consolidated) string {
	return fmt.Sprintf("%d / %d coops", c.CoopsInclus, c.Coops)
}

// ConsolidatedXLSX writes the AD's aggregated accounts: sheet
// "Consolidation" (coverage, totals per account, résultat, treasury,
// subsidies by funder type), sheet "Exclues" (coops left out and why) and,
// when coops is not empty, sheet "Coopératives" with each included coop's
// totals.
func ConsolidatedXLSX(w io.Writer, c ledger.Consolidated, coops []CoopRow) error {
	b, err := newBook("Comptes consolidés " + c.Exercice + " — AD " + c.AD)
	if err != nil {
		return fmt.Errorf("consolidated xlsx: %w", err)
	}
	b.use("Consolidation", 14, 62, 18)
	b.put(titleRow, "Comptes consolidés des coopératives scolaires")
	b.put(plainRow, "AD", c.AD)
	b.put(plainRow, "Exercice", c.Exercice)
	b.put(plainRow, "Couverture", coverage(c)+" (CRF validé ou verrouillé)")
	b.skip()
	b.put(sectionRow, "Compte de fonctionnement")
	b.put(headerRow, "Charges")
	b.accounts(c.Charges, "Total des charges", c.TotalCharges)
	b.skip()
	b.put(headerRow, "Produits")
	b.accounts(c.Produits, "Total des produits", c.TotalProduits)
	b.skip()
	b.put(totalRow, "", resultatLabel(c.Resultat), c.Resultat)
	b.skip()
	b.put(sectionRow, "Trésorerie")
	b.treasury(c.TresorerieDebut, "en début d'exercice")
	b.treasury(c.TresorerieFin, "en fin d'exercice")
	b.skip()
	b.put(sectionRow, "Subventions par type de financeur")
	var subs money.Money
	for _, s := range c.SubventionsParType {
		subs += s.Montant
	}
	b.accounts(c.SubventionsParType, "Total des subventions", subs)

	b.use("Exclues", 14, 50, 62)
	b.put(titleRow, fmt.Sprintf("Coopératives non incluses (%d)", len(c.Exclus)))
	b.put(headerRow, "UAI", "Coopérative", "Raison")
	for _, e := range c.Exclus {
		b.put(plainRow, e.UAI, e.Nom, e.Raison)
	}

	if len(coops) > 0 {
		b.use("Coopératives", 12, 44, 24, 14, 16, 16, 16, 16, 16, 16, 16)
		b.put(headerRow, "UAI", "Coopérative", "Commune", "Statut", "Total des charges", "Total des produits",
			"Résultat", "Subventions", "Banque fin", "Caisse fin", "Trésorerie fin")
		b.freezeHeader(11)
		var sum CoopRow
		for _, r := range coops {
			b.put(plainRow, r.UAI, r.Nom, r.Commune, statusLabel(r.Statut), r.TotalCharges, r.TotalProduits,
				r.Resultat, r.Subventions, r.TresorerieFin.Banque, r.TresorerieFin.Caisse, r.TresorerieFin.Total)
			sum.TotalCharges += r.TotalCharges
			sum.TotalProduits += r.TotalProduits
			sum.Resultat += r.Resultat
			sum.Subventions += r.Subventions
			sum.TresorerieFin.Banque += r.TresorerieFin.Banque
			sum.TresorerieFin.Caisse += r.TresorerieFin.Caisse
			sum.TresorerieFin.Total += r.TresorerieFin.Total
		}
		b.put(totalRow, "", fmt.Sprintf("Total (%d coops)", len(coops)), "", "", sum.TotalCharges, sum.TotalProduits,
			sum.Resultat, sum.Subventions, sum.TresorerieFin.Banque, sum.TresorerieFin.Caisse, sum.TresorerieFin.Total)
	}
	if err := b.write(w); err != nil {
		return fmt.Errorf("consolidated xlsx: %w", err)
	}
	return nil
}
