package ledger

import (
	"errors"
	"testing"

	"retkoop/app/money"
)

func TestSortOps(t *testing.T) {
	ops := []Operation{
		{ID: 5, Date: day("03/10/2025"), Piece: "c"},
		{ID: 0, Date: day("02/10/2025"), Piece: "new1"},
		{ID: 9, Date: day("02/10/2025"), Piece: "b"},
		{ID: 0, Date: day("02/10/2025"), Piece: "new2"},
		{ID: 2, Date: day("02/10/2025"), Piece: "a"},
	}
	SortOps(ops)
	want := []string{"a", "b", "new1", "new2", "c"}
	for i, w := range want {
		if ops[i].Piece != w {
			t.Fatalf("order = %v, want %v", pieces(ops), want)
		}
	}
}

func pieces(ops []Operation) []string {
	var out []string
	for _, op := range ops {
		out = append(out, op.Piece)
	}
	return out
}

func TestBookEntriesAndClosing(t *testing.T) {
	ce1 := RegieTreasury("CE1")
	ops := []Operation{
		dep(4, "20/09/2025", "4", ce1, "30", "60600008"),
		rec(1, "05/09/2025", "1", Caisse, "200", "70800008"),
		xfer(2, "06/09/2025", "2", Caisse, Banque, "150"),
		xfer(3, "10/09/2025", "3", Banque, ce1, "100"),
		xfer(5, "30/06/2026", "5", ce1, Caisse, "70"),
	}
	b := NewBook(Balances{Banque: eur("1000"), Caisse: eur("50")}, ops)
	if ops[0].Piece != "4" {
		t.Fatal("NewBook must not reorder the caller's slice")
	}
	want := []struct {
		banque, caisse, regie string
	}{
		{"1000", "250", "0"},
		{"1150", "100", "0"},
		{"1050", "100", "100"},
		{"1050", "100", "70"},
		{"1050", "170", "0"},
	}
	for i, e := range b.Entries() {
		w := want[i]
		if e.Banque != eur(w.banque) || e.Caisse != eur(w.caisse) || e.Regie != eur(w.regie) {
			t.Errorf("entry %d (pièce %s) = %v/%v/%v, want %+v", i, e.Op.Piece, e.Banque, e.Caisse, e.Regie, w)
		}
	}
	c := b.Closing()
	if c[Banque] != eur("1050") || c[Caisse] != eur("170") || c[ce1] != 0 || c.Total() != eur("1220") {
		t.Errorf("closing = %v", c)
	}
	if got := b.BalanceAt(Caisse, day("05/09/2025")); got != eur("250") {
		t.Errorf("BalanceAt(caisse, 05/09) = %v", got)
	}
	if got := b.BalanceAt(Caisse, day("01/09/2025")); got != eur("50") {
		t.Errorf("BalanceAt(caisse, 01/09) = %v", got)
	}
	if got := b.BalanceAt(ce1, day("25/09/2025")); got != eur("70") {
		t.Errorf("BalanceAt(régie, 25/09) = %v", got)
	}
	tr := c.Treasuries()
	if tr.Banque != eur("1050") || tr.Caisse != eur("170") || tr.Total != eur("1220") {
		t.Errorf("Treasuries = %+v", tr)
	}
	if got := BalancesOf(tr); got[Banque] != tr.Banque || got[Caisse] != tr.Caisse {
		t.Errorf("BalancesOf = %v", got)
	}
}

func TestCheckCash(t *testing.T) {
	ce1 := RegieTreasury("CE1")
	tests := []struct {
		name    string
		opening Balances
		ops     []Operation
		want    string
		index   int
	}{
		{"fine", Balances{Caisse: eur("20")}, []Operation{dep(1, "12/10/2025", "1", Caisse, "20", "60600008")}, "", 0},
		{"negative", Balances{Caisse: eur("20")}, []Operation{
			rec(1, "01/10/2025", "1", Caisse, "10", "70800008"),
			dep(2, "12/10/2025", "2", Caisse, "45", "60600008"),
			rec(3, "13/10/2025", "3", Caisse, "100", "70800008"),
		}, "la caisse deviendrait négative le 12/10/2025 (-15,00\u00a0€)", 1},
		{"same day order does not matter", Balances{}, []Operation{
			dep(1, "12/10/2025", "1", Caisse, "30", "60600008"),
			rec(2, "12/10/2025", "2", Caisse, "30", "70800008"),
		}, "", 0},
		{"bank may be negative", Balances{}, []Operation{dep(1, "12/10/2025", "1", Banque, "30", "60600008")}, "", 0},
		{"withdrawal from empty cash", Balances{Banque: eur("100")}, []Operation{
			xfer(1, "02/09/2025", "1", Caisse, Banque, "0,01"),
		}, "la caisse deviendrait négative le 02/09/2025 (-0,01\u00a0€)", 0},
		{"régie overspent", Balances{Banque: eur("500")}, []Operation{
			xfer(1, "02/09/2025", "1", Banque, ce1, "100"),
			dep(2, "03/09/2025", "2", ce1, "60", "60600008"),
			dep(3, "04/09/2025", "3", ce1, "60", "60600008"),
		}, "la régie « CE1 » deviendrait négative le 04/09/2025 (-20,00\u00a0€)", 2},
		{"caisse named before régie", Balances{}, []Operation{
			dep(1, "02/09/2025", "1", ce1, "5", "60600008"),
			dep(2, "02/09/2025", "2", Caisse, "5", "60600008"),
		}, "la caisse deviendrait négative le 02/09/2025", 1},
		{"negative opening", Balances{Caisse: -100}, nil, "la caisse est négative dès l'ouverture de l'exercice (-1,00\u00a0€)", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewBook(tt.opening, tt.ops).CheckCash()
			wantContains(t, err, tt.want)
			var ne *NegativeError
			if tt.want != "" {
				if !errors.As(err, &ne) || ne.OpIndex != tt.index || !errors.Is(err, ErrInvalid) {
					t.Errorf("err = %#v, want OpIndex %d", err, tt.index)
				}
			}
		})
	}
}

func TestCheckChange(t *testing.T) {
	opening := Balances{Caisse: eur("50"), Banque: eur("300")}
	b := NewBook(opening, []Operation{
		rec(1, "05/09/2025", "1", Caisse, "100", "70800008"),
		dep(2, "10/09/2025", "2", Caisse, "180", "62510008"),
		xfer(3, "01/09/2025", "3", Banque, Caisse, "40"),
	})
	if err := b.CheckCash(); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"add small expense", b.CheckAdd(dep(0, "11/09/2025", "4", Caisse, "10", "60600008")), ""},
		{"add too big expense", b.CheckAdd(dep(0, "11/09/2025", "4", Caisse, "10,01", "60600008")),
			"la caisse deviendrait négative le 11/09/2025 (-0,01\u00a0€)"},
		{"add expense before the recette", b.CheckAdd(dep(0, "02/09/2025", "4", Caisse, "91", "60600008")),
			"la caisse deviendrait négative le 02/09/2025 (-1,00\u00a0€)"},
		{"move expense earlier", b.CheckUpdate(dep(2, "04/09/2025", "2", Caisse, "180", "62510008")),
			"la caisse deviendrait négative le 04/09/2025 (-90,00\u00a0€)"},
		{"lower expense", b.CheckUpdate(dep(2, "10/09/2025", "2", Caisse, "20", "62510008")), ""},
		{"delete withdrawal", b.CheckDelete(3), "la caisse deviendrait négative le 10/09/2025 (-30,00\u00a0€)"},
		{"delete expense", b.CheckDelete(2), ""},
		{"delete recette", b.CheckDelete(1), "la caisse deviendrait négative le 10/09/2025 (-90,00\u00a0€)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantContains(t, tt.err, tt.want) })
	}
	if len(b.Ops) != 3 || b.Ops[0].ID != 3 {
		t.Error("checks must not change the book")
	}
}

func TestDelta(t *testing.T) {
	op := xfer(1, "02/09/2025", "1", Caisse, Banque, "12")
	if op.Delta(Caisse) != -eur("12") || op.Delta(Banque) != eur("12") || op.Delta(RegieTreasury("x")) != 0 {
		t.Error("transfer delta")
	}
	r := rec(1, "02/09/2025", "1", Caisse, "12", "70800008")
	d := dep(1, "02/09/2025", "1", Caisse, "12", "60600008")
	if r.Delta(Caisse) != eur("12") || d.Delta(Caisse) != money.Money(-1200) || d.Delta(Banque) != 0 {
		t.Error("recette/dépense delta")
	}
}
