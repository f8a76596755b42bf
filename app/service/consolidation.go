package service

import (
	"context"
	"encoding/json"
	"io"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/queue"
	"retkoop/app/report"
	"retkoop/app/store"
	"retkoop/workflow"
)

// The AD's consolidated accounts: the sum of the CRFs its coops validated
// (or the AD locked) for an exercice, as ledger.Consolidate computes it
// from the frozen figures. The CLI (`report ad`) and the staff pages share
// consolidate and writeConsolidated.

// consolidation is the AD's aggregated accounts with what the pages need
// to drill down: each included coop's row, and every coop's id by UAI.
type Consolidation struct {
	AD   *store.AD
	C    ledger.Consolidated
	Rows []report.CoopRow
	IDs  map[string]int64
	// NoExercice holds the UAIs of the coops without the exercice: not
	// expected in the campaign (no dossier to link to).
	NoExercice map[string]bool
}

// consolidate computes the AD's accounts for exercice over every coop of
// the AD, in three queries and one pass over the frozen CRFs.
func (a *Service) Consolidate(ctx context.Context, ad *store.ADScope, exercice string) (*Consolidation, error) {
	info, err := ad.AD(ctx)
	if err != nil {
		return nil, err
	}
	crfs, err := ad.CRFs(ctx, exercice)
	if err != nil {
		return nil, err
	}
	chart, err := ad.Chart(ctx)
	if err != nil {
		return nil, err
	}
	out := &Consolidation{AD: info, IDs: make(map[string]int64, len(crfs)), NoExercice: map[string]bool{}}
	coops := make([]ledger.ConsolidationCoop, len(crfs))
	for i, c := range crfs {
		coops[i] = ledger.ConsolidationCoop{UAI: c.Coop.UAI, Nom: c.Coop.Name, HasExercice: c.Status != "", Statut: c.Status, CRF: c.CRF}
		out.IDs[c.Coop.UAI] = c.Coop.ID
		if coops[i].Included() {
			out.Rows = append(out.Rows, report.CoopRowOf(*c.CRF, c.Coop.Commune))
		} else if !coops[i].HasExercice {
			out.NoExercice[c.Coop.UAI] = true
		}
	}
	out.C = ledger.Consolidate(info.Code, exercice, chart, coops)
	return out, nil
}

// consolidatedFormats are the formats of the consolidated accounts, with
// their content type.
var ConsolidatedFormats = map[string]string{
	"json": "application/json; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
}

// writeConsolidated writes the accounts in one of consolidatedFormats: the
// contract's JSON, the spreadsheet (with the coops' sheet for drill-down)
// or the CSV.
func WriteConsolidated(w io.Writer, c *Consolidation, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c.C)
	case "xlsx":
		return report.ConsolidatedXLSX(w, c.C, c.Rows)
	case "csv":
		return report.ConsolidatedCSV(w, c.C)
	}
	return fault.Invalidf("Format « %s » inconnu : json, xlsx ou csv.", format)
}

// campaignProgress draws the campaign's progress chart: dossiers
// transmitted and validated per day, cumulated, against the number of
// coops expected (those having the exercice).
func (a *Service) CampaignProgress(ctx context.Context, ad *store.ADScope, camp *store.Campaign, w io.Writer) error {
	expected, err := ad.QueueCoopIDs(ctx, store.QueueQuery{Campaign: camp, Query: queue.Query{Tab: queue.Tous}})
	if err != nil {
		return err
	}
	transmitted, validated, err := ad.CampaignDates(ctx, camp.ID)
	if err != nil {
		return err
	}
	points := report.ProgressPoints(transmitted, validated, workflow.Paris())
	return report.ProgressSVG(w, points, len(expected), camp.DeadlineTime())
}

// consolidatedFileName names a download: "comptes-consolides-31-2025-2026.xlsx".
func ConsolidatedFileName(adCode, exercice, format string) string {
	return "comptes-consolides-" + adCode + "-" + exercice + "." + format
}
