package report

import (
	"fmt"
	"time"

	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/money"
)

// isoDate is the layout of dates in ledger structs and the contract's JSON.
const isoDate = "2006-01-02"

// frDate turns "2026-08-31" into "31/08/2026", the way French readers expect
// it. A value that is not an ISO date is shown as it is rather than hidden.
func frDate(iso string) string {
	t, err := time.Parse(isoDate, iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// frTime writes a day as "31/08/2026"; a zero time is said to be missing.
func frTime(t time.Time) string {
	if t.IsZero() {
		return "non datée"
	}
	return t.Format("02/01/2006")
}

// frLongDate writes "30 septembre 2026" (letters use the long form).
func frLongDate(t time.Time) string {
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, fr.Month(t.Month()), t.Year())
}

// statusLabel explains a CRF status in words a teacher understands.
func statusLabel(statut string) string {
	switch statut {
	case "brouillon":
		return "Brouillon (non validé)"
	case "valide":
		return "Validé par le mandataire"
	case "verrouille":
		return "Verrouillé par l'AD"
	case "":
		return "Non précisé"
	}
	return statut
}

// sourceLabel says where the figures of a CRF come from.
func sourceLabel(source string) string {
	switch source {
	case ledger.SourceCahier:
		return "établi à partir du cahier de comptabilité"
	case ledger.SourceSaisie:
		return "saisi directement (comptabilité tenue hors de l'application)"
	}
	return source
}

// resultatLabel names a result the way the OCCE's form does.
func resultatLabel(r money.Money) string {
	switch {
	case r > 0:
		return "Résultat de l'exercice (excédent)"
	case r < 0:
		return "Résultat de l'exercice (déficit)"
	}
	return "Résultat de l'exercice (à l'équilibre)"
}

// signed writes an amount with an explicit sign, for lines that are added
// to or taken from a running figure.
func signed(m money.Money) string {
	if m >= 0 {
		return "+ " + m.String()
	}
	return "− " + m.Abs().String()
}

// gapLabel says whether two figures that should agree do.
func gapLabel(gap money.Money) string {
	if gap == 0 {
		return "Aucun écart ✓"
	}
	return "Écart à expliquer : " + gap.String()
}
