package ledger

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"retkoop/app/money"
)

// Entered is a compte-rendu financier entered directly by a coop that kept
// its books elsewhere (paper, spreadsheet): the total of each account, the
// bank and cash balances at the start and at the end of the exercice, and
// the subsidies received. Libellés of Lines are ignored: the chart names
// the accounts.
type Entered struct {
	Lines       []AccountLine `json:"comptes"`
	Debut       Treasuries    `json:"tresorerie_debut"`
	Fin         Treasuries    `json:"tresorerie_fin"`
	Subventions []Subsidy     `json:"subventions"`
}

// CRFFromEntered builds the CRF of entered figures, in the same shape as
// one computed from the book (Source "saisie"): accounts with a non-zero
// total sorted by code, totals and résultat computed, treasury totals
// recomputed, Equilibre from the balance identity.
func CRFFromEntered(meta CRFMeta, e Entered, chart Chart) CRF {
	c := CRF{
		UAI: meta.UAI, Nom: meta.Nom, Exercice: meta.Exercice.String(),
		Debut: isoDate(meta.Exercice.Debut()), Fin: isoDate(meta.Exercice.Fin()),
		Source: SourceSaisie, Charges: []AccountLine{}, Produits: []AccountLine{}, Subventions: []Subsidy{},
		TresorerieDebut: withTotal(e.Debut), TresorerieFin: withTotal(e.Fin), Statut: meta.Statut,
	}
	for _, l := range sumByAccount(e.Lines) {
		line := AccountLine{Compte: l.Compte, Libelle: chart.Label(l.Compte), Montant: l.Montant}
		if ProductAccount(l.Compte) {
			c.Produits = append(c.Produits, line)
			c.TotalProduits += l.Montant
		} else {
			c.Charges = append(c.Charges, line)
			c.TotalCharges += l.Montant
		}
	}
	c.Resultat = c.TotalProduits - c.TotalCharges
	for _, s := range e.Subventions {
		s.Financeur = strings.TrimSpace(s.Financeur)
		c.Subventions = append(c.Subventions, s)
	}
	slices.SortStableFunc(c.Subventions, func(a, b Subsidy) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.Compte, b.Compte))
	})
	c.Equilibre = c.Balanced()
	return c
}

// sumByAccount merges lines of the same account and drops zero totals,
// sorted by code.
func sumByAccount(lines []AccountLine) []AccountLine {
	sums := map[string]money.Money{}
	for _, l := range lines {
		sums[strings.TrimSpace(l.Compte)] += l.Montant
	}
	out := make([]AccountLine, 0, len(sums))
	for code, m := range sums {
		if m != 0 {
			out = append(out, AccountLine{Compte: code, Montant: m})
		}
	}
	slices.SortFunc(out, func(a, b AccountLine) int { return strings.Compare(a.Compte, b.Compte) })
	return out
}

func withTotal(t Treasuries) Treasuries {
	t.Total = t.Banque + t.Caisse
	return t
}

// CheckEntered lists what prevents a CRF entered directly from being
// validated, in words a teacher understands: accounts that are not in the
// AD's chart, negative amounts, a negative caisse, the balance identity,
// an opening that differs from last year's closing (previous, when known),
// and a tableau des subventions that does not match the subsidy accounts.
func CheckEntered(ex Exercice, e Entered, chart Chart, previous *Treasuries) []Problem {
	var out []Problem
	add := func(code ProblemCode, format string, args ...any) {
		out = append(out, Problem{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	for _, l := range e.Lines {
		switch code := strings.TrimSpace(l.Compte); {
		case !chart.Has(code):
			add(ProblemCompte, "le compte « %s » n'est pas dans le plan comptable de votre AD", code)
		case !ChargeAccount(code) && !ProductAccount(code):
			add(ProblemCompte, "le compte « %s » n'est ni une charge (6…) ni un produit (7…)", code)
		case l.Montant < 0:
			add(ProblemMontant, "le total du compte %s (%s) ne peut pas être négatif", code, l.Montant)
		}
	}
	for _, t := range []struct {
		when string
		v    Treasuries
	}{{"au " + frDate(ex.Debut()), e.Debut}, {"au " + frDate(ex.Fin()), e.Fin}} {
		if t.v.Caisse < 0 {
			add(ProblemMontant, "la caisse ne peut pas être négative (%s %s)", t.v.Caisse, t.when)
		}
	}
	c := CRFFromEntered(CRFMeta{Exercice: ex}, e, chart)
	if want := c.TresorerieDebut.Total + c.Resultat; want != c.TresorerieFin.Total {
		add(ProblemIdentite, "les comptes ne s'équilibrent pas : trésorerie au %s (%s) + produits (%s) − charges (%s) = %s, "+
			"mais la trésorerie au %s totalise %s (écart de %s)", frDate(ex.Debut()), c.TresorerieDebut.Total,
			c.TotalProduits, c.TotalCharges, want, frDate(ex.Fin()), c.TresorerieFin.Total, c.TresorerieFin.Total-want)
	}
	if previous != nil && (previous.Banque != e.Debut.Banque || previous.Caisse != e.Debut.Caisse) {
		add(ProblemOuverture, "les soldes au %s (banque %s, caisse %s) doivent être ceux de la clôture de l'exercice %s "+
			"(banque %s, caisse %s)", frDate(ex.Debut()), e.Debut.Banque, e.Debut.Caisse, ex.Prev(), previous.Banque, previous.Caisse)
	}
	checkEnteredSubsidies(ex, e, c, add)
	return out
}

// checkEnteredSubsidies requires each subsidy to be dated in the exercice,
// on a 74… account, with a funder and a positive amount, and each subsidy
// account's total to equal the subsidies listed on it.
func checkEnteredSubsidies(ex Exercice, e Entered, c CRF, add func(code ProblemCode, format string, args ...any)) {
	listed := map[string]money.Money{}
	for i, s := range e.Subventions {
		n := i + 1
		d, err := time.Parse("2006-01-02", s.Date)
		switch {
		case err != nil:
			add(ProblemSubventions, "subvention n°%d : la date est obligatoire", n)
		case !ex.Contains(d):
			add(ProblemSubventions, "subvention n°%d : la date %s est hors de l'exercice %s", n, frDate(d), ex)
		}
		if !SubsidyAccount(s.Compte) {
			add(ProblemSubventions, "subvention n°%d : le compte « %s » n'est pas un compte de subvention (74…)", n, s.Compte)
		}
		if strings.TrimSpace(s.Financeur) == "" {
			add(ProblemSubventions, "subvention n°%d : indiquez le financeur (mairie, département…)", n)
		}
		if s.Montant <= 0 {
			add(ProblemSubventions, "subvention n°%d : le montant doit être positif", n)
		}
		listed[s.Compte] += s.Montant
	}
	totals := map[string]money.Money{}
	for _, l := range c.Produits {
		if SubsidyAccount(l.Compte) {
			totals[l.Compte] = l.Montant
		}
	}
	codes := make([]string, 0, len(totals)+len(listed))
	for code := range totals {
		codes = append(codes, code)
	}
	for code := range listed {
		if _, ok := totals[code]; !ok && SubsidyAccount(code) {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		if totals[code] != listed[code] {
			add(ProblemSubventions, "le compte %s totalise %s mais le tableau des subventions liste %s sur ce compte",
				code, totals[code], listed[code])
		}
	}
}

// ClosingEarly reports whether closing on today comes before the end of the
// exercice: the mandataire must then declare the year complete.
func ClosingEarly(ex Exercice, today time.Time) bool {
	return dayKey(today) <= dayKey(ex.Fin())
}

// SubsidyRefs gives each row of a tableau des subventions a reference that
// stays the same as long as the row does (its date, account and amount; a
// "#2" suffix tells identical rows apart), so that the AD's waivers and
// proofs survive a new validation of the same table.
func SubsidyRefs(subs []Subsidy) []string {
	out := make([]string, len(subs))
	seen := map[string]int{}
	for i, s := range subs {
		key := fmt.Sprintf("%s;%s;%d", s.Date, s.Compte, s.Montant.Cents())
		seen[key]++
		if n := seen[key]; n > 1 {
			key += fmt.Sprintf("#%d", n)
		}
		out[i] = key
	}
	return out
}

// Label names a subsidy for people: "Mairie — 12/11/2025 — 500,00 €".
func (s Subsidy) Label() string {
	d := s.Date
	if t, err := time.Parse("2006-01-02", s.Date); err == nil {
		d = frDate(t)
	}
	return strings.Join([]string{s.Financeur, d, s.Montant.String()}, " — ")
}
