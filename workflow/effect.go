package workflow

// Effect is something the app must do once the new state of a dossier is
// saved: send a notification, lock or unlock the CRF, reopen a step. The
// set is closed: only the effect types of this package implement it.
type Effect interface {
	effect()
}

// Notice names the subject of a notification.
type Notice string

// The notices.
const (
	// To the mandataire.
	NoticeCorrectionRequested Notice = "correction_demandee"
	NoticeDossierValidated    Notice = "dossier_valide"
	NoticeDossierReopened     Notice = "dossier_rouvert"
	// To the staff.
	NoticeDossierTransmitted Notice = "dossier_transmis"
	NoticeCorrectionAnswered Notice = "correction_repondue"
	NoticeLateDocument       Notice = "document_apres_validation"
)

// NotifyMandataire asks the app to tell the coop's mandataire. Item,
// CorrectionID and Reason are set when they apply.
type NotifyMandataire struct {
	Kind         Notice  `json:"type"`
	Item         ItemKey `json:"cle,omitempty"`
	CorrectionID int64   `json:"correction_id,omitempty"`
	Reason       string  `json:"motif,omitempty"`
}

// NotifyStaff asks the app to tell the AD's staff (directly or in their
// digest). Item, CorrectionID and DocumentID are set when they apply.
type NotifyStaff struct {
	Kind         Notice  `json:"type"`
	Item         ItemKey `json:"cle,omitempty"`
	CorrectionID int64   `json:"correction_id,omitempty"`
	DocumentID   int64   `json:"document_id,omitempty"`
}

// LockCRF: the dossier was validated, the coop's CRF for the exercice
// becomes locked ("verrouille") and only the AD can unlock it.
type LockCRF struct{}

// UnlockCRF: the validated dossier was reopened, the AD's lock on the CRF
// is lifted.
type UnlockCRF struct{}

// ReopenBook: the staff asked for a correction of the book's closing; the
// app reopens the closed exercice for the mandataire, with Reason as the
// reopening's reason kept in its history.
type ReopenBook struct {
	Reason string `json:"motif"`
}

// ReopenStep: the staff asked for a correction of the CRA, the CRF or the
// tableau des subventions; the app makes that form editable again.
type ReopenStep struct {
	Item   ItemKey `json:"cle"`
	Reason string  `json:"motif"`
}

func (NotifyMandataire) effect() {}
func (NotifyStaff) effect()      {}
func (LockCRF) effect()          {}
func (UnlockCRF) effect()        {}
func (ReopenBook) effect()       {}
func (ReopenStep) effect()       {}

// reopening returns what the app must reopen when an item needs a
// correction: a step item is done in the app, so the mandataire can only
// redo it once it is editable again.
func reopening(key ItemKey, reason string) []Effect {
	switch key {
	case Cloture:
		return []Effect{ReopenBook{Reason: reason}}
	case CRA, CRF, Subventions:
		return []Effect{ReopenStep{Item: key, Reason: reason}}
	}
	return nil
}
