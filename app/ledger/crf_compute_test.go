package ledger

import (
	"encoding/json"
	"testing"
)

func TestComputeCRF(t *testing.T) {
	ops := totalsFixture()
	sub2 := rec(6, "02/02/2026", "6", Banque, "300", "74300008")
	sub2.Libelle = "Département"
	ops = append(ops, sub2,
		xfer(7, "01/03/2026", "7", Caisse, RegieTreasury("CE1"), "50"),
		dep(8, "02/03/2026", "8", RegieTreasury("CE1"), "50", "60600008"),
		rec(9, "01/09/2026", "1", Banque, "999", "75600008"), // next exercice: ignored
	)
	meta := CRFMeta{UAI: "0310036W", Nom: "Coop école A", Exercice: ex2025, Statut: "brouillon"}
	opening := Treasuries{Banque: eur("1000"), Caisse: eur("120"), Total: 1} // wrong total is recomputed
	c := ComputeCRF(meta, opening, ops, testChart, map[int64]string{4: "Mairie de Toulouse"})

	if c.UAI != "0310036W" || c.Exercice != "2025-2026" || c.Debut != "2025-09-01" || c.Fin != "2026-08-31" ||
		c.Source != "cahier" || c.Statut != "brouillon" {
		t.Errorf("header = %+v", c)
	}
	wantCharges := []AccountLine{{"60600008", testChart["60600008"], eur("50")}, {"61681008", testChart["61681008"], eur("20")},
		{"62510008", testChart["62510008"], eur("250")}, {"62810008", testChart["62810008"], eur("80")}}
	if len(c.Charges) != len(wantCharges) {
		t.Fatalf("charges = %+v", c.Charges)
	}
	for i := range wantCharges {
		if c.Charges[i] != wantCharges[i] {
			t.Errorf("charges[%d] = %+v, want %+v", i, c.Charges[i], wantCharges[i])
		}
	}
	if len(c.Produits) != 3 || c.Produits[0].Compte != "70800008" || c.Produits[1].Compte != "74300008" ||
		c.Produits[2].Montant != eur("500") {
		t.Errorf("produits = %+v", c.Produits)
	}
	if c.TotalCharges != eur("400") || c.TotalProduits != eur("980") || c.Resultat != eur("580") {
		t.Errorf("totals = %v %v %v", c.TotalCharges, c.TotalProduits, c.Resultat)
	}
	if c.TresorerieDebut != (Treasuries{eur("1000"), eur("120"), eur("1120")}) {
		t.Errorf("début = %+v", c.TresorerieDebut)
	}
	// banque 1000 −100 −250 +500 +180 +300 = 1630; caisse 120 +180 −180 −50 = 70
	if c.TresorerieFin != (Treasuries{eur("1630"), eur("70"), eur("1700")}) {
		t.Errorf("fin = %+v", c.TresorerieFin)
	}
	if len(c.Subventions) != 2 || c.Subventions[0] != (Subsidy{"2025-11-12", "74400008", "Mairie de Toulouse", eur("500")}) ||
		c.Subventions[1] != (Subsidy{"2026-02-02", "74300008", "Département", eur("300")}) {
		t.Errorf("subventions = %+v", c.Subventions)
	}
	if !c.Equilibre || !c.Balanced() {
		t.Errorf("equilibre = %v, balanced = %v", c.Equilibre, c.Balanced())
	}

	// A régie still holding money breaks the balance of the CRF.
	open := ComputeCRF(meta, opening, ops[:len(ops)-2], testChart, nil)
	if open.Equilibre {
		t.Error("a régie not settled must make Equilibre false")
	}
	// A dépense wrongly ventilated on a produit account lowers the produits
	// instead of showing as a produit, so the identity still holds.
	wrong := append([]Operation(nil), ops...)
	wrong[1] = wrong[1].Clone()
	wrong[1].Lines[0].Account = "75600008"
	wc := ComputeCRF(meta, opening, wrong, testChart, nil)
	if wc.Produits[3] != (AccountLine{"75600008", testChart["75600008"], -eur("250")}) || wc.TotalProduits != eur("730") ||
		wc.TotalCharges != eur("150") || !wc.Equilibre {
		t.Errorf("wrong class: produits %+v, totals %v %v", wc.Produits, wc.TotalProduits, wc.TotalCharges)
	}
	// An unbalanced ventilation breaks the identity.
	bad := append([]Operation(nil), ops...)
	bad[0] = bad[0].Clone()
	bad[0].Lines[0].Amount -= 100
	if ComputeCRF(meta, opening, bad, testChart, nil).Equilibre {
		t.Error("an unbalanced ventilation must make Equilibre false")
	}
}

func TestComputeCRFEmptyJSON(t *testing.T) {
	c := ComputeCRF(CRFMeta{UAI: "0310036W", Exercice: ex2025, Statut: "brouillon"}, Treasuries{Banque: 500}, nil, testChart, nil)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"charges", "produits", "subventions"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s = %v, want an empty JSON list", k, m[k])
		}
	}
	if !c.Equilibre || c.TresorerieFin.Total != 500 {
		t.Errorf("empty book: %+v", c)
	}
}

func TestCRFBalanced(t *testing.T) {
	good := CRF{
		Charges: []AccountLine{{Compte: "62810008", Montant: 8000}}, Produits: []AccountLine{{Compte: "75600008", Montant: 125000}},
		TotalCharges: 8000, TotalProduits: 125000, Resultat: 117000,
		TresorerieDebut: Treasuries{100000, 5000, 105000}, TresorerieFin: Treasuries{217000, 5000, 222000},
	}
	if !good.Balanced() {
		t.Fatal("good CRF not balanced")
	}
	breaks := map[string]func(c *CRF){
		"total charges":  func(c *CRF) { c.TotalCharges = 8001 },
		"résultat":       func(c *CRF) { c.Resultat = 1 },
		"closing total":  func(c *CRF) { c.TresorerieFin.Total = 1 },
		"closing amount": func(c *CRF) { c.TresorerieFin.Banque, c.TresorerieFin.Total = 0, 5000 },
		"opening total":  func(c *CRF) { c.TresorerieDebut.Caisse = 0 },
	}
	for name, f := range breaks {
		c := good
		f(&c)
		if c.Balanced() {
			t.Errorf("%s: broken CRF reported balanced", name)
		}
	}
}
