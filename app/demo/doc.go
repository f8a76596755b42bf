// Package demo seeds the demo AD « OCCE 31 » and benchmark data: coops,
// books, bank statements, closings and dossiers in every state, with
// deterministic random data (Options.Seed). It only touches the coops it
// generates.
package demo
