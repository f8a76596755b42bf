package mail

import (
	"time"

	"retkoop/workflow"
)

// The mails of the app, by template name (templates/mail/NAME.*).
const (
	Reminder      = "relance"
	Correction    = "correction"
	Validated     = "validation"
	Reopened      = "reouverture"
	PasswordReset = "mot_de_passe"
	Digest        = "synthese"
)

// ReminderView is the data of a reminder: exactly what the coop still owes
// (workflow.ReminderContent) and the campaign's deadline.
type ReminderView struct {
	CoopName    string
	UAI         string
	Mandataire  string
	Exercice    string
	Deadline    time.Time
	Late        bool
	Missing     []workflow.MissingItem
	Corrections []workflow.OpenCorrection
	// ReplyTo is set when replies are filed by mail-in: the mail then
	// invites the mandataire to answer with the signed documents attached.
	ReplyTo string
}

// NoticeView is the data of a notice to the mandataire about the dossier
// (correction requested, dossier validated or reopened).
type NoticeView struct {
	CoopName   string
	UAI        string
	Mandataire string
	Exercice   string
	ItemLabel  string
	Reason     string
}

// ResetView is the data of a password reset mail. Path is the app path of
// the single-use link.
type ResetView struct {
	Name     string
	Login    string
	Path     string
	Validity string // "1 heure"
}

// DigestView is the weekday summary for an AD's staff member.
type DigestView struct {
	Name     string
	Date     time.Time
	Exercice string
	Deadline time.Time
	Arrived  []DigestArrival
	ToReview []DigestCoop
	Late     []DigestCoop
}

// DigestArrival is a document received since the previous digest.
type DigestArrival struct {
	UAI, CoopName, What string
	At                  time.Time
}

// DigestCoop is a coop listed in the digest.
type DigestCoop struct {
	UAI, CoopName string
	DaysLate      int
}
