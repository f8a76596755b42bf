package ledger

// Problem is one reason why a book cannot be closed yet, or a CRF validated,
// in words a teacher understands, with a stable Code for tests, templates
// and help links.
type Problem struct {
	Code    ProblemCode
	Message string
}

// ProblemCode names the rule a Problem breaks. The values are stable: the
// templates compare them and pages link to the place that fixes each.
type ProblemCode string

// Codes of the closing problems (CheckClosing, UnsettledRegies).
const (
	ProblemDates         ProblemCode = "dates"
	ProblemVentilation   ProblemCode = "ventilation"
	ProblemIdentite      ProblemCode = "identite"
	ProblemCaisseNeg     ProblemCode = "caisse_negative"
	ProblemRegieNeg      ProblemCode = "regie_negative"
	ProblemRegie         ProblemCode = "regie_non_soldee"
	ProblemRapprochement ProblemCode = "rapprochement"
	ProblemArreteCaisse  ProblemCode = "arrete_caisse"
	// ProblemDeclaration: the book is closed before the end of the
	// exercice (ClosingEarly) and the mandataire has not declared the year
	// complete.
	ProblemDeclaration ProblemCode = "declaration"
)

// Codes of the problems that prevent validating a CRF: ProblemIdentite,
// and for a CRF entered directly those of CheckEntered.
const (
	// ProblemCloture: the CRF of a book kept in the app is validated
	// after the book is closed.
	ProblemCloture ProblemCode = "cloture"
	// ProblemSaisie: the figures of a CRF entered directly were never
	// entered.
	ProblemSaisie ProblemCode = "saisie"

	ProblemCompte      ProblemCode = "compte"
	ProblemMontant     ProblemCode = "montant"
	ProblemOuverture   ProblemCode = "ouverture"
	ProblemSubventions ProblemCode = "subventions"
)
