package ledger

import (
	"strings"
	"testing"

	"retkoop/app/money"
)

func TestCheckClosing(t *testing.T) {
	ce1 := RegieTreasury("CE1")
	base := func() ClosingInput {
		return ClosingInput{
			Exercice: ex2025,
			Opening:  Balances{Banque: eur("1000"), Caisse: eur("50")},
			Ops: []Operation{
				rec(1, "05/09/2025", "1", Caisse, "100", "70800008"),
				xfer(2, "06/09/2025", "2", Caisse, Banque, "80"),
				xfer(3, "07/09/2025", "3", Banque, ce1, "100"),
				dep(4, "08/09/2025", "4", ce1, "60", "60600008"),
				xfer(5, "30/06/2026", "5", ce1, Banque, "40"),
			},
			Chart:     testChart,
			Regies:    []Regie{{ID: "CE1"}},
			Statement: true,
			CashCount: &CashCount{Date: day("31/08/2026"), Counts: map[money.Money]int{1000: 7}},
		}
	}
	tests := []struct {
		name  string
		edit  func(in *ClosingInput)
		codes []string
		msg   string
	}{
		{"ready", func(in *ClosingInput) {}, nil, ""},
		{"no statement", func(in *ClosingInput) { in.Statement = false }, []string{"rapprochement"},
			"aucun relevé bancaire couvrant le 31/08/2026 n'a été importé"},
		{"gap", func(in *ClosingInput) { in.RapprochementGap = -1250 }, []string{"rapprochement"},
			"le rapprochement bancaire n'explique pas tout : écart de -12,50\u00a0€"},
		{"no cash count", func(in *ClosingInput) { in.CashCount = nil }, []string{"arrete_caisse"},
			"aucun arrêté de caisse n'a été fait"},
		{"no cash count needed", func(in *ClosingInput) {
			in.CashCount, in.Opening[Caisse] = nil, 0
			in.Ops = in.Ops[2:]
		}, nil, ""},
		{"cash count wrong", func(in *ClosingInput) { in.CashCount.Counts[1000] = 6 }, []string{"arrete_caisse"},
			"Il manque 10,00\u00a0€ dans la caisse"},
		{"cash count too old", func(in *ClosingInput) { in.CashCount.Date = day("01/09/2025") }, []string{"arrete_caisse"},
			"le dernier arrêté de caisse (01/09/2025) est antérieur à la dernière opération en caisse (06/09/2025)"},
		{"régie not settled", func(in *ClosingInput) { in.Ops = in.Ops[:4] }, []string{"regie_non_soldee"},
			"la régie « CE1 » n'est pas soldée : il reste 40,00\u00a0€ d'avance à rendre à la coopérative"},
		{"régie overspent at the end", func(in *ClosingInput) {
			in.Ops[4].Amount = eur("50")
		}, []string{"regie_negative", "regie_non_soldee"}, "elle a dépensé 10,00\u00a0€ de plus que son avance"},
		{"declared régie never used is fine", func(in *ClosingInput) { in.Regies = append(in.Regies, Regie{ID: "CM2"}) }, nil, ""},
		{"unbalanced ventilation", func(in *ClosingInput) {
			in.Ops[0].Lines = []Line{{"70800008", eur("90")}}
		}, []string{"ventilation", "identite"}, "pièce « 1 » du 05/09/2025 : la ventilation (90,00\u00a0€) ne correspond pas au montant (100,00\u00a0€) : reste 10,00\u00a0€ à ventiler"},
		{"identity message", func(in *ClosingInput) {
			in.Ops[0].Lines = []Line{{"70800008", eur("90")}}
		}, []string{"ventilation", "identite"}, "solde d'ouverture (1\u00a0050,00\u00a0€) + recettes (90,00\u00a0€) − dépenses (60,00\u00a0€) = 1\u00a0080,00\u00a0€, mais les trésoreries totalisent 1\u00a0090,00\u00a0€"},
		{"not ventilated", func(in *ClosingInput) { in.Ops[3].Lines = nil }, []string{"ventilation", "identite"},
			"pièce « 4 » du 08/09/2025 : la ventilation est vide"},
		{"wrong class", func(in *ClosingInput) { in.Ops[3].Lines[0].Account = "70800008" }, []string{"ventilation"},
			"n'est pas un compte de charges"},
		{"cash negative", func(in *ClosingInput) {
			in.Ops[1].Amount = eur("160")
			in.Opening[Banque] = eur("920")
		}, []string{"caisse_negative", "arrete_caisse"}, "la caisse deviendrait négative le 06/09/2025 (-10,00\u00a0€)"},
		{"date outside", func(in *ClosingInput) { in.Ops[4].Date = day("01/09/2026") }, []string{"dates"},
			"la pièce « 5 » est datée du 01/09/2026, hors de l'exercice 2025-2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			for i := range in.Ops {
				in.Ops[i] = in.Ops[i].Clone()
			}
			tt.edit(&in)
			probs := CheckClosing(in)
			var codes []string
			var msgs []string
			for _, p := range probs {
				codes = append(codes, string(p.Code))
				msgs = append(msgs, p.Message)
			}
			if strings.Join(codes, ",") != strings.Join(tt.codes, ",") {
				t.Errorf("codes = %v, want %v\n%s", codes, tt.codes, strings.Join(msgs, "\n"))
			}
			if tt.msg != "" && !strings.Contains(strings.Join(msgs, "\n"), tt.msg) {
				t.Errorf("messages %q do not contain %q", msgs, tt.msg)
			}
		})
	}
}
