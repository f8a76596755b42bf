package bank

import (
	"testing"

	"retkoop/app/money"
)

func pm(s string) *money.Money {
	m := eur(s)
	return &m
}

func TestBalanceAt(t *testing.T) {
	lines := []Line{
		{Date: day("2026-08-03"), Amount: eur("-10,00")},
		{Date: day("2026-08-20"), Amount: eur("100,00")},
		{Date: day("2026-08-31"), Amount: eur("-5,00")},
		{Date: day("2026-09-10"), Amount: eur("-80,00")},
		{Date: day("2026-09-25"), Amount: eur("40,00")},
	}
	aug := Period{Start: day("2026-08-01"), End: day("2026-08-31"), Opening: pm("1000,00"), Closing: pm("1085,00")}
	sep := Period{Start: day("2026-09-01"), End: day("2026-09-30"), Closing: pm("1045,00")}
	noBalance := Period{Start: day("2026-08-01"), End: day("2026-08-31")}
	tests := []struct {
		name           string
		periods        []Period
		date           string
		want           string
		covered, known bool
	}{
		{"closing balance of the covering statement", []Period{aug, sep}, "2026-08-31", "1085,00", true, true},
		{"inside a statement: back from its closing", []Period{aug}, "2026-08-15", "990,00", true, true},
		{"inside a statement, nearer its opening", []Period{aug}, "2026-08-02", "1000,00", true, true},
		{"covering September: back from 30/09", []Period{sep}, "2026-09-15", "1005,00", true, true},
		{"covering preferred to a nearer anchor", []Period{sep, {Start: day("2026-08-01"), End: day("2026-08-31"), Closing: pm("0,00")}}, "2026-09-02", "1085,00", true, true},
		{"after every statement: forward from the last balance", []Period{aug}, "2026-09-12", "1005,00", false, true},
		{"no balance anywhere: running sum of the lines", []Period{noBalance}, "2026-08-31", "85,00", true, false},
		{"nothing imported", nil, "2026-08-31", "85,00", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, covered, known := BalanceAt(tt.periods, lines, day(tt.date))
			if got != eur(tt.want) || covered != tt.covered || known != tt.known {
				t.Errorf("BalanceAt = %v, covered %v, known %v; want %s, %v, %v", got, covered, known, tt.want, tt.covered, tt.known)
			}
		})
	}
}

func TestStatementPeriod(t *testing.T) {
	lines := []Line{{Date: day("2026-08-20")}, {Date: day("2026-08-03")}}
	tests := []struct {
		name       string
		st         Statement
		start, end string
		ok         bool
	}{
		{"stated period wins", Statement{Start: day("2026-08-01"), End: day("2026-08-31"), Lines: lines}, "2026-08-01", "2026-08-31", true},
		{"from the lines", Statement{Lines: lines}, "2026-08-03", "2026-08-20", true},
		{"end only", Statement{End: day("2026-08-31"), Lines: lines}, "2026-08-03", "2026-08-31", true},
		{"empty", Statement{}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e, ok := tt.st.Period()
			if ok != tt.ok || (ok && (!s.Equal(day(tt.start)) || !e.Equal(day(tt.end)))) {
				t.Errorf("Period = %v %v %v", s, e, ok)
			}
		})
	}
}

func TestPreviewSignature(t *testing.T) {
	p := Preview{Separator: ";", Rows: []PreviewRow{{Cells: []string{"Compte 123"}}, {Cells: []string{" Date", "Libellé ", "MONTANT"}}}}
	if got := p.Signature(Mapping{HeaderRow: 1}); got != ";date|libellé|montant" {
		t.Errorf("Signature = %q", got)
	}
	if got := p.Signature(Mapping{HeaderRow: 5}); got != "" {
		t.Errorf("Signature out of the preview = %q", got)
	}
}

func TestSameAccount(t *testing.T) {
	const iban = "FR76 3000 6000 0112 3456 7890 189"
	tests := []struct {
		acct string
		want bool
	}{
		{"12345678901", true},
		{"00012345678901", true},
		{"1234567890189", true},
		{"30006000011234567890189", true},
		{"FR7630006000011234567890189", true},
		{"", true},
		{"0000", true},
		{"98765432100", false},
		{"FR7610107001011234567890129", false},
	}
	for _, tt := range tests {
		if got := SameAccount(iban, tt.acct); got != tt.want {
			t.Errorf("SameAccount(%q) = %v, want %v", tt.acct, got, tt.want)
		}
	}
	if !SameAccount("", "12345678901") {
		t.Error("a coop without IBAN accepts any statement")
	}
}
