// Package fault names the few kinds of error that the HTTP layer maps to a
// status: not found (404), invalid input or transition (422) and read-only
// (403 never: a read-only view answers 422 with its message).
package fault

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned for a missing row or a row of another tenant:
// both are the same 404 so that ids cannot be probed.
var ErrNotFound = errors.New("introuvable")

// ErrReadOnly is returned by every write of a read-only (assist) handle.
var ErrReadOnly = &Invalid{Msg: "Consultation en lecture seule : aucune modification n'est possible."}

// Invalid is a user error: the message is French and shown as is.
type Invalid struct {
	Msg string
	Err error
}

func (e *Invalid) Error() string { return e.Msg }

// Unwrap returns the underlying error, if any.
func (e *Invalid) Unwrap() error { return e.Err }

// Invalidf formats a user error.
func Invalidf(format string, args ...any) error {
	return &Invalid{Msg: fmt.Sprintf(format, args...)}
}

// User wraps a domain error whose message is already a French sentence for
// the user, so that the HTTP layer answers 422 with it.
func User(err error) error {
	if err == nil {
		return nil
	}
	var inv *Invalid
	if errors.As(err, &inv) {
		return err
	}
	return &Invalid{Msg: err.Error(), Err: err}
}

// Message returns the user message of err if it is a user error.
func Message(err error) (string, bool) {
	var inv *Invalid
	if errors.As(err, &inv) {
		return inv.Msg, true
	}
	return "", false
}
