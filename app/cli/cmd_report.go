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

const reportCRFUsage = "report crf --uai UAI --exercice AAAA-AAAA [--format json|pdf|xlsx|csv]"

// cmdReportCRF writes a coop's compte-rendu financier on stdout (contract:
// `retkoop report crf --uai UAI --exercice 2025-2026 --format json`): the
// validated figures once the mandataire validated them, else the draft
// generated from the book or from the figures entered directly.
func cmdReportCRF(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "report crf", reportCRFUsage)
	uaiCode := fs.String("uai", "", "UAI de la coopérative")
	exName := fs.String("exercice", "", "exercice (ex. 2025-2026)")
	format := fs.String("format", "json", "json, pdf, xlsx ou csv")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *uaiCode == "" || *exName == "" {
		fs.Usage()
		return fmt.Errorf("il faut --uai UAI et --exercice AAAA-AAAA")
	}
	if _, ok := service.CRFFormats[*format]; !ok {
		return fmt.Errorf("format « %s » inconnu : json, pdf, xlsx ou csv", *format)
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
	cs, co, err := bookCoopByUAI(ctx, rt.db, *uaiCode)
	if err != nil {
		return err
	}
	r, err := cs.CRF(ctx, lex.String())
	if errors.Is(err, fault.ErrNotFound) {
		return fmt.Errorf("la coopérative %s n'a pas d'exercice %s", co.UAI, lex)
	}
	if err != nil {
		return err
	}
	a := rt.svc
	w := bufio.NewWriter(e.Stdout)
	if err := a.WriteCRF(ctx, cs, r, *format, w); err != nil {
		return err
	}
	return w.Flush()
}
