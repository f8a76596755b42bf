package ledger

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func consolidationCRF(uai string, charges, produits []AccountLine, debut, fin Treasuries, subs []Subsidy) *CRF {
	c := &CRF{UAI: uai, Charges: charges, Produits: produits, TresorerieDebut: debut, TresorerieFin: fin, Subventions: subs}
	for _, l := range charges {
		c.TotalCharges += l.Montant
	}
	for _, l := range produits {
		c.TotalProduits += l.Montant
	}
	c.Resultat = c.TotalProduits - c.TotalCharges
	return c
}

func TestConsolidate(t *testing.T) {
	chart := Chart{"62810008": "Cotisations versées à l'OCCE", "74400008": "Subventions de la Commune", "75600008": "Participations"}
	a := consolidationCRF("0310036W",
		[]AccountLine{{Compte: "62810008", Libelle: "x", Montant: 8000}, {Compte: "60600008", Libelle: "Fournitures", Montant: 12000}},
		[]AccountLine{{Compte: "74400008", Montant: 50000}, {Compte: "75600008", Montant: 30000}},
		Treasuries{Banque: 100000, Caisse: 2000, Total: 102000}, Treasuries{Banque: 158000, Caisse: 4000, Total: 162000},
		[]Subsidy{{Compte: "74400008", Financeur: "Mairie", Montant: 50000}})
	b := consolidationCRF("0310100R",
		[]AccountLine{{Compte: "62810008", Montant: 4000}},
		[]AccountLine{{Compte: "74100008", Libelle: "Subventions de l'État", Montant: 10000}},
		Treasuries{Banque: 5000, Total: 5000}, Treasuries{Banque: 11000, Total: 11000},
		[]Subsidy{{Compte: "74100008", Financeur: "DSDEN", Montant: 10000}})
	zero := consolidationCRF("0310200X", nil, nil, Treasuries{}, Treasuries{}, nil)
	coops := []ConsolidationCoop{
		{UAI: "0310100R", Nom: "B", HasExercice: true, Statut: "verrouille", CRF: b},
		{UAI: "0310036W", Nom: "A", HasExercice: true, Statut: "valide", CRF: a},
		{UAI: "0310300Z", Nom: "Brouillon", HasExercice: true, Statut: "brouillon"},
		{UAI: "0310400A", Nom: "Sans exercice"},
		{UAI: "0310200X", Nom: "Vide", HasExercice: true, Statut: "valide", CRF: zero},
		{UAI: "0310500B", Nom: "Validé sans chiffres", HasExercice: true, Statut: "valide"},
	}
	got := Consolidate("31", "2025-2026", chart, coops)
	want := Consolidated{
		AD: "31", Exercice: "2025-2026", Coops: 6, CoopsInclus: 3, Inclus: []string{"0310036W", "0310100R", "0310200X"},
		Charges: []AccountLine{{Compte: "60600008", Libelle: "Fournitures", Montant: 12000},
			{Compte: "62810008", Libelle: "Cotisations versées à l'OCCE", Montant: 12000}},
		Produits: []AccountLine{{Compte: "74100008", Libelle: "Subventions de l'État", Montant: 10000},
			{Compte: "74400008", Libelle: "Subventions de la Commune", Montant: 50000},
			{Compte: "75600008", Libelle: "Participations", Montant: 30000}},
		TotalCharges: 24000, TotalProduits: 90000, Resultat: 66000,
		TresorerieDebut: Treasuries{Banque: 105000, Caisse: 2000, Total: 107000},
		TresorerieFin:   Treasuries{Banque: 169000, Caisse: 4000, Total: 173000},
		Exclus: []Excluded{{UAI: "0310300Z", Nom: "Brouillon", Raison: "compte-rendu financier non validé par le mandataire"},
			{UAI: "0310400A", Nom: "Sans exercice", Raison: "pas d'exercice 2025-2026 dans retkoop"},
			{UAI: "0310500B", Nom: "Validé sans chiffres", Raison: "compte-rendu financier validé mais illisible : à faire revalider"}},
		SubventionsParType: []AccountLine{{Compte: "74100008", Libelle: "Subventions de l'État", Montant: 10000},
			{Compte: "74400008", Libelle: "Subventions de la Commune", Montant: 50000}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("consolidated\n got %+v\nwant %+v", got, want)
	}
	// The identity of every CRF holds for the sum.
	if got.TresorerieDebut.Total+got.Resultat != got.TresorerieFin.Total {
		t.Fatalf("opening %s + résultat %s ≠ closing %s", got.TresorerieDebut.Total, got.Resultat, got.TresorerieFin.Total)
	}
}

func TestConsolidateEmptyIsValidJSON(t *testing.T) {
	got := Consolidate("31", "2025-2026", nil, nil)
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"inclus":[]`, `"charges":[]`, `"produits":[]`, `"coops":0`, `"coops_inclus":0`,
		`"tresorerie_debut":{"banque":0,"caisse":0,"total":0}`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}
