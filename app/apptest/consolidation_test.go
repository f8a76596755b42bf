package apptest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"retkoop/app/demo"
	"retkoop/app/docstore"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// consolidationWorld is the demo AD with 24 coops and small books, on a
// database a CLI run can open too.
func consolidationWorld(t *testing.T, dsn string) (env func(string) string, db *store.DB, ad *store.ADScope) {
	t.Helper()
	ctx := context.Background()
	env, db, dataDir := cliDatabase(t, dsn)
	if _, err := demo.Seed(ctx, db, demo.Options{Coops: 24, Operations: 30, Docs: docstore.New(dataDir, 1<<20)},
		cheapHash, ex25); err != nil {
		t.Fatal(err)
	}
	info, err := db.System().ADByCode(ctx, "31")
	if err != nil {
		t.Fatal(err)
	}
	ad, _ = db.ForAD(ctx, info.ID, nil)
	return env, db, ad
}

// eachDSN runs fn on a SQLite file and on a fresh PostgreSQL database.
func eachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "retkoop.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// TestConsolidatedTotalsAreTheSumOfTheCRFs: `report ad` sums exactly the
// CRFs of the coops whose CRF is validated or locked, each read on its own
// and summed here, and the book-kept ones agree with a GROUP BY over the
// raw ventilation lines; every other coop is listed with its reason.
func TestConsolidatedTotalsAreTheSumOfTheCRFs(t *testing.T) {
	eachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		env, db, ad := consolidationWorld(t, dsn)
		coops, _, err := ad.Coops(ctx, store.CoopFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.Consolidated{}
		lines := map[string]money.Money{}     // every account, charges and produits
		fromBooks := map[string]money.Money{} // the CRF lines of the book-kept coops
		var included, excluded, saisie int
		for _, co := range coops {
			cs, _ := db.ForCoop(ctx, co.ID, nil)
			r, err := cs.CRF(ctx, ex25)
			if err != nil {
				t.Fatal(err)
			}
			if r.State.Status != store.CRFValid && r.State.Status != store.CRFLocked {
				excluded++
				continue
			}
			included++
			if r.CRF.Source == store.BookEntered {
				saisie++
			}
			for _, l := range append(append([]ledger.AccountLine{}, r.CRF.Charges...), r.CRF.Produits...) {
				lines[l.Compte] += l.Montant
				if r.CRF.Source == store.BookKept {
					fromBooks[l.Compte] += l.Montant
				}
			}
			want.TotalCharges += r.CRF.TotalCharges
			want.TotalProduits += r.CRF.TotalProduits
			for _, p := range []struct{ sum, add *ledger.Treasuries }{{&want.TresorerieDebut, &r.CRF.TresorerieDebut}, {&want.TresorerieFin, &r.CRF.TresorerieFin}} {
				p.sum.Banque += p.add.Banque
				p.sum.Caisse += p.add.Caisse
				p.sum.Total += p.add.Total
			}
		}
		if included < 5 || excluded < 3 || saisie == 0 {
			t.Fatalf("fixture: %d included (%d entered directly), %d excluded", included, saisie, excluded)
		}

		code, out, errs := runCLI(env, "report", "ad", "--ad", "31", "--exercice", ex25, "--format", "json")
		if code != 0 {
			t.Fatalf("report ad: exit %d: %s", code, errs)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &keys); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"ad", "exercice", "coops", "coops_inclus", "inclus", "charges", "produits", "total_charges",
			"total_produits", "resultat", "tresorerie_debut", "tresorerie_fin"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("the JSON lacks the contract's key %q", k)
			}
		}
		var got ledger.Consolidated
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.AD != "31" || got.Exercice != ex25 || got.Coops != len(coops) || got.CoopsInclus != included ||
			len(got.Inclus) != included || len(got.Exclus) != excluded {
			t.Fatalf("coverage: %d/%d (%d listed, %d excluded), want %d/%d", got.CoopsInclus, got.Coops, len(got.Inclus),
				len(got.Exclus), included, len(coops))
		}
		if got.TotalCharges != want.TotalCharges || got.TotalProduits != want.TotalProduits ||
			got.Resultat != want.TotalProduits-want.TotalCharges || got.TresorerieDebut != want.TresorerieDebut ||
			got.TresorerieFin != want.TresorerieFin {
			t.Fatalf("totals\n got %d %d %d %+v %+v\nwant %d %d %+v %+v", got.TotalCharges, got.TotalProduits, got.Resultat,
				got.TresorerieDebut, got.TresorerieFin, want.TotalCharges, want.TotalProduits, want.TresorerieDebut, want.TresorerieFin)
		}
		gotLines := map[string]money.Money{}
		for _, l := range append(got.Charges, got.Produits...) {
			gotLines[l.Compte] += l.Montant
			if l.Libelle == "" {
				t.Errorf("account %s has no label", l.Compte)
			}
		}
		if !equalMoneyMaps(gotLines, lines) {
			t.Fatalf("accounts\n got %v\nwant %v", gotLines, lines)
		}
		books, err := ad.LedgerTotals(ctx, ex25)
		if err != nil {
			t.Fatal(err)
		}
		if !equalMoneyMaps(books, fromBooks) {
			t.Fatalf("the frozen CRFs disagree with the books\nbooks %v\nCRFs  %v", books, fromBooks)
		}
		for _, e := range got.Exclus {
			if e.Raison == "" || e.UAI == "" {
				t.Errorf("excluded coop without a reason: %+v", e)
			}
		}

		// The spreadsheet and the CSV carry the same totals.
		code, xlsx, errs := runCLI(env, "report", "ad", "--ad", "31", "--exercice", ex25, "--format", "xlsx")
		if code != 0 {
			t.Fatalf("xlsx: %s", errs)
		}
		f, err := excelize.OpenReader(strings.NewReader(xlsx))
		if err != nil {
			t.Fatal(err)
		}
		if !sheetHasNumber(t, f, "Consolidation", got.TotalCharges) || !sheetHasNumber(t, f, "Consolidation", got.Resultat) {
			t.Error("the spreadsheet lacks the totals")
		}
		if rows, _ := f.GetRows("Coopératives"); len(rows) != included+2 { // heading + coops + total
			t.Errorf("sheet Coopératives has %d rows, want %d", len(rows), included+2)
		}
		code, csvOut, errs := runCLI(env, "report", "ad", "--ad", "31", "--exercice", ex25, "--format", "csv")
		if code != 0 || !strings.Contains(csvOut, "total_charges;;Total des charges;"+got.TotalCharges.Plain()) {
			t.Errorf("csv: exit %d %s\n%.400s", code, errs, csvOut)
		}
		for _, tc := range []struct{ args []string }{{[]string{"--ad", "99", "--exercice", ex25}}, {[]string{"--ad", "31"}},
			{[]string{"--ad", "31", "--exercice", ex25, "--format", "pdf"}}} {
			if code, _, errs := runCLI(env, append([]string{"report", "ad"}, tc.args...)...); code == 0 || errs == "" {
				t.Errorf("%v: exit %d", tc.args, code)
			}
		}
	})
}

func equalMoneyMaps(a, b map[string]money.Money) bool {
	for k, v := range a {
		if v != 0 && b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if v != 0 && a[k] != v {
			return false
		}
	}
	return true
}

// sheetHasNumber reports whether a cell of the sheet holds the amount (in
// euros, as the spreadsheet stores it).
func sheetHasNumber(t *testing.T, f *excelize.File, sheet string, m money.Money) bool {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(strings.TrimRight(strings.ReplaceAll(m.Plain(), ",", "."), "0"), ".")
	for _, r := range rows {
		for _, c := range r {
			if c == want || strings.HasPrefix(c, want) {
				return true
			}
		}
	}
	return false
}
