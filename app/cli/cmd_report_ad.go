package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"retkoop/app/fault"
	"retkoop/app/service"
)

const reportADUsage = "report ad --ad CODE --exercice AAAA-AAAA [--format json|xlsx|csv]"

// cmdReportAD writes an AD's consolidated accounts on stdout (contract:
// `retkoop report ad --ad CODE --exercice 2025-2026 --format json|xlsx|csv`):
// the sums over the coops whose CRF is validated or locked.
func cmdReportAD(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "report ad", reportADUsage)
	t := newTargetFlags(fs, "ad", "CODE", "code de l'AD (ex. 31)", "exercice (ex. 2025-2026)", "json", "xlsx", "csv")
	_, lex, err := t.parse(args, 0)
	if err != nil {
		return err
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	ad, err := rt.db.System().ADByCode(ctx, *t.who)
	if errors.Is(err, fault.ErrNotFound) {
		return fmt.Errorf("AD « %s » inconnue", *t.who)
	}
	if err != nil {
		return err
	}
	scope, err := rt.db.ForAD(ctx, ad.ID, nil)
	if err != nil {
		return err
	}
	c, err := rt.svc.Consolidate(ctx, scope, lex.String())
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.Stdout)
	if err := service.WriteConsolidated(w, c, *t.format); err != nil {
		return err
	}
	return w.Flush()
}
