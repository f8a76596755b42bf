package ledger

import (
	"slices"
	"testing"
	"time"
)

func ticked(op Operation, date string) Operation {
	d := day(date)
	op.Ticked = &d
	return op
}

func TestOpenAt(t *testing.T) {
	at := day("31/08/2026")
	tests := []struct {
		name string
		op   Operation
		date time.Time
		want bool
	}{
		{"never ticked", dep(1, "20/08/2026", "1", Banque, "10", "62810008"), at, true},
		{"ticked on a later statement: a cheque cashed in September", ticked(dep(1, "25/08/2026", "1", Banque, "10", "62810008"), "10/09/2026"), at, true},
		{"ticked on the day itself", ticked(dep(1, "25/08/2026", "1", Banque, "10", "62810008"), "31/08/2026"), at, false},
		{"ticked before", ticked(rec(1, "02/08/2026", "1", Banque, "10", "70800008"), "15/08/2026"), at, false},
		{"dated after the date", dep(1, "01/09/2026", "1", Banque, "10", "62810008"), at, false},
		{"dated on the date", rec(1, "31/08/2026", "1", Banque, "10", "70800008"), at, true},
		{"cash does not move the bank", dep(1, "20/08/2026", "1", Caisse, "10", "62810008"), at, false},
		{"régie does not move the bank", dep(1, "20/08/2026", "1", RegieTreasury("CE1"), "10", "62810008"), at, false},
		{"transfer from the bank", xfer(1, "20/08/2026", "1", Banque, Caisse, "50"), at, true},
		{"transfer to the bank (cash deposited)", xfer(1, "20/08/2026", "1", Caisse, Banque, "50"), at, true},
		{"transfer between cash and a régie", xfer(1, "20/08/2026", "1", Caisse, RegieTreasury("CE1"), "50"), at, false},
		{"an earlier exercice's operation still open", dep(1, "20/06/2025", "1", Banque, "10", "62810008"), at, true},
		{"only the civil day of the date counts", ticked(dep(1, "25/08/2026", "1", Banque, "10", "62810008"), "31/08/2026"),
			time.Date(2026, time.August, 31, 23, 59, 0, 0, time.UTC), false},
		{"a date at midnight covers the operations of its day", dep(1, "31/08/2026", "1", Banque, "10", "62810008"),
			time.Date(2026, time.August, 31, 0, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.op.OpenAt(tt.date); got != tt.want {
				t.Errorf("OpenAt(%s) = %v, want %v", tt.date.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

func TestOpenItems(t *testing.T) {
	ops := []Operation{
		ticked(dep(1, "03/10/2025", "1", Banque, "100", "62810008"), "30/10/2025"),
		dep(2, "25/08/2026", "2", Banque, "45", "62810008"),
		rec(3, "26/08/2026", "3", Caisse, "20", "70800008"),
		ticked(rec(4, "28/08/2026", "4", Banque, "150", "70800008"), "02/09/2026"),
		dep(5, "02/09/2026", "5", Banque, "30", "62810008"),
	}
	tests := []struct {
		date string
		want []int64
	}{
		{"31/08/2026", []int64{2, 4}},
		{"02/09/2026", []int64{2, 5}},
		{"15/10/2025", []int64{1}},
		{"01/09/2025", nil},
	}
	for _, tt := range tests {
		var got []int64
		items := OpenItems(ops, day(tt.date))
		for _, op := range items {
			got = append(got, op.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("OpenItems at %s = %v, want %v", tt.date, got, tt.want)
		}
		for i := range items {
			if items[i].Ticked != nil {
				*items[i].Ticked = day("01/01/2000") // must not reach ops
			}
		}
	}
	if ops[3].Ticked.Format("02/01/2006") != "02/09/2026" {
		t.Errorf("OpenItems shares Ticked with ops: %v", ops[3].Ticked)
	}
}
