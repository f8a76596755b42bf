package review

import (
	"strings"
	"testing"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// base is a balanced book-kept year: 1 020 € at the start, +526,50 €, with
// one subsidy of 300 € listed, accounted and proved, the cash counted.
func base() Input {
	crf := ledger.CRF{
		Produits:        []ledger.AccountLine{{Compte: "74400008", Montant: 30000}, {Compte: "75600008", Montant: 54200}},
		Charges:         []ledger.AccountLine{{Compte: "62810008", Montant: 31550}},
		TotalProduits:   84200,
		TotalCharges:    31550,
		Resultat:        52650,
		TresorerieDebut: ledger.Treasuries{Banque: 100000, Caisse: 2000, Total: 102000},
		TresorerieFin:   ledger.Treasuries{Banque: 154000, Caisse: 650, Total: 154650},
		Subventions:     []ledger.Subsidy{{Compte: "74400008", Financeur: "Mairie", Montant: 30000}},
	}
	prev := ledger.Treasuries{Banque: 100000, Caisse: 2000, Total: 102000}
	return Input{Exercice: "2025-2026", KeepsBook: true, CRF: crf, Previous: &prev, Opening: prev,
		Statement: true, StatementBalance: 166000, Unticked: -12000, BookBalance: 154000,
		SubsidyListKnown: true, SubsidiesExpected: 1, SubsidiesProved: 1,
		CashCount: &ledger.CashCount{Date: time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC), Counts: map[money.Money]int{500: 1, 100: 1, 50: 1}}}
}

func statuses(cs []Check) map[string]Status {
	out := map[string]Status{}
	for _, c := range cs {
		out[c.Key] = c.Status
	}
	return out
}

func TestChecks(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Input)
		want   map[string]Status
		detail map[string]string // key → words the detail must contain
	}{
		{"tout est vert", func(*Input) {}, map[string]Status{KeyEquilibre: OK, KeyOuverture: OK, KeyBanque: OK, KeySubventions: OK, KeyCaisse: OK, KeyRegies: OK},
			map[string]string{KeyBanque: "corrigé des opérations"}},
		{"déséquilibre", func(in *Input) { in.CRF.TresorerieFin.Total += 100 }, map[string]Status{KeyEquilibre: KO},
			map[string]string{KeyEquilibre: "écart de 1,00"}},
		{"ouverture différente de la clôture", func(in *Input) { in.Previous = &ledger.Treasuries{Banque: 99000, Caisse: 2000} },
			map[string]Status{KeyOuverture: KO}, map[string]string{KeyOuverture: "clôture de l'exercice précédent : écart de 10,00"}},
		{"premier exercice : soldes de l'AD", func(in *Input) { in.Previous = nil; in.Opening.Caisse = 1500 },
			map[string]Status{KeyOuverture: KO}, map[string]string{KeyOuverture: "importés par l'AD"}},
		{"pas de relevé", func(in *Input) { in.Statement = false }, map[string]Status{KeyBanque: NA},
			map[string]string{KeyBanque: "aucun relevé"}},
		{"rapprochement non expliqué", func(in *Input) { in.Gap = 2500 }, map[string]Status{KeyBanque: KO},
			map[string]string{KeyBanque: "écart inexpliqué de 25,00"}},
		{"CRF différent du cahier", func(in *Input) { in.BookBalance = 150000 }, map[string]Status{KeyBanque: KO},
			map[string]string{KeyBanque: "ne reprend pas le solde du cahier"}},
		{"subvention sans justificatif", func(in *Input) { in.SubsidiesProved = 0 }, map[string]Status{KeySubventions: KO},
			map[string]string{KeySubventions: "0 justificatif(s) reçu(s) sur 1"}},
		{"tableau différent des comptes", func(in *Input) { in.CRF.Subventions[0].Montant = 20000 }, map[string]Status{KeySubventions: KO},
			map[string]string{KeySubventions: "diffère des comptes"}},
		{"tableau pas validé", func(in *Input) { in.SubsidyListKnown = false }, map[string]Status{KeySubventions: KO},
			map[string]string{KeySubventions: "pas encore validé"}},
		{"sans subvention", func(in *Input) {
			in.CRF.Subventions = nil
			in.CRF.Produits = in.CRF.Produits[1:]
			in.SubsidiesExpected, in.SubsidiesProved = 0, 0
		}, map[string]Status{KeySubventions: OK}, map[string]string{KeySubventions: "aucune subvention"}},
		{"caisse différente du comptage", func(in *Input) { in.CashCount.Counts[100] = 2 }, map[string]Status{KeyCaisse: KO},
			map[string]string{KeyCaisse: "écart de 1,00"}},
		{"pas d'arrêté de caisse", func(in *Input) { in.CashCount = nil }, map[string]Status{KeyCaisse: KO}, nil},
		{"caisse vide sans arrêté", func(in *Input) {
			in.CashCount = nil
			in.CRF.TresorerieFin = ledger.Treasuries{Banque: 154650, Total: 154650}
			in.BookBalance = 154650
			in.Unticked = -11350
		}, map[string]Status{KeyCaisse: OK, KeyBanque: OK}, nil},
		{"régie non soldée", func(in *Input) {
			in.UnsettledRegies = []ledger.Problem{{Code: ledger.ProblemRegie, Message: "la régie CP n'est pas soldée"}}
		}, map[string]Status{KeyRegies: KO}, map[string]string{KeyRegies: "régie CP"}},
		{"CRF saisi directement", func(in *Input) { in.KeepsBook = false; in.Statement = false },
			map[string]Status{KeyBanque: NA, KeyCaisse: NA, KeyRegies: NA, KeyOuverture: OK}, nil},
	}
	for _, c := range cases {
		in := base()
		c.change(&in)
		checks := Checks(in)
		if len(checks) != 6 {
			t.Fatalf("%s: %d checks", c.name, len(checks))
		}
		got := statuses(checks)
		for k, want := range c.want {
			if got[k] != want {
				t.Errorf("%s: %s is %s, want %s", c.name, k, got[k], want)
			}
		}
		for _, ch := range checks {
			if _, named := c.want[ch.Key]; !named && c.name != "tout est vert" && ch.Status == KO {
				t.Errorf("%s: %s turned red too: %s", c.name, ch.Key, ch.Detail)
			}
			if words, ok := c.detail[ch.Key]; ok && !strings.Contains(ch.Detail, words) {
				t.Errorf("%s: %s says %q, want %q", c.name, ch.Key, ch.Detail, words)
			}
		}
	}
	if n := Failed(Checks(base())); n != 0 {
		t.Errorf("%d failed checks on a clean year", n)
	}
}
