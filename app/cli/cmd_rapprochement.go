package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

const reportRapprochementUsage = "report rapprochement --uai UAI --date AAAA-MM-JJ [--format json]"

// cmdReportRapprochement prints the état de rapprochement of a coop's
// compte courant at a date (contract: `retkoop report rapprochement --uai
// UAI --date YYYY-MM-DD --format json`): `{"date", "solde_releve",
// "solde_livre", "non_pointees": [{"date", "piece", "libelle",
// "montant"}], "ecart"}`, amounts in cents.
func cmdReportRapprochement(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "report rapprochement", reportRapprochementUsage)
	uaiCode := fs.String("uai", "", "UAI de la coopérative")
	dateStr := fs.String("date", "", "date de l'état (ex. 2026-08-31)")
	format := fs.String("format", "json", "json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *uaiCode == "" || *dateStr == "" {
		fs.Usage()
		return fmt.Errorf("il faut --uai UAI et --date AAAA-MM-JJ")
	}
	if err := checkFormat(*format, "json"); err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, *dateStr)
	if err != nil {
		return fmt.Errorf("date « %s » invalide : AAAA-MM-JJ attendu", *dateStr)
	}
	rt, cs, _, err := openCoop(ctx, e, *uaiCode)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	r, _, err := rt.svc.Rapprochement(ctx, cs, date)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.Stdout).Encode(r)
}
