package store

import (
	"context"
	"fmt"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// Chart returns the AD's chart of accounts (code → libellé).
func (a *ADScope) Chart(ctx context.Context) (ledger.Chart, error) {
	var accs []Account
	if err := a.adSel(&accs).Column("code", "label").Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad chart: %w", err)
	}
	ch := make(ledger.Chart, len(accs))
	for _, acc := range accs {
		ch[acc.Code] = acc.Label
	}
	return ch, nil
}

// LedgerTotals sums, in one SQL GROUP BY, the ventilation lines of the
// books of the AD's coops whose CRF for exercice is validated or locked and
// kept in the app: the total of each account straight from the books. The
// consolidation reads the CRFs' frozen figures instead (what the
// mandataires validated); this is its cross-check against the books and
// the yardstick of its benchmark.
func (a *ADScope) LedgerTotals(ctx context.Context, exercice string) (map[string]money.Money, error) {
	var rows []struct {
		Account string      `bun:"account"`
		Total   money.Money `bun:"total"`
	}
	err := a.coopSel((*lineRow)(nil)).
		ColumnExpr("ol.account, SUM(ol.amount) AS total").
		Join("JOIN operations AS o ON o.id = ol.operation_id AND o.coop_id = ol.coop_id").
		Join("JOIN exercices AS e ON e.id = o.exercice_id AND e.coop_id = o.coop_id").
		Join("JOIN crfs AS cr ON cr.exercice_id = e.id AND cr.coop_id = e.coop_id").
		Where("e.name = ?", exercice).
		Where("cr.status IN (?, ?) AND cr.source = ?", CRFValid, CRFLocked, BookKept).
		Group("ol.account").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("ledger totals: %w", err)
	}
	out := make(map[string]money.Money, len(rows))
	for _, r := range rows {
		out[r.Account] = r.Total
	}
	return out, nil
}
