package ledger

import "retkoop/app/money"

// CRF is the compte-rendu financier of one coop and exercice, shaped exactly
// like the contract's JSON (amounts in cents). It is computed from the book
// (Source "cahier") or entered directly (Source "saisie"); never typed twice.
type CRF struct {
	UAI             string        `json:"uai"`
	Nom             string        `json:"nom"`
	Exercice        string        `json:"exercice"`
	Debut           string        `json:"debut"` // AAAA-MM-JJ
	Fin             string        `json:"fin"`
	Source          string        `json:"source"` // SourceCahier or SourceSaisie
	Charges         []AccountLine `json:"charges"`
	Produits        []AccountLine `json:"produits"`
	TotalCharges    money.Money   `json:"total_charges"`
	TotalProduits   money.Money   `json:"total_produits"`
	Resultat        money.Money   `json:"resultat"`
	TresorerieDebut Treasuries    `json:"tresorerie_debut"`
	TresorerieFin   Treasuries    `json:"tresorerie_fin"`
	Subventions     []Subsidy     `json:"subventions"`
	Equilibre       bool          `json:"equilibre"`
	Statut          string        `json:"statut"` // "brouillon", "valide", "verrouille"
}

// Sources of a CRF's figures (CRF.Source, the contract's "source").
const (
	SourceCahier = "cahier" // computed from the book kept in the app
	SourceSaisie = "saisie" // entered directly: the book was kept elsewhere
)

// AccountLine is the total of one account of the chart.
type AccountLine struct {
	Compte  string      `json:"compte"`
	Libelle string      `json:"libelle"`
	Montant money.Money `json:"montant"`
}

// Treasuries holds bank and cash balances at one date.
type Treasuries struct {
	Banque money.Money `json:"banque"`
	Caisse money.Money `json:"caisse"`
	Total  money.Money `json:"total"`
}

// Subsidy is one row of the tableau des subventions.
type Subsidy struct {
	Date      string      `json:"date"` // AAAA-MM-JJ
	Compte    string      `json:"compte"`
	Financeur string      `json:"financeur"`
	Montant   money.Money `json:"montant"`
}

// Consolidated is the AD's aggregated accounts over the coops whose CRF is
// validated or locked, shaped like the contract's JSON.
type Consolidated struct {
	AD              string        `json:"ad"`
	Exercice        string        `json:"exercice"`
	Coops           int           `json:"coops"`
	CoopsInclus     int           `json:"coops_inclus"`
	Inclus          []string      `json:"inclus"`
	Charges         []AccountLine `json:"charges"`
	Produits        []AccountLine `json:"produits"`
	TotalCharges    money.Money   `json:"total_charges"`
	TotalProduits   money.Money   `json:"total_produits"`
	Resultat        money.Money   `json:"resultat"`
	TresorerieDebut Treasuries    `json:"tresorerie_debut"`
	TresorerieFin   Treasuries    `json:"tresorerie_fin"`
	// Exclus lists the coops not included and why (UAI → reason).
	Exclus []Excluded `json:"exclus"`
	// SubventionsParType sums subsidies by funder type (account code → total).
	SubventionsParType []AccountLine `json:"subventions_par_type"`
}

// Excluded is a coop left out of a consolidation, with the reason.
type Excluded struct {
	UAI    string `json:"uai"`
	Nom    string `json:"nom"`
	Raison string `json:"raison"`
}

// SubsidyAccountsTotal is the total of the CRF's subsidy accounts (74…):
// what the tableau des subventions must add up to.
func (c CRF) SubsidyAccountsTotal() money.Money {
	var total money.Money
	for _, l := range c.Produits {
		if SubsidyAccount(l.Compte) {
			total += l.Montant
		}
	}
	return total
}

// SubsidiesTotal is the total of the tableau des subventions.
func (c CRF) SubsidiesTotal() money.Money {
	var total money.Money
	for _, s := range c.Subventions {
		total += s.Montant
	}
	return total
}
