package bank

import (
	"strings"
	"time"

	"retkoop/app/money"
)

// Kinds of operation in a Suggestion.
const (
	KindRecette = "recette"
	KindDepense = "depense"
)

// Accounts of the seed chart the suggestions use, and the pseudo-account of
// an internal transfer with the caisse (as in the book's CSV format).
const (
	accountBankFees = "62700008" // Services bancaires et assimilés
	accountOCCE     = "62810008" // Cotisations versées à l'OCCE
	accountState    = "74100008"
	accountRegion   = "74200008"
	accountDept     = "74300008"
	accountCommune  = "74400008" // Subventions de la Commune ou de l'intercommunalité
	accountParents  = "75800008" // Produits divers (dont aides de l'association de parents)
	accountInterest = "76000008"
	accountCaisse   = "caisse"
)

// Suggestion is a pre-filled operation for a bank line nothing in the book
// explains (bank fees, a transfer received); the mandataire checks it and
// saves it in one click.
type Suggestion struct {
	Date    time.Time
	Amount  money.Money // positive; Kind gives the direction
	Libelle string
	Kind    string // KindRecette or KindDepense
	Mode    string // cheque, especes, virement, carte, prelevement, remise
	Account string // account code, "caisse" for cash moved to or from the till, "" when unknown
	Cheque  string // cheque number, for a cheque
}

// creditorRule maps words of a credit transfer's label to the account of
// the funder; the first match wins, so specific names come first.
var creditorRules = []struct {
	words   []string
	account string
}{
	{[]string{" MAIRIE", " COMMUNE", " VILLE DE", " COMMUNAUTE DE COMMUNES", " AGGLOMERATION", " METROPOLE", " SIVU", " SIVOM", " CCAS"}, accountCommune},
	{[]string{" DEPARTEMENT", " CONSEIL DEPARTEMENTAL", " CONSEIL GENERAL", " CD31", " CD 31"}, accountDept},
	{[]string{" REGION", " CONSEIL REGIONAL"}, accountRegion},
	{[]string{" DRFIP", " DGFIP", " EDUCATION NATIONALE", " RECTORAT", " PREFECTURE", " DSDEN", " TRESOR PUBLIC"}, accountState},
	{[]string{" APE ", " A.P.E", " ASSOCIATION DE PARENTS", " ASSOCIATION DES PARENTS", " AMICALE", " FCPE", " PEEP", " SOU DES ECOLES"}, accountParents},
}

// SuggestOperation proposes the operation a bank line most likely is. It
// only reads the label and the sign; the result is a starting point the
// mandataire edits, never written without confirmation.
func SuggestOperation(l Line) Suggestion {
	s := Suggestion{Date: l.Date, Amount: l.Amount.Abs(), Libelle: collapseSpace(l.Label)}
	u := upperLabel(l.Label)
	credit := l.Amount > 0
	if credit {
		s.Kind = KindRecette
	} else {
		s.Kind = KindDepense
	}
	switch {
	case !credit && isFee(u):
		s.Mode, s.Account = modePrelevement, accountBankFees
	case credit && strings.Contains(u, " INTERETS"):
		s.Mode, s.Account = modeVirement, accountInterest
	case containsAny(u, cashDepWords) || containsAny(u, withdrawalWords):
		// Cash carried to or from the till: an internal transfer.
		s.Mode, s.Account = modeEspeces, accountCaisse
	case credit && containsAny(u, chequeDepWords):
		s.Mode = modeRemise
	case !credit && (ChequeNumber(l.Label) != "" || strings.Contains(u, " CHEQUE") || strings.Contains(u, " CHQ")):
		s.Mode, s.Cheque = modeCheque, l.Cheque
		if s.Cheque == "" {
			s.Cheque = ChequeNumber(l.Label)
		}
	case containsAny(u, directDebitWords):
		s.Mode = modePrelevement
		if !credit && strings.Contains(u, " OCCE") {
			s.Account = accountOCCE
		}
	case containsAny(u, transferWords):
		s.Mode = modeVirement
		if credit {
			s.Account = creditorAccount(u)
		}
	case containsAny(u, cardWords):
		s.Mode = modeCarte
	case credit:
		s.Mode = modeVirement
		s.Account = creditorAccount(u)
	default:
		s.Mode = modePrelevement
	}
	return s
}

func creditorAccount(u string) string {
	for _, r := range creditorRules {
		if containsAny(u, r.words) {
			return r.account
		}
	}
	return ""
}
