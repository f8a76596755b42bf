package bank

import (
	"regexp"
	"strings"
)

// Modes of payment, as the book records them (contract: ledger import).
const (
	modeCheque      = "cheque"
	modeEspeces     = "especes"
	modeVirement    = "virement"
	modeCarte       = "carte"
	modePrelevement = "prelevement"
	modeRemise      = "remise"
)

// upperLabel is the label folded to upper-case ASCII with single spaces,
// the form every label rule below reads.
func upperLabel(s string) string {
	return " " + keyLabel(s) + " "
}

// chequeRe finds a cheque number after the words banks use for it:
// "CHQ 1234567", "CHEQUE N°0001234", "CHQ.1234", "CHEQUE NO 1234567",
// "PAIEMENT CHQ N. 1234567".
var chequeRe = regexp.MustCompile(`(?:^|[^A-Z0-9])(?:CHQ|CHEQUE|CHQUE|CHEQ)S?\.?\s*(?:(?:N|NO|NUM|NUMERO)\s*[°º.:]?\s*|[°º#:]\s*)?0*([0-9]{1,12})(?:[^0-9]|$)`)

// isDepositLabel reports whether a label is a deposit at the counter (remise
// de chèques, versement d'espèces): the number after "REM CHQ" is the slip's
// number, not a cheque's.
func isDepositLabel(u string) bool {
	for _, w := range []string{" REM ", " REM.", " REMISE", " VERSEMENT", " VERST", " VRST", " DEPOT", " DEP CHQ", " DEP ESP"} {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// ChequeNumber returns the cheque number written in a bank label, without
// its leading zeros, or "" when the label names no cheque (or is a deposit
// of cheques, whose number is the slip's).
func ChequeNumber(label string) string {
	u := upperLabel(label)
	if isDepositLabel(u) {
		return ""
	}
	m := chequeRe.FindStringSubmatch(u)
	if m == nil {
		return ""
	}
	return m[1]
}

// sameCheque compares cheque numbers ignoring leading zeros ("0001234" on
// the statement, "1234" in the book).
func sameCheque(a, b string) bool {
	a, b = strings.TrimLeft(strings.TrimSpace(a), "0"), strings.TrimLeft(strings.TrimSpace(b), "0")
	return a != "" && a == b
}

// Words of bank labels, each preceded and followed by a space in the upper
// label they are searched in, so that "CB" does not match "CBIEN".
var (
	feePhrases       = []string{" COTISATION CARTE", " COTIS CARTE", " COTIS. CARTE", " COTIS CB", " AGIOS ", " TENUE DE COMPTE", " TENUE COMPTE", " FRAIS BANCAIRES", " FRAIS DE TENUE", " COMMISSION D'INTERVENTION", " COMMISSION INTERVENTION", " INTERETS DEBITEURS", " OFFRE ASSOCIATION", " COTISATION OFFRE"}
	feeStarts        = []string{" FRAIS ", " COMMISSION", " COM ", " COM. ", " COTIS ", " COTISATION "}
	chequeDepWords   = []string{" REM CHQ", " REM. CHQ", " REMISE CHQ", " REMISE CHEQUE", " REMISE DE CHQ", " REMISE DE CHEQUE", " REM CHEQUE", " DEPOT CHQ", " DEPOT CHEQUE", " DEP CHQ", " REMISE "}
	cashDepWords     = []string{" VERSEMENT ESP", " VERST ESP", " VRST ESP", " VERS ESP", " VERSEMENT D'ESP", " VERSEMENT DESP", " DEPOT ESP", " DEP ESP", " VERSEMENT EXPRESS", " ESPECES "}
	withdrawalWords  = []string{" RETRAIT", " RET DAB", " DAB "}
	cardWords        = []string{" CB ", " CB*", " CARTE ", " PAIEMENT CB", " PAIEMENT PAR CARTE", " FACTURE CARTE", " ACHAT CB", " CARTE X"}
	transferWords    = []string{" VIR ", " VIR.", " VIREMENT", " VIRT ", " VIR SEPA", " VIR INST"}
	directDebitWords = []string{" PRLV", " PRELEVEMENT", " PRELEV ", " ECHEANCE", " PRLVT"}
)

func containsAny(u string, words []string) bool {
	for _, w := range words {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// isFee reports whether a label is a bank charge: a phrase only banks use,
// or a label that starts with "FRAIS", "COMMISSION"… ("VIR SEPA FRAIS
// SORTIE" is a transfer that pays for an outing, not a fee).
func isFee(u string) bool {
	if containsAny(u, feePhrases) {
		return true
	}
	for _, w := range feeStarts {
		if strings.HasPrefix(u, w) {
			return true
		}
	}
	return false
}

// labelMode guesses from a bank label the mode of payment of the operation
// behind it; "" when the label does not say. Order matters: "COTISATION
// CARTE" is a fee, not a card payment; "REMISE CHEQUES" is a deposit, not a
// cheque paid.
func labelMode(label string) string {
	u := upperLabel(label)
	switch {
	case isFee(u):
		return modePrelevement
	case containsAny(u, cashDepWords):
		return modeEspeces
	case containsAny(u, chequeDepWords):
		return modeRemise
	case chequeRe.MatchString(u) || strings.Contains(u, " CHEQUE") || strings.Contains(u, " CHQ"):
		return modeCheque
	case containsAny(u, withdrawalWords):
		return modeEspeces
	case containsAny(u, directDebitWords):
		return modePrelevement
	case containsAny(u, transferWords):
		return modeVirement
	case containsAny(u, cardWords):
		return modeCarte
	}
	return ""
}

// noiseWords carry no information about who was paid: bank jargon, French
// stop words, months.
var noiseWords = map[string]bool{
	"CB": true, "CARTE": true, "PRLV": true, "SEPA": true, "VIR": true, "VIREMENT": true, "CHQ": true,
	"CHEQUE": true, "CHEQUES": true, "REM": true, "REMISE": true, "PAIEMENT": true, "FACTURE": true,
	"EMIS": true, "RECU": true, "INST": true, "PRELEVEMENT": true, "DATE": true, "REF": true,
	"DES": true, "DU": true, "DE": true, "LA": true, "LE": true, "LES": true, "ET": true, "POUR": true,
	"PAR": true, "SUR": true, "AVEC": true, "AUX": true, "UNE": true, "UN": true, "EN": true, "AU": true,
	"MR": true, "MME": true, "MLLE": true, "STE": true, "SAS": true, "SARL": true, "EUR": true,
	"ECHEANCE": true, "MOTIF": true, "BENEF": true, "ORDRE": true, "DONNEUR": true, "NUM": true,
	"JANVIER": true, "FEVRIER": true, "MARS": true, "AVRIL": true, "MAI": true, "JUIN": true,
	"JUILLET": true, "AOUT": true, "SEPTEMBRE": true, "OCTOBRE": true, "NOVEMBRE": true, "DECEMBRE": true,
}

// tokens returns the informative words of a label: upper-case ASCII, at
// least three letters, not a number, not bank jargon. Sorted order is not
// needed: labels are short and similarity is quadratic in few words.
func tokens(label string) []string {
	u := keyLabel(label)
	f := strings.FieldsFunc(u, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') })
	out := f[:0]
	for _, w := range f {
		if len(w) < 3 || noiseWords[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		out = append(out, w)
	}
	return out
}

// sameWord matches two words, or a word and its truncation: banks cut labels
// ("SUBV" for "SUBVENTION", "TOULOUS" for "TOULOUSE").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && strings.HasPrefix(b, a)
}

// similarity is the share of the shorter label's words found in the other
// (overlap coefficient), 0..1, with the words that matched.
func similarity(a, b []string) (float64, []string) {
	if len(a) == 0 || len(b) == 0 {
		return 0, nil
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var common []string
	for _, x := range a {
		for _, y := range b {
			if sameWord(x, y) {
				common = append(common, x)
				break
			}
		}
	}
	return float64(len(common)) / float64(len(a)), common
}
