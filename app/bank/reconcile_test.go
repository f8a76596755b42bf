package bank

import (
	"encoding/json"
	"testing"
	"time"
)

func TestReconcile(t *testing.T) {
	at := day("2026-08-31")
	tests := []struct {
		name          string
		releve, livre string
		open          []Entry
		wantOpen      []int64
		wantEcart     string
	}{
		{
			name:   "chèque du 25/08 encaissé le 10/09 et remise du 31/08 non créditée",
			releve: "1234,56", livre: "1174,56",
			open: []Entry{
				entry(2, "2026-08-31", "20,00", "remise", "", "Remise chèques photos"),
				entry(1, "2026-08-25", "-80,00", "cheque", "1234599", "Autocars : sortie de fin d'année"),
			},
			wantOpen:  []int64{1, 2},
			wantEcart: "0",
		},
		{
			name:   "rien en suspens, soldes égaux",
			releve: "500,00", livre: "500,00",
			wantOpen:  []int64{},
			wantEcart: "0",
		},
		{
			name:   "écart inexpliqué : frais non saisis",
			releve: "496,50", livre: "500,00",
			wantOpen:  []int64{},
			wantEcart: "3,50",
		},
		{
			name:   "une opération datée après l'arrêté ne compte pas",
			releve: "500,00", livre: "500,00",
			open:      []Entry{entry(3, "2026-09-01", "-10,00", "carte", "", "Septembre")},
			wantOpen:  []int64{},
			wantEcart: "0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Reconcile(at, eur(tt.releve), eur(tt.livre), tt.open)
			var ids []int64
			for _, e := range r.NonPointees {
				ids = append(ids, e.ID)
			}
			if len(ids) != len(tt.wantOpen) || (len(ids) > 0 && !equalIDs(ids, tt.wantOpen)) {
				t.Errorf("non pointées = %v, want %v", ids, tt.wantOpen)
			}
			if r.Ecart != eur(tt.wantEcart) {
				t.Errorf("écart = %v, want %s", r.Ecart, tt.wantEcart)
			}
			if r.Balanced() != (tt.wantEcart == "0") {
				t.Errorf("balanced = %v", r.Balanced())
			}
		})
	}
}

func equalIDs(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestRapprochementJSON(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	r := Reconcile(time.Date(2026, 8, 31, 0, 0, 0, 0, paris), eur("1234,56"), eur("1174,56"), []Entry{
		entry(1, "2026-08-25", "-80,00", "cheque", "1234599", "Autocars \"Dupuy\""),
		entry(2, "2026-08-31", "20,00", "remise", "", "Remise chèques"),
	})
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"date":"2026-08-31","solde_releve":123456,"solde_livre":117456,"non_pointees":[` +
		`{"date":"2026-08-25","piece":"P01","libelle":"Autocars \"Dupuy\"","montant":-8000},` +
		`{"date":"2026-08-31","piece":"P02","libelle":"Remise chèques","montant":2000}],"ecart":0}`
	if string(got) != want {
		t.Errorf("json =\n%s\nwant\n%s", got, want)
	}
	empty, _ := json.Marshal(Reconcile(day("2026-08-31"), 0, 0, nil))
	if string(empty) != `{"date":"2026-08-31","solde_releve":0,"solde_livre":0,"non_pointees":[],"ecart":0}` {
		t.Errorf("empty json = %s", empty)
	}
}

// TestChequeAcrossYearEnd follows the cheque written on 25/08 and cashed
// on 10/09: open at 31/08 in the état de rapprochement, then matched to the
// next exercice's statement line.
func TestChequeAcrossYearEnd(t *testing.T) {
	cheque := entry(1, "2026-08-25", "-80,00", "cheque", "1234599", "Autocars")
	r := Reconcile(day("2026-08-31"), eur("1080,00"), eur("1000,00"), []Entry{cheque})
	if len(r.NonPointees) != 1 || r.Ecart != 0 {
		t.Fatalf("rapprochement at 31/08 = %+v", r)
	}
	res := Match([]BankLine{line(7, "2026-09-10", "CHEQUE 1234599", "-80,00")}, []Entry{cheque}, Options{})
	if len(res.Auto) != 1 || res.Auto[0].LineID != 7 || res.Auto[0].EntryIDs[0] != 1 {
		t.Fatalf("match = %+v", res)
	}
}
