package ledger

import (
	"slices"
	"strings"
	"testing"
)

// enteredFixture balances: 1 050 + (500 + 300) − (200 + 80) = 1 570.
func enteredFixture() Entered {
	return Entered{
		Lines: []AccountLine{
			{Compte: "60600008", Montant: eur("200")},
			{Compte: "62810008", Montant: eur("80")},
			{Compte: "75600008", Montant: eur("500")},
			{Compte: "74400008", Montant: eur("300")},
			{Compte: "70800008", Montant: 0},
		},
		Debut: Treasuries{Banque: eur("1000"), Caisse: eur("50")},
		Fin:   Treasuries{Banque: eur("1500"), Caisse: eur("70")},
		Subventions: []Subsidy{
			{Date: "2026-03-02", Compte: "74400008", Financeur: " Mairie ", Montant: eur("100")},
			{Date: "2025-11-12", Compte: "74400008", Financeur: "Mairie", Montant: eur("200")},
		},
	}
}

func TestCRFFromEntered(t *testing.T) {
	c := CRFFromEntered(CRFMeta{UAI: "0310036W", Nom: "École", Exercice: ex2025, Statut: "brouillon"}, enteredFixture(), testChart)
	if c.Source != "saisie" || c.Exercice != "2025-2026" || c.Debut != "2025-09-01" || c.Fin != "2026-08-31" || c.Statut != "brouillon" {
		t.Fatalf("meta = %+v", c)
	}
	codes := func(ls []AccountLine) (out []string) {
		for _, l := range ls {
			out = append(out, l.Compte+"="+l.Montant.Plain())
		}
		return out
	}
	if got := codes(c.Charges); !slices.Equal(got, []string{"60600008=200,00", "62810008=80,00"}) {
		t.Errorf("charges = %v", got)
	}
	if got := codes(c.Produits); !slices.Equal(got, []string{"74400008=300,00", "75600008=500,00"}) {
		t.Errorf("produits (zero totals dropped, sorted) = %v", got)
	}
	if c.Charges[0].Libelle != "Achats de fournitures et petit matériel" {
		t.Errorf("libellé from the chart: %q", c.Charges[0].Libelle)
	}
	if c.TotalCharges != eur("280") || c.TotalProduits != eur("800") || c.Resultat != eur("520") {
		t.Errorf("totals = %s %s %s", c.TotalCharges, c.TotalProduits, c.Resultat)
	}
	if c.TresorerieDebut.Total != eur("1050") || c.TresorerieFin.Total != eur("1570") || !c.Equilibre {
		t.Errorf("treasuries = %+v %+v, equilibre %v", c.TresorerieDebut, c.TresorerieFin, c.Equilibre)
	}
	if len(c.Subventions) != 2 || c.Subventions[0].Date != "2025-11-12" || c.Subventions[1].Financeur != "Mairie" {
		t.Errorf("subventions sorted by date, funder trimmed: %+v", c.Subventions)
	}
	e := enteredFixture()
	e.Fin.Caisse++
	if CRFFromEntered(CRFMeta{Exercice: ex2025}, e, testChart).Equilibre {
		t.Error("one cent off still balanced")
	}
}

func TestCheckEntered(t *testing.T) {
	prev := &Treasuries{Banque: eur("1000"), Caisse: eur("50")}
	tests := []struct {
		name     string
		edit     func(e *Entered)
		previous *Treasuries
		codes    []ProblemCode
		msg      string
	}{
		{"ready", func(e *Entered) {}, prev, nil, ""},
		{"unknown previous year", func(e *Entered) { e.Debut.Banque = eur("900"); e.Fin.Banque = eur("1400") }, nil, nil, ""},
		{"opening differs from last closing", func(e *Entered) { e.Debut.Banque = eur("900"); e.Fin.Banque = eur("1400") }, prev,
			[]ProblemCode{ProblemOuverture}, "doivent être ceux de la clôture de l'exercice 2024-2025 (banque 1\u00a0000,00\u00a0€, caisse 50,00\u00a0€)"},
		{"unbalanced", func(e *Entered) { e.Fin.Banque = eur("1490") }, prev, []ProblemCode{ProblemIdentite},
			"(1\u00a0050,00\u00a0€) + produits (800,00\u00a0€) − charges (280,00\u00a0€) = 1\u00a0570,00\u00a0€, mais la trésorerie au 31/08/2026 totalise 1\u00a0560,00\u00a0€ (écart de -10,00\u00a0€)"},
		{"unknown account", func(e *Entered) { e.Lines = append(e.Lines, AccountLine{Compte: "60999998", Montant: 0}) }, prev,
			[]ProblemCode{ProblemCompte}, "le compte « 60999998 » n'est pas dans le plan comptable"},
		{"negative total", func(e *Entered) {
			e.Lines[0].Montant = eur("-200")
			e.Fin.Banque = eur("1900")
		}, prev, []ProblemCode{ProblemMontant}, "le total du compte 60600008 (-200,00\u00a0€) ne peut pas être négatif"},
		{"negative cash", func(e *Entered) { e.Fin.Caisse = eur("-10"); e.Fin.Banque = eur("1580") }, prev,
			[]ProblemCode{ProblemMontant}, "la caisse ne peut pas être négative (-10,00\u00a0€ au 31/08/2026)"},
		{"subsidies do not add up", func(e *Entered) { e.Subventions = e.Subventions[:1] }, prev, []ProblemCode{ProblemSubventions},
			"le compte 74400008 totalise 300,00\u00a0€ mais le tableau des subventions liste 100,00\u00a0€ sur ce compte"},
		{"subsidy row incomplete", func(e *Entered) {
			e.Subventions[0] = Subsidy{Date: "2026-09-02", Compte: "75600008", Financeur: " ", Montant: 0}
			e.Subventions = append(e.Subventions, Subsidy{Compte: "74400008", Financeur: "Mairie", Montant: eur("100")})
		}, prev, []ProblemCode{ProblemSubventions, ProblemSubventions, ProblemSubventions, ProblemSubventions, ProblemSubventions},
			"subvention n°1 : la date 02/09/2026 est hors de l'exercice 2025-2026"},
		{"subsidy account without subsidies", func(e *Entered) { e.Subventions = nil }, prev, []ProblemCode{ProblemSubventions},
			"liste 0,00\u00a0€"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := enteredFixture()
			tt.edit(&e)
			got := CheckEntered(ex2025, e, testChart, tt.previous)
			var codes []ProblemCode
			var msgs []string
			for _, p := range got {
				codes, msgs = append(codes, p.Code), append(msgs, p.Message)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Fatalf("codes = %v, want %v\n%s", codes, tt.codes, strings.Join(msgs, "\n"))
			}
			if tt.msg != "" && !strings.Contains(strings.Join(msgs, "\n"), tt.msg) {
				t.Errorf("messages %q lack %q", msgs, tt.msg)
			}
		})
	}
}

func TestClosingEarly(t *testing.T) {
	for _, tt := range []struct {
		today string
		early bool
	}{{"15/06/2026", true}, {"31/08/2026", true}, {"01/09/2026", false}, {"20/09/2027", false}} {
		if got := ClosingEarly(ex2025, day(tt.today)); got != tt.early {
			t.Errorf("ClosingEarly(%s) = %v", tt.today, got)
		}
	}
}

func TestSubsidyRefsAndLabel(t *testing.T) {
	s := Subsidy{Date: "2025-11-12", Compte: "74400008", Financeur: "Mairie", Montant: eur("500")}
	other := s
	other.Financeur = "Mairie de Muret" // renaming the funder keeps the reference
	refs := SubsidyRefs([]Subsidy{s, other, {Date: "2026-01-05", Compte: "74300008", Montant: eur("80")}})
	want := []string{"2025-11-12;74400008;50000", "2025-11-12;74400008;50000#2", "2026-01-05;74300008;8000"}
	if !slices.Equal(refs, want) {
		t.Errorf("refs = %v, want %v", refs, want)
	}
	if got := s.Label(); got != "Mairie — 12/11/2025 — 500,00\u00a0€" {
		t.Errorf("label = %q", got)
	}
}
