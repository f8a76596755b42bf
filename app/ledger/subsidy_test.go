package ledger

import "testing"

func TestSubsidyOperations(t *testing.T) {
	mixed := rec(3, "15/01/2026", "R3", Banque, "700", "74400008")
	mixed.Lines = []Line{{"74400008", eur("500")}, {"70800008", eur("150")}, {"74300008", eur("50")}}
	refund := dep(4, "16/01/2026", "D1", Banque, "20", "60600008")
	ops := []Operation{
		rec(1, "12/11/2025", "R1", Banque, "500", "74400008"),
		rec(2, "13/11/2025", "R2", Caisse, "80", "70800008"),
		mixed,
		refund,
	}
	got := SubsidyOperations(ops)
	if len(got) != 2 {
		t.Fatalf("rows = %+v", got)
	}
	if got[0].Op.ID != 1 || got[0].Amount != eur("500") || len(got[0].Accounts) != 1 {
		t.Errorf("first row = %+v", got[0])
	}
	if got[1].Op.ID != 3 || got[1].Amount != eur("550") || len(got[1].Accounts) != 2 ||
		got[1].Accounts[0] != "74400008" || got[1].Accounts[1] != "74300008" {
		t.Errorf("split row = %+v", got[1])
	}
	if SubsidyOperations(nil) != nil {
		t.Error("empty book has subsidies")
	}
}
