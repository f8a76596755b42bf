package workflow

import "time"

// EventKind names an event in the history and in errors.
type EventKind string

// The event kinds.
const (
	KindDocumentReceived    EventKind = "document_recu"
	KindStepCompleted       EventKind = "etape_terminee"
	KindItemAccepted        EventKind = "element_accepte"
	KindCorrectionRequested EventKind = "correction_demandee"
	KindCorrectionAnswered  EventKind = "correction_repondue"
	KindProofWaived         EventKind = "justificatif_dispense"
	KindDossierValidated    EventKind = "dossier_valide"
	KindDossierReopened     EventKind = "dossier_rouvert"
)

// Label returns the French name of the action, used in error messages.
func (k EventKind) Label() string {
	switch k {
	case KindDocumentReceived:
		return "La réception du document"
	case KindStepCompleted:
		return "L'étape"
	case KindItemAccepted:
		return "L'acceptation"
	case KindCorrectionRequested:
		return "La demande de correction"
	case KindCorrectionAnswered:
		return "La réponse à la correction"
	case KindProofWaived:
		return "La dispense de justificatif"
	case KindDossierValidated:
		return "La validation du dossier"
	case KindDossierReopened:
		return "La réouverture du dossier"
	}
	return string(k)
}

// Stamp says who did something and when; every event carries one and it
// becomes the history entry's who and when. By is the app's identifier of
// the person or process (a user id or e-mail, "courriel" for mail-in).
type Stamp struct {
	At time.Time `json:"le"`
	By string    `json:"par"`
}

func (s Stamp) stamp() Stamp { return s }

// Event is something that happened to a dossier. The set is closed: only
// the event types of this package implement it. Pass events by value.
type Event interface {
	Kind() EventKind
	stamp() Stamp
}

// DocumentReceived: a document for a document item (Quitus, Releve,
// Justificatifs) arrived on the web, by mail or by post.
type DocumentReceived struct {
	Stamp
	Item       ItemKey `json:"cle"`
	Source     Source  `json:"source"`
	DocumentID int64   `json:"document_id"`
	// SubsidyRef names the subsidy a justificatif proves, when known.
	SubsidyRef string `json:"subvention,omitempty"`
}

// StepCompleted: the mandataire completed a step in the app: closed the book
// (Cloture), submitted the CRA (CRA), validated the CRF (CRF) or the
// tableau des subventions (Subventions, with its rows in Subsidies).
type StepCompleted struct {
	Stamp
	Item      ItemKey   `json:"cle"`
	Subsidies []Subsidy `json:"subventions,omitempty"`
}

// ItemAccepted: the staff accepted a received item.
type ItemAccepted struct {
	Stamp
	Item ItemKey `json:"cle"`
}

// CorrectionRequested: the staff asked for a correction of an item, with a
// reason for the mandataire.
type CorrectionRequested struct {
	Stamp
	Item   ItemKey `json:"cle"`
	Reason string  `json:"motif"`
}

// CorrectionAnswered: the mandataire answered a correction of a document
// item in words. Sending a new document or completing the step again also
// answers the item's correction, through DocumentReceived or StepCompleted.
type CorrectionAnswered struct {
	Stamp
	CorrectionID int64  `json:"correction_id"`
	Answer       string `json:"reponse"`
}

// ProofWaived: the staff no longer expect a proof for one subsidy.
type ProofWaived struct {
	Stamp
	SubsidyRef string `json:"subvention"`
	Reason     string `json:"motif,omitempty"`
}

// DossierValidated: the staff validated the dossier.
type DossierValidated struct {
	Stamp
}

// DossierReopened: the staff reopened a validated dossier, with a reason,
// optionally asking for corrections of some items.
type DossierReopened struct {
	Stamp
	Reason string    `json:"motif"`
	Items  []ItemKey `json:"cles,omitempty"`
}

// Kind implements Event.
func (DocumentReceived) Kind() EventKind { return KindDocumentReceived }

// Kind implements Event.
func (StepCompleted) Kind() EventKind { return KindStepCompleted }

// Kind implements Event.
func (ItemAccepted) Kind() EventKind { return KindItemAccepted }

// Kind implements Event.
func (CorrectionRequested) Kind() EventKind { return KindCorrectionRequested }

// Kind implements Event.
func (CorrectionAnswered) Kind() EventKind { return KindCorrectionAnswered }

// Kind implements Event.
func (ProofWaived) Kind() EventKind { return KindProofWaived }

// Kind implements Event.
func (DossierValidated) Kind() EventKind { return KindDossierValidated }

// Kind implements Event.
func (DossierReopened) Kind() EventKind { return KindDossierReopened }

// byValue turns a pointer to an event into the event itself, so that a
// caller passing &DocumentReceived{} gets the same result; a nil pointer
// gives nil.
func byValue(ev Event) Event {
	switch e := ev.(type) {
	case *DocumentReceived:
		return deref(e)
	case *StepCompleted:
		return deref(e)
	case *ItemAccepted:
		return deref(e)
	case *CorrectionRequested:
		return deref(e)
	case *CorrectionAnswered:
		return deref(e)
	case *ProofWaived:
		return deref(e)
	case *DossierValidated:
		return deref(e)
	case *DossierReopened:
		return deref(e)
	}
	return ev
}

func deref[T Event](p *T) Event {
	if p == nil {
		return nil
	}
	return *p
}
