// Package apptest holds the end-to-end tests of the assembled application:
// the production router over a real SQLite file (and PostgreSQL when
// RETKOOP_TEST_POSTGRES is set), the CLI, the workers against real IMAP and
// SMTP servers, Chromium journeys, and the isolation walk of every route.
// It has no code of its own: nothing imports it.
package apptest
