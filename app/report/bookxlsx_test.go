package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// bookChart is a part of the seed chart.
var bookChart = ledger.Chart{
	"61681008": "Assurances versées à l'OCCE",
	"62510008": "Sorties et voyages",
	"62810008": "Cotisations versées à l'OCCE",
	"70800008": "Participation des familles aux activités",
	"74400008": "Subventions de la Commune",
}

// bookOps is a small book: an affiliation split on two accounts, a trip, a
// participation in cash, a subsidy ticked on a statement and a cash deposit.
func bookOps() []ledger.Operation {
	date := func(s string) time.Time {
		d, err := time.Parse("02/01/2006", s)
		if err != nil {
			panic(err)
		}
		return d
	}
	eur := money.MustParse
	op := func(id int64, d, piece string, kind ledger.Kind, t ledger.Treasury, amount string, lines ...ledger.Line) ledger.Operation {
		return ledger.Operation{ID: id, Date: date(d), Piece: piece, Libelle: "opération " + piece, Kind: kind,
			Mode: ledger.Especes, Treasury: t, Amount: eur(amount), Lines: lines}
	}
	affil := op(1, "03/10/2025", "1", ledger.Depense, ledger.Banque, "100",
		ledger.Line{Account: "62810008", Amount: eur("80")}, ledger.Line{Account: "61681008", Amount: eur("20")})
	sortie := op(2, "10/10/2025", "2", ledger.Depense, ledger.Banque, "250", ledger.Line{Account: "62510008", Amount: eur("250")})
	sortie.Project = "Classe verte"
	part := op(3, "05/10/2025", "3", ledger.Recette, ledger.Caisse, "180", ledger.Line{Account: "70800008", Amount: eur("180")})
	part.Project = "Classe verte"
	sub := op(4, "12/11/2025", "4", ledger.Recette, ledger.Banque, "500", ledger.Line{Account: "74400008", Amount: eur("500")})
	tick := date("30/11/2025")
	sub.Ticked = &tick
	deposit := op(5, "06/10/2025", "5", ledger.Transfert, ledger.Caisse, "180")
	deposit.Counterpart = ledger.Banque
	return []ledger.Operation{affil, sortie, part, sub, deposit}
}

func TestWriteBookXLSX(t *testing.T) {
	ops := bookOps()
	var buf bytes.Buffer
	if err := WriteBookXLSX(&buf, ops, ledger.ComputeTotals(ops), bookChart); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Opérations" || got[1] != "Totaux par compte" {
		t.Fatalf("sheets = %v", got)
	}
	rows, err := f.GetRows(SheetOperations, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// header + 2 lines of the affiliation + 4 single-line operations
	if len(rows) != 7 || rows[0][1] != "Pièce" {
		t.Fatalf("rows = %v", rows)
	}
	// Book order: affiliation (03/10) first, split on two rows.
	if rows[1][1] != "1" || rows[1][6] != "62810008" || rows[1][9] != "80" || rows[2][9] != "20" ||
		rows[2][7] != bookChart["61681008"] {
		t.Errorf("affiliation rows = %v / %v", rows[1], rows[2])
	}
	if v, _ := f.GetCellValue(SheetOperations, "A2"); v != "03/10/2025" {
		t.Errorf("formatted date = %q", v)
	}
	style, _ := f.GetCellStyle(SheetOperations, "J2")
	st, err := f.GetStyle(style)
	if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != `#,##0.00\ "€"` {
		t.Errorf("amount style = %+v, %v", st, err)
	}

	tot, err := f.GetRows(SheetTotals, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// header, 5 accounts, blank, 3 totals
	if len(tot) != 10 || tot[1][0] != "61681008" || tot[1][2] != "20" || tot[5][0] != "74400008" || tot[5][2] != "500" {
		t.Fatalf("totals = %v", tot)
	}
	if tot[7][1] != "Total des charges" || tot[7][2] != "350" || tot[8][2] != "680" || tot[9][1] != "Résultat" || tot[9][2] != "330" {
		t.Errorf("totals footer = %v", tot[7:])
	}
}
