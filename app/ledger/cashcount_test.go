package ledger

import (
	"testing"
	"time"

	"retkoop/app/money"
)

func TestCashCount(t *testing.T) {
	c := CashCount{Date: day("15/10/2025"), Counts: map[money.Money]int{50000: 1, 2000: 3, 200: 2, 50: 1, 1: 7}}
	if got := c.Total(); got != eur("564,57") {
		t.Errorf("Total = %v", got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
	bad := CashCount{Counts: map[money.Money]int{300: 1, 1000: -2}}
	err := bad.Validate()
	wantContains(t, err, "la date de l'arrêté de caisse est obligatoire")
	wantContains(t, err, "3,00\u00a0€ n'est pas un billet ni une pièce en euros")
	wantContains(t, err, "le nombre pour « billet de 10\u00a0€ » ne peut pas être négatif")

	if DenominationLabel(50) != "pièce de 0,50\u00a0€" || DenominationLabel(200) != "pièce de 2\u00a0€" ||
		DenominationLabel(500) != "billet de 5\u00a0€" {
		t.Error("denomination labels")
	}
	var sum money.Money
	for _, d := range Denominations {
		sum += d
	}
	if len(Denominations) != 15 || sum != eur("888,88") {
		t.Errorf("denominations: %d, sum %v", len(Denominations), sum)
	}
}

func TestCompareCash(t *testing.T) {
	b := NewBook(Balances{Caisse: eur("20")}, []Operation{
		rec(1, "10/10/2025", "1", Caisse, "45,50", "70800008"),
		dep(2, "20/10/2025", "2", Caisse, "10", "60600008"),
	})
	count := func(date string, tens, fives, coins int) CashCount {
		return CashCount{Date: day(date), Counts: map[money.Money]int{1000: tens, 500: fives, 50: coins}}
	}
	tests := []struct {
		name string
		c    CashCount
		gap  string
		msg  string
	}{
		{"equal", count("15/10/2025", 6, 1, 1), "0", "Bravo ! La caisse comptée le 15/10/2025 (65,50\u00a0€) correspond au cahier."},
		{"missing", count("15/10/2025", 6, 0, 1), "-5",
			"Il manque 5,00\u00a0€ dans la caisse : 60,50\u00a0€ comptés le 15/10/2025, 65,50\u00a0€ selon le cahier."},
		{"extra after the expense", count("20/10/2025", 6, 0, 1), "5",
			"Il y a 5,00\u00a0€ de trop dans la caisse : 60,50\u00a0€ comptés le 20/10/2025, 55,50\u00a0€ selon le cahier."},
	}
	for _, tt := range tests {
		chk := b.CompareCash(tt.c)
		if chk.Gap != eur(tt.gap) || chk.Message() != tt.msg || chk.OK() != (tt.gap == "0") {
			t.Errorf("%s: gap %v, msg %q", tt.name, chk.Gap, chk.Message())
		}
	}
}

func TestInventoryFromOps(t *testing.T) {
	tablet := dep(3, "12/01/2026", "9", Banque, "450", "68000008")
	tablet.Libelle = "Tablette et appareil photo"
	tablet.Lines = []Line{{"68000008", eur("300")}, {"68000008", eur("120")}, {"60600008", eur("30")}}
	ops := []Operation{
		tablet,
		dep(2, "05/10/2025", "4", Caisse, "89", "68000008"),
		dep(1, "04/10/2025", "3", Caisse, "12", "60600008"),
	}
	inv := InventoryFromOps(ops)
	if len(inv) != 3 {
		t.Fatalf("inventory = %+v", inv)
	}
	if inv[0].Piece != "4" || inv[0].Valeur != eur("89") || !inv[0].Date.Equal(day("05/10/2025")) ||
		inv[1].Libelle != "Tablette et appareil photo" || inv[1].Valeur != eur("300") || inv[2].Valeur != eur("120") ||
		inv[1].OperationID != 3 || inv[0].Line != 0 || inv[1].Line != 0 || inv[2].Line != 1 {
		t.Errorf("inventory = %+v", inv)
	}
}

func TestValidateInventoryItem(t *testing.T) {
	tests := []struct {
		name  string
		date  string
		desc  string
		value string
		want  string
	}{
		{"gift", "03/02/2026", "Piano offert par une famille", "150", ""},
		{"zero value", "03/02/2026", "Livres", "0", ""},
		{"outside", "03/09/2026", "Livres", "10", "hors de l'exercice 2025-2026"},
		{"no description", "03/02/2026", " ", "10", "description du bien est obligatoire"},
		{"negative", "03/02/2026", "Livres", "-1", "négative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantContains(t, ValidateInventoryItem(ex2025, day(tt.date), tt.desc, eur(tt.value)), tt.want)
		})
	}
	wantContains(t, ValidateInventoryItem(ex2025, time.Time{}, "x", 0), "date d'entrée du bien est obligatoire")
}
