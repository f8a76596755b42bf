package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/service"
)

const reportADUsage = "report ad --ad CODE --exercice AAAA-AAAA [--format json|xlsx|csv]"

// cmdReportAD writes an AD's consolidated accounts on stdout (contract:
// `retkoop report ad --ad CODE --exercice 2025-2026 --format json|xlsx|csv`):
// the sums over the coops whose CRF is validated or locked.
func cmdReportAD(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "report ad", reportADUsage)
	adCode := fs.String("ad", "", "code de l'AD (ex. 31)")
	exName := fs.String("exercice", "", "exercice (ex. 2025-2026)")
	format := fs.String("format", "json", "json, xlsx ou csv")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *adCode == "" || *exName == "" {
		fs.Usage()
		return fmt.Errorf("il faut --ad CODE et --exercice AAAA-AAAA")
	}
	if _, ok := service.ConsolidatedFormats[*format]; !ok {
		return fmt.Errorf("format « %s » inconnu : json, xlsx ou csv", *format)
	}
	lex, err := ledger.ParseExercice(*exName)
	if err != nil {
		return err
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	ad, err := rt.db.System().ADByCode(ctx, *adCode)
	if errors.Is(err, fault.ErrNotFound) {
		return fmt.Errorf("AD « %s » inconnue", *adCode)
	}
	if err != nil {
		return err
	}
	scope, err := rt.db.ForAD(ctx, ad.ID, nil)
	if err != nil {
		return err
	}
	a := rt.svc
	c, err := a.Consolidate(ctx, scope, lex.String())
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.Stdout)
	if err := service.WriteConsolidated(w, c, *format); err != nil {
		return err
	}
	return w.Flush()
}
