package ledger

import (
	"cmp"
	"slices"

	"retkoop/app/money"
)

// CRF statuses that a consolidation includes: validated by the mandataire
// or locked by the AD.
const (
	statutValide     = "valide"
	statutVerrouille = "verrouille"
)

// ConsolidationCoop is one coop of the AD as the consolidation sees it:
// whether it has the exercice at all, the status of its CRF and, once the
// CRF is validated or locked, its frozen figures.
type ConsolidationCoop struct {
	UAI, Nom    string
	HasExercice bool
	Statut      string // the CRF's status: "brouillon", "valide", "verrouille"
	CRF         *CRF   // the frozen figures; nil while a draft
}

// Included reports whether the coop's CRF counts in the AD's accounts:
// validated by the mandataire or locked by the AD, with its figures.
func (c ConsolidationCoop) Included() bool {
	return c.HasExercice && c.CRF != nil && (c.Statut == statutValide || c.Statut == statutVerrouille)
}

// ExclusionReason says, in the staff's words, why a coop is not in the
// consolidation ("" when it is).
func (c ConsolidationCoop) ExclusionReason(exercice string) string {
	switch {
	case c.Included():
		return ""
	case !c.HasExercice:
		return "pas d'exercice " + exercice + " dans retkoop"
	case c.Statut == statutValide || c.Statut == statutVerrouille:
		return "compte-rendu financier validé mais illisible : à faire revalider"
	}
	return "compte-rendu financier non validé par le mandataire"
}

// Consolidate sums the AD's coops whose CRF is validated or locked into the
// AD's aggregated accounts: totals per account of the chart, charges,
// produits and résultat, treasury at the start and the end (Σ bank, Σ
// cash), subsidies by funder type (their account), the coverage, and the
// coops left out with the reason. Accounts are named by the chart, else by
// the label the coops' CRFs carry. Every list is sorted (accounts by code,
// coops by UAI) so that the output is stable.
func Consolidate(ad, exercice string, chart Chart, coops []ConsolidationCoop) Consolidated {
	c := Consolidated{AD: ad, Exercice: exercice, Coops: len(coops), Inclus: []string{}, Charges: []AccountLine{},
		Produits: []AccountLine{}, Exclus: []Excluded{}, SubventionsParType: []AccountLine{}}
	charges, produits, subsidies := map[string]money.Money{}, map[string]money.Money{}, map[string]money.Money{}
	labels := map[string]string{}
	for _, co := range coops {
		if !co.Included() {
			c.Exclus = append(c.Exclus, Excluded{UAI: co.UAI, Nom: co.Nom, Raison: co.ExclusionReason(exercice)})
			continue
		}
		crf := co.CRF
		c.Inclus = append(c.Inclus, co.UAI)
		for _, l := range crf.Charges {
			charges[l.Compte] += l.Montant
			labels[l.Compte] = cmp.Or(labels[l.Compte], l.Libelle)
		}
		for _, l := range crf.Produits {
			produits[l.Compte] += l.Montant
			labels[l.Compte] = cmp.Or(labels[l.Compte], l.Libelle)
		}
		for _, s := range crf.Subventions {
			subsidies[s.Compte] += s.Montant
		}
		c.TresorerieDebut = addTreasuries(c.TresorerieDebut, crf.TresorerieDebut)
		c.TresorerieFin = addTreasuries(c.TresorerieFin, crf.TresorerieFin)
	}
	label := func(code string) string {
		if l, ok := chart[code]; ok && l != "" {
			return l
		}
		return cmp.Or(labels[code], code)
	}
	c.Charges, c.TotalCharges = accountLines(charges, label)
	c.Produits, c.TotalProduits = accountLines(produits, label)
	c.SubventionsParType, _ = accountLines(subsidies, label)
	c.Resultat = c.TotalProduits - c.TotalCharges
	c.CoopsInclus = len(c.Inclus)
	slices.Sort(c.Inclus)
	slices.SortFunc(c.Exclus, func(a, b Excluded) int { return cmp.Compare(a.UAI, b.UAI) })
	return c
}

// addTreasuries adds two treasuries field by field: the AD's total is
// the sum of the coops' totals as their CRFs state them.
func addTreasuries(a, b Treasuries) Treasuries {
	return Treasuries{Banque: a.Banque + b.Banque, Caisse: a.Caisse + b.Caisse, Total: a.Total + b.Total}
}

// accountLines lists the non-zero totals by account code, with their sum.
func accountLines(totals map[string]money.Money, label func(string) string) ([]AccountLine, money.Money) {
	out := make([]AccountLine, 0, len(totals))
	var sum money.Money
	for code, m := range totals {
		if m == 0 {
			continue
		}
		out = append(out, AccountLine{Compte: code, Libelle: label(code), Montant: m})
		sum += m
	}
	slices.SortFunc(out, func(a, b AccountLine) int { return cmp.Compare(a.Compte, b.Compte) })
	return out, sum
}
