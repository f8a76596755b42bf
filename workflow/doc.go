// Package workflow models a coop's annual submission to its AD (the dossier)
// as plain data and pure functions: the items asked for, their statuses, the
// transitions caused by the mandataire's and the staff's actions, the
// campaign's deadline and reminder rules, and the Reply-To tokens of
// reminders.
//
// Nothing here reads the clock, the database or the network: time is always a
// parameter, and the side effects of a transition (notifications, locking the
// CRF, reopening the book) are returned as data for the app to carry out after
// it has saved the new state. The package uses the standard library only, so
// that every rule of the submission can be read and tested in one place.
package workflow
