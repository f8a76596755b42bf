package store

import (
	"context"
	"fmt"

	"retkoop/app/ledger"
)

// CoopCRF is one coop of an AD with the state of its CRF for an exercice:
// Status is empty when the coop has no such exercice, CRF is set once the
// mandataire validated it (the figures the AD consolidates).
type CoopCRF struct {
	Coop   Coop
	Status string
	Source string
	CRF    *ledger.CRF
}

// CRFs lists the AD's coops by UAI with the state of their CRF for an
// exercice, in one query: what the consolidation sums (validated or locked
// CRFs) and what it must say is missing.
func (a *ADScope) CRFs(ctx context.Context, exercice string) ([]CoopCRF, error) {
	var coops []Coop
	if err := a.adSel(&coops).Order("c.uai").Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad crfs: %w", err)
	}
	var withEx []int64
	if err := a.coopSel((*Exercice)(nil)).Column("e.coop_id").
		Where("e.name = ?", exercice).Scan(ctx, &withEx); err != nil {
		return nil, fmt.Errorf("ad crfs: %w", err)
	}
	var states []CRFState
	if err := a.coopSel(&states).
		Join("JOIN exercices AS e ON e.id = cr.exercice_id AND e.coop_id = cr.coop_id").
		Where("e.name = ?", exercice).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad crfs: %w", err)
	}
	has := make(map[int64]bool, len(withEx))
	for _, id := range withEx {
		has[id] = true
	}
	byCoop := make(map[int64]*CRFState, len(states))
	for i := range states {
		byCoop[states[i].CoopID] = &states[i]
	}
	out := make([]CoopCRF, len(coops))
	for i, co := range coops {
		out[i] = CoopCRF{Coop: co, Source: co.BookMode}
		if !has[co.ID] {
			continue
		}
		out[i].Status = CRFDraft
		st := byCoop[co.ID]
		if st == nil {
			continue
		}
		out[i].Status, out[i].Source = st.Status, st.Source
		if st.Frozen() {
			c, err := st.Snapshot()
			if err != nil {
				return nil, err
			}
			out[i].CRF = &c
		}
	}
	return out, nil
}
