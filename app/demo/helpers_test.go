package demo

import (
	"retkoop/app/auth"
	"time"
)

// cheapHash keeps the demo's many logins fast in tests; the production
// parameters are checked in app/auth.
var cheapHash = auth.Params{Memory: 64, Time: 1, Threads: 1}

// ex25 is the exercice the demo describes in these tests.
const ex25 = "2025-2026"

func tday(s string) time.Time {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return d
}
