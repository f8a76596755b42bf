package ledger

import (
	"cmp"
	"slices"
	"strings"
)

// CRFMeta identifies the coop and exercice of a CRF and its status.
type CRFMeta struct {
	UAI      string
	Nom      string
	Exercice Exercice
	Statut   string // "brouillon", "valide", "verrouille"
}

// ComputeCRF builds the compte-rendu financier from the book, so it is never
// typed twice. Only operations dated inside the exercice count. Régies are
// part of the book: they open at zero (they are settled before each summer),
// and a régie not settled at the end makes the CRF unbalanced (Equilibre
// false). funders names the funder of each subsidy operation by ID; without
// an entry the operation's libellé is used.
func ComputeCRF(meta CRFMeta, opening Treasuries, ops []Operation, chart Chart, funders map[int64]string) CRF {
	var in []Operation
	for i := range ops {
		if meta.Exercice.Contains(ops[i].Date) {
			in = append(in, ops[i])
		}
	}
	book := NewBook(BalancesOf(opening), in)
	totals := ComputeTotals(book.Ops)
	closing := book.Closing()

	c := CRF{
		UAI: meta.UAI, Nom: meta.Nom, Exercice: meta.Exercice.String(),
		Debut: isoDate(meta.Exercice.Debut()), Fin: isoDate(meta.Exercice.Fin()),
		Source:   SourceCahier,
		Charges:  []AccountLine{},
		Produits: []AccountLine{},
		// The total is recomputed: a caller's inconsistent Total must not
		// leak into the bilan.
		TresorerieDebut: book.Opening.Treasuries(),
		TresorerieFin:   closing.Treasuries(),
		Subventions:     []Subsidy{},
		Statut:          meta.Statut,
	}
	for _, a := range totals.Accounts() {
		line := AccountLine{Compte: a.Account, Libelle: chart.Label(a.Account), Montant: a.Amount}
		if ProductAccount(a.Account) {
			c.Produits = append(c.Produits, line)
			c.TotalProduits += a.Amount
		} else {
			c.Charges = append(c.Charges, line)
			c.TotalCharges += a.Amount
		}
	}
	c.Resultat = c.TotalProduits - c.TotalCharges
	c.Subventions = subsidies(book.Ops, funders)

	regiesSettled := true
	for t, m := range closing {
		if t.IsRegie() && m != 0 {
			regiesSettled = false
		}
	}
	c.Equilibre = regiesSettled &&
		c.TresorerieDebut.Total+c.Resultat == c.TresorerieFin.Total
	return c
}

// subsidies lists every ventilation line of a recette on a subsidy account,
// by date then account.
func subsidies(ops []Operation, funders map[int64]string) []Subsidy {
	out := []Subsidy{}
	for i := range ops {
		op := &ops[i]
		if op.Kind != Recette {
			continue
		}
		for _, l := range op.Lines {
			if !SubsidyAccount(l.Account) {
				continue
			}
			f := funders[op.ID]
			if op.ID == 0 || strings.TrimSpace(f) == "" {
				f = op.Libelle
			}
			out = append(out, Subsidy{Date: isoDate(op.Date), Compte: l.Account, Financeur: f, Montant: l.Amount})
		}
	}
	slices.SortStableFunc(out, func(a, b Subsidy) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.Compte, b.Compte))
	})
	return out
}

// Balanced reports whether a CRF satisfies the balance identity: opening
// total + résultat = closing total, with totals and résultat consistent with
// their lines. It is the check of a CRF entered directly (source "saisie").
func (c CRF) Balanced() bool {
	var charges, produits int64
	for _, l := range c.Charges {
		charges += l.Montant.Cents()
	}
	for _, l := range c.Produits {
		produits += l.Montant.Cents()
	}
	return charges == c.TotalCharges.Cents() && produits == c.TotalProduits.Cents() &&
		c.Resultat == c.TotalProduits-c.TotalCharges &&
		c.TresorerieDebut.Total == c.TresorerieDebut.Banque+c.TresorerieDebut.Caisse &&
		c.TresorerieFin.Total == c.TresorerieFin.Banque+c.TresorerieFin.Caisse &&
		c.TresorerieDebut.Total+c.Resultat == c.TresorerieFin.Total
}
