package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"retkoop/app/auth"
	"retkoop/app/docstore"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func TestDemoBankExplore(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	dir := t.TempDir()
	if _, err := SeedDemo(ctx, db, DemoOptions{Docs: docstore.New(dir, 1<<20)}, cheapHash, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	_ = auth.DefaultParams
	ad, _ := db.System().ADByCode(ctx, "31")
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	coops, _, _ := scope.Coops(ctx, store.CoopFilter{})
	a := &App{}
	for _, co := range coops {
		cs, _ := scope.Coop(ctx, co.ID)
		sts, _ := cs.BankStatements(ctx)
		files, _ := filepath.Glob(filepath.Join(dir, demoBankDir, co.UAI, "*.ofx"))
		if len(sts) == 0 && len(files) > 0 {
			for _, f := range files {
				data, _ := os.ReadFile(f)
				res, err := importBank(ctx, cs, bankFile{Name: filepath.Base(f), Data: data})
				t.Logf("%s %s %+v %v", co.UAI, filepath.Base(f), res, err)
			}
		}
		lines, _ := cs.BankLines(ctx, store.BankLineFilter{})
		n := map[string]int{}
		for _, l := range lines {
			n[l.Status]++
			if l.Status != store.BankTicked {
				t.Logf("  %s %s %v %s %+v", l.Date.Format("2006-01-02"), l.Label, l.Amount, l.Status, l.Proposal)
			}
		}
		r, cov, err := a.rapprochement(ctx, cs, tday("31/08/2026"))
		t.Logf("%s %s: %d statements, %v; rappro covered=%v releve=%v livre=%v open=%d ecart=%v err=%v", co.UAI, co.Name, len(sts), n, cov, r.SoldeReleve, r.SoldeLivre, len(r.NonPointees), r.Ecart, err)
	}
}
