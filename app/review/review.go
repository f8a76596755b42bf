// Package review computes the automatic cross-checks the AD's staff see on
// a coop's dossier before validating it: the CRF balances, its opening is
// last year's closing, the bank balance at 31 August is the statement's,
// the subsidies agree three ways (tableau, accounts, proofs), the cash is
// the last count, the régies are settled. Plain data in, plain data out:
// the app gathers the figures, this package judges them.
package review

import (
	"fmt"
	"strings"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// Status is the outcome of one check.
type Status string

// The outcomes.
const (
	OK Status = "ok" // green
	KO Status = "ko" // red: look before validating
	NA Status = "na" // nothing to compare (no statement, CRF entered directly…)
)

// Check is one cross-check with the figures it compared.
type Check struct {
	Key     string
	Label   string
	Status  Status
	Detail  string
	Figures []Figure
}

// Figure is one amount a check shows.
type Figure struct {
	Label  string
	Amount money.Money
}

// Input is what the app knows about a coop's exercice.
type Input struct {
	Exercice  string
	KeepsBook bool       // the book is kept in the app (else the CRF was entered)
	CRF       ledger.CRF // as validated by the mandataire, or the draft
	// Previous is last year's closing, when the app knows it; Opening is
	// the exercice's opening balances (the AD's import for a first year).
	Previous *ledger.Treasuries
	Opening  ledger.Treasuries
	// Statement tells whether an imported statement covers 31 August;
	// then StatementBalance, Unticked (Σ of the book's bank operations
	// not on a statement yet), BookBalance and Gap come from the état de
	// rapprochement.
	Statement        bool
	StatementBalance money.Money
	Unticked         money.Money
	BookBalance      money.Money
	Gap              money.Money
	// SubsidyListKnown: the mandataire validated the tableau des
	// subventions, so the proofs expected are known; SubsidiesProved of
	// SubsidiesExpected are received (or waived by the staff).
	SubsidyListKnown                   bool
	SubsidiesExpected, SubsidiesProved int
	// CashCount is the last arrêté de caisse, nil when none was made.
	CashCount *ledger.CashCount
	// UnsettledRegies are the régies not at zero at 31 August.
	UnsettledRegies []ledger.Problem
}

// Keys of the checks, in the order shown.
const (
	KeyEquilibre   = "equilibre"
	KeyOuverture   = "ouverture"
	KeyBanque      = "banque"
	KeySubventions = "subventions"
	KeyCaisse      = "caisse"
	KeyRegies      = "regies"
)

// Checks runs every cross-check, in a fixed order.
func Checks(in Input) []Check {
	return []Check{equilibre(in), ouverture(in), banque(in), subventions(in), caisse(in), regies(in)}
}

// Failed counts the red checks.
func Failed(checks []Check) int {
	n := 0
	for _, c := range checks {
		if c.Status == KO {
			n++
		}
	}
	return n
}

func equilibre(in Input) Check {
	c := in.CRF
	ch := Check{Key: KeyEquilibre, Label: "Le compte-rendu financier s'équilibre", Figures: []Figure{
		{"Trésorerie au 1er septembre", c.TresorerieDebut.Total}, {"Résultat", c.Resultat}, {"Trésorerie au 31 août", c.TresorerieFin.Total}}}
	if c.TresorerieDebut.Total+c.Resultat == c.TresorerieFin.Total {
		ch.Status, ch.Detail = OK, "trésorerie d'ouverture + résultat = trésorerie de clôture"
	} else {
		ch.Status, ch.Detail = KO, "écart de "+(c.TresorerieFin.Total-c.TresorerieDebut.Total-c.Resultat).String()
	}
	return ch
}

func ouverture(in Input) Check {
	got := in.CRF.TresorerieDebut
	ref, what := in.Opening, "soldes d'ouverture importés par l'AD (premier exercice dans retkoop)"
	if in.Previous != nil {
		ref, what = *in.Previous, "clôture de l'exercice précédent"
	}
	ch := Check{Key: KeyOuverture, Label: "Soldes d'ouverture = clôture de l'an dernier", Figures: []Figure{
		{"Banque à l'ouverture (CRF)", got.Banque}, {"Banque, " + what, ref.Banque},
		{"Caisse à l'ouverture (CRF)", got.Caisse}, {"Caisse, " + what, ref.Caisse}}}
	if got.Banque == ref.Banque && got.Caisse == ref.Caisse {
		ch.Status, ch.Detail = OK, "égaux à la "+what
		if in.Previous == nil {
			ch.Detail = "égaux aux " + what
		}
		return ch
	}
	ch.Status = KO
	ch.Detail = fmt.Sprintf("différents de la %s : écart de %s en banque, %s en caisse", what, got.Banque-ref.Banque, got.Caisse-ref.Caisse)
	if in.Previous == nil {
		ch.Detail = fmt.Sprintf("différents des %s : écart de %s en banque, %s en caisse", what, got.Banque-ref.Banque, got.Caisse-ref.Caisse)
	}
	return ch
}

func banque(in Input) Check {
	ch := Check{Key: KeyBanque, Label: "Solde bancaire au 31 août = celui du relevé"}
	switch {
	case !in.KeepsBook:
		ch.Status, ch.Detail = NA, "compte-rendu saisi directement : comparez avec le relevé joint au dossier"
		ch.Figures = []Figure{{"Banque au 31 août (CRF)", in.CRF.TresorerieFin.Banque}}
		return ch
	case !in.Statement:
		ch.Status, ch.Detail = NA, "aucun relevé bancaire couvrant le 31 août n'a été importé"
		ch.Figures = []Figure{{"Banque au 31 août (CRF)", in.CRF.TresorerieFin.Banque}}
		return ch
	}
	ch.Figures = []Figure{{"Solde du relevé", in.StatementBalance}, {"Opérations pas encore sur le relevé", in.Unticked},
		{"Solde du cahier", in.BookBalance}, {"Banque au 31 août (CRF)", in.CRF.TresorerieFin.Banque}}
	var why []string
	if in.Gap != 0 {
		why = append(why, "le rapprochement laisse un écart inexpliqué de "+in.Gap.String())
	}
	if in.BookBalance != in.CRF.TresorerieFin.Banque {
		why = append(why, "le CRF ne reprend pas le solde du cahier (écart de "+(in.CRF.TresorerieFin.Banque-in.BookBalance).String()+")")
	}
	if len(why) > 0 {
		ch.Status, ch.Detail = KO, strings.Join(why, " ; ")
		return ch
	}
	ch.Status = OK
	ch.Detail = "le relevé, corrigé des opérations pas encore passées, donne le solde du CRF"
	if in.Unticked == 0 {
		ch.Detail = "le relevé donne exactement le solde du CRF"
	}
	return ch
}

func subventions(in Input) Check {
	tableau, accounts := in.CRF.SubsidiesTotal(), in.CRF.SubsidyAccountsTotal()
	ch := Check{Key: KeySubventions, Label: "Subventions : tableau = comptes 74 = justificatifs reçus", Figures: []Figure{
		{"Tableau des subventions", tableau}, {"Comptes de subventions (74…)", accounts}}}
	var why []string
	if tableau != accounts {
		why = append(why, "le tableau ("+tableau.String()+") diffère des comptes de subventions ("+accounts.String()+")")
	}
	switch {
	case !in.SubsidyListKnown && len(in.CRF.Subventions) > 0:
		why = append(why, "le tableau des subventions n'est pas encore validé : les justificatifs attendus ne sont pas connus")
	case in.SubsidiesProved < in.SubsidiesExpected:
		why = append(why, fmt.Sprintf("%d justificatif(s) reçu(s) sur %d subvention(s)", in.SubsidiesProved, in.SubsidiesExpected))
	}
	if len(why) > 0 {
		ch.Status, ch.Detail = KO, strings.Join(why, " ; ")
		return ch
	}
	ch.Status = OK
	switch {
	case len(in.CRF.Subventions) == 0 && accounts == 0:
		ch.Detail = "aucune subvention sur l'exercice"
	default:
		ch.Detail = fmt.Sprintf("%d subvention(s), chacune justifiée", in.SubsidiesExpected)
	}
	return ch
}

func caisse(in Input) Check {
	fin := in.CRF.TresorerieFin.Caisse
	ch := Check{Key: KeyCaisse, Label: "Caisse au 31 août = dernier arrêté de caisse", Figures: []Figure{{"Caisse au 31 août (CRF)", fin}}}
	switch {
	case !in.KeepsBook:
		ch.Status, ch.Detail = NA, "compte-rendu saisi directement : le solde de caisse est déclaré"
		return ch
	case in.CashCount == nil && fin == 0:
		ch.Status, ch.Detail = OK, "caisse vide au 31 août, pas d'arrêté nécessaire"
		return ch
	case in.CashCount == nil:
		ch.Status, ch.Detail = KO, "aucun arrêté de caisse n'a été fait"
		return ch
	}
	counted := in.CashCount.Total()
	ch.Figures = append(ch.Figures, Figure{"Compté le " + in.CashCount.Date.Format("02/01/2006"), counted})
	if counted == fin {
		ch.Status, ch.Detail = OK, "le comptage du "+in.CashCount.Date.Format("02/01/2006")+" donne le solde du CRF"
	} else {
		ch.Status, ch.Detail = KO, "écart de "+(counted-fin).String()+" entre le comptage et le CRF"
	}
	return ch
}

func regies(in Input) Check {
	ch := Check{Key: KeyRegies, Label: "Régies d'avance soldées"}
	switch {
	case !in.KeepsBook:
		ch.Status, ch.Detail = NA, "compte-rendu saisi directement"
	case len(in.UnsettledRegies) == 0:
		ch.Status, ch.Detail = OK, "toutes les régies sont à zéro au 31 août"
	default:
		msgs := make([]string, len(in.UnsettledRegies))
		for i, p := range in.UnsettledRegies {
			msgs[i] = p.Message
		}
		ch.Status, ch.Detail = KO, strings.Join(msgs, " ; ")
	}
	return ch
}
