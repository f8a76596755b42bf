package service

import (
	_ "embed"
	"strings"

	"retkoop/app/csvin"
	"retkoop/app/store"
)

// chartSeed is the chart of accounts shipped with the app (a copy of the
// OCCE seed); each AD gets its own editable copy.
//
//go:embed seed/chart-occe-seed.csv
var chartSeed string

// SeedChart returns the shipped chart of accounts.
func SeedChart() []store.Account {
	t, err := csvin.Read(strings.NewReader(chartSeed), []string{"compte", "libelle", "sens"}, []string{"groupe", "confirme"})
	if err != nil {
		panic("embedded chart: " + err.Error()) // covered by TestSeedChart
	}
	out := make([]store.Account, 0, len(t.Rows))
	for _, r := range t.Rows {
		out = append(out, store.Account{Code: r.Get("compte"), Label: r.Get("libelle"), Sense: r.Get("sens"),
			Group: r.Get("groupe"), Confirmed: r.Get("confirme") == "oui"})
	}
	return out
}
