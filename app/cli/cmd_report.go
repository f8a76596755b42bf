package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"retkoop/app/fault"
)

const reportCRFUsage = "report crf --uai UAI --exercice AAAA-AAAA [--format json|pdf|xlsx|csv]"

// cmdReportCRF writes a coop's compte-rendu financier on stdout (contract:
// `retkoop report crf --uai UAI --exercice 2025-2026 --format json`): the
// validated figures once the mandataire validated them, else the draft
// generated from the book or from the figures entered directly.
func cmdReportCRF(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "report crf", reportCRFUsage)
	t := newTargetFlags(fs, "uai", "UAI", "UAI de la coopérative", "exercice (ex. 2025-2026)", "json", "pdf", "xlsx", "csv")
	_, lex, err := t.parse(args, 0)
	if err != nil {
		return err
	}
	rt, cs, co, err := openCoop(ctx, e, *t.who)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	r, err := cs.CRF(ctx, lex.String())
	if errors.Is(err, fault.ErrNotFound) {
		return fmt.Errorf("la coopérative %s n'a pas d'exercice %s", co.UAI, lex)
	}
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.Stdout)
	if err := rt.svc.WriteCRF(ctx, cs, r, *t.format, w); err != nil {
		return err
	}
	return w.Flush()
}
