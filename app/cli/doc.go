// Package cli is retkoop's command line: Run dispatches `retkoop COMMAND`
// to one file per command family (cmd_*.go). A command parses its flags,
// opens the configuration and database (open), makes one call into the
// services or workers and prints its result (JSON on stdout, errors in
// French on stderr). The interface is the contract in shared/spec.
package cli
