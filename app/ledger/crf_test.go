package ledger

import (
	"testing"

	"retkoop/app/money"
)

func TestCRFSubsidyTotals(t *testing.T) {
	tests := []struct {
		name              string
		crf               CRF
		accounts, tableau money.Money
	}{
		{name: "empty", crf: CRF{}},
		{
			name: "only 74… produits count, charges never",
			crf: CRF{
				Charges: []AccountLine{{Compte: "74400008", Montant: eur("1")}, {Compte: "62810008", Montant: eur("40")}},
				Produits: []AccountLine{{Compte: "70800008", Montant: eur("100")}, {Compte: "74400008", Montant: eur("500")},
					{Compte: "74300008", Montant: eur("300")}, {Compte: "75600008", Montant: eur("20")}},
				Subventions: []Subsidy{{Compte: "74400008", Montant: eur("500")}, {Compte: "74300008", Montant: eur("250")}},
			},
			accounts: eur("800"), tableau: eur("750"),
		},
		{
			name:    "a tableau without subsidy accounts",
			crf:     CRF{Produits: []AccountLine{{Compte: "70800008", Montant: eur("100")}}, Subventions: []Subsidy{{Montant: eur("10")}}},
			tableau: eur("10"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.crf.SubsidyAccountsTotal(); got != tt.accounts {
				t.Errorf("SubsidyAccountsTotal = %s, want %s", got, tt.accounts)
			}
			if got := tt.crf.SubsidiesTotal(); got != tt.tableau {
				t.Errorf("SubsidiesTotal = %s, want %s", got, tt.tableau)
			}
		})
	}
}
