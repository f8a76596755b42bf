package workflow

import (
	"errors"
	"fmt"
)

// TransitionError is returned when an event is not allowed in the dossier's
// current state or carries invalid input from a person (an empty reason,
// an unknown item). Its message is a French sentence for the user; the app
// answers it with 422.
type TransitionError struct {
	Event EventKind
	// From is the status the event found: the item's for an event on an
	// item, the dossier's otherwise.
	From   string
	Reason string
}

// Error returns the French sentence, e.g. "L'acceptation est impossible :
// « Relevé bancaire au 31 août » n'a pas encore été reçu."
func (e *TransitionError) Error() string {
	return fmt.Sprintf("%s est impossible : %s.", e.Event.Label(), e.Reason)
}

// ErrMalformedEvent is wrapped by the errors about events the app should
// never build: no date or author, an unknown source, no document id. It
// points at a bug, not at a user's mistake.
var ErrMalformedEvent = errors.New("événement mal formé")

func refuse(kind EventKind, from string, format string, args ...any) *TransitionError {
	return &TransitionError{Event: kind, From: from, Reason: fmt.Sprintf(format, args...)}
}

func malformed(kind EventKind, format string, args ...any) error {
	op := "apply"
	if kind != "" {
		op += " " + string(kind)
	}
	return fmt.Errorf("%s: %w : %s", op, ErrMalformedEvent, fmt.Sprintf(format, args...))
}
