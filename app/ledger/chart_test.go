package ledger

import (
	"slices"
	"strings"
	"testing"
)

func TestAccountClasses(t *testing.T) {
	tests := []struct {
		code                     string
		charge, product, subsidy bool
	}{
		{"60600008", true, false, false},
		{"62810008", true, false, false},
		{"61", true, false, false},
		{"6", false, false, false}, // the class, not an account
		{"70800008", false, true, false},
		{"74400008", false, true, true},
		{"74", false, true, true},
		{"75600008", false, true, false},
		{"7", false, false, false},
		{"41100000", false, false, false},
		{"512", false, false, false},
		{"", false, false, false},
		{" 62810008", false, false, false}, // callers trim what users type
		{"caisse", false, false, false},
	}
	for _, tt := range tests {
		if got := ChargeAccount(tt.code); got != tt.charge {
			t.Errorf("ChargeAccount(%q) = %v, want %v", tt.code, got, tt.charge)
		}
		if got := ProductAccount(tt.code); got != tt.product {
			t.Errorf("ProductAccount(%q) = %v, want %v", tt.code, got, tt.product)
		}
		if got := SubsidyAccount(tt.code); got != tt.subsidy {
			t.Errorf("SubsidyAccount(%q) = %v, want %v", tt.code, got, tt.subsidy)
		}
		if tt.subsidy && !tt.product {
			t.Errorf("%q: a subsidy account is a produit account", tt.code)
		}
	}
}

func TestChartCodesAndSplit(t *testing.T) {
	tests := []struct {
		name                     string
		chart                    Chart
		codes, charges, products []string
		subsidies                []string
	}{
		{name: "empty", chart: Chart{}},
		{name: "nil", chart: nil},
		{
			name:      "seed part, sorted whatever the map order",
			chart:     testChart,
			codes:     []string{"60600008", "61681008", "62510008", "62810008", "68000008", "70800008", "74300008", "74400008", "75600008"},
			charges:   []string{"60600008", "61681008", "62510008", "62810008", "68000008"},
			products:  []string{"70800008", "74300008", "74400008", "75600008"},
			subsidies: []string{"74300008", "74400008"},
		},
		{
			name:     "codes of neither class are listed but never offered",
			chart:    Chart{"70800008": "Participation", "41100000": "Clients", "6": "Charges", "60600008": "Achats"},
			codes:    []string{"41100000", "6", "60600008", "70800008"},
			charges:  []string{"60600008"},
			products: []string{"70800008"},
		},
		{
			name:    "charges only",
			chart:   Chart{"62810008": "", "61681008": ""},
			codes:   []string{"61681008", "62810008"},
			charges: []string{"61681008", "62810008"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.chart.Codes(); !slices.Equal(got, tt.codes) {
				t.Errorf("Codes = %v, want %v", got, tt.codes)
			}
			charges, products := tt.chart.Split()
			if !slices.Equal(charges, tt.charges) || !slices.Equal(products, tt.products) {
				t.Errorf("Split = %v, %v, want %v, %v", charges, products, tt.charges, tt.products)
			}
			if got := tt.chart.SubsidyCodes(); !slices.Equal(got, tt.subsidies) {
				t.Errorf("SubsidyCodes = %v, want %v", got, tt.subsidies)
			}
		})
	}
}

func TestParseChartCSV(t *testing.T) {
	c, err := ParseChartCSV(strings.NewReader("compte;libelle;sens\n62810008;Cotisations;charge\n70800008;Participation;produit\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 2 || c.Label("62810008") != "Cotisations" || c.Label("99") != "99" {
		t.Errorf("chart = %v", c)
	}
	_, err = ParseChartCSV(strings.NewReader("compte;libelle\n62810008;A\n62810008;B\n41100000;Clients\n6;Charges\n"))
	wantContains(t, err, "ligne 3 : compte « 62810008 » en double")
	wantContains(t, err, "ligne 4 : compte « 41100000 » : un compte commence par 6 (charge) ou 7 (produit)")
	wantContains(t, err, "ligne 5 : compte « 6 » : un compte commence par 6 (charge) ou 7 (produit)")
}
