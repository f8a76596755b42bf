// Command retkoop is the OCCE school cooperatives' accounting and reporting
// application: see `retkoop --help` and README.md.
package main

import (
	"os"

	"retkoop/app/cli"
)

func main() {
	os.Exit(cli.Run(&cli.Env{Args: os.Args[1:], Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
