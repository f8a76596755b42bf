package ledger

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteBookXLSX(t *testing.T) {
	ops := totalsFixture()
	var buf bytes.Buffer
	if err := WriteBookXLSX(&buf, ops, ComputeTotals(ops), testChart); err != nil {
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
		rows[2][7] != testChart["61681008"] {
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
