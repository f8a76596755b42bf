package apptest

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"retkoop/app"
	"retkoop/app/config"
	"retkoop/app/demo"
	"retkoop/app/ledger"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/app/web"
)

// benchBookHandler builds the production router on a SQLite file with one
// demo coop whose book has ops operations, and returns a request for the
// book page with the mandataire's session.
func benchBookHandler(b *testing.B, ops int) (*app.App, *http.Request) {
	b.Helper()
	ctx := context.Background()
	db := storetest.SQLite(b)
	cfg, err := config.LoadConfig(func(k string) string {
		switch k {
		case "RETKOOP_DATA_DIR":
			return b.TempDir()
		case "RETKOOP_SECRET":
			return strings.Repeat("s", 40)
		}
		return ""
	})
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(cfg, db, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	// One coop with an open book of ops generated operations.
	sys := db.System()
	ad, err := sys.EnsureAD(ctx, "31", "OCCE 31")
	if err != nil {
		b.Fatal(err)
	}
	if err := sys.SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
		b.Fatal(err)
	}
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	if _, err := scope.ImportCoops(ctx, []store.CoopImport{{UAI: "0310036W", Params: store.CoopParams{Name: "École Alpha"},
		OpeningBank: 250000, OpeningCash: 5000}}, ex25); err != nil {
		b.Fatal(err)
	}
	targets, err := sys.BookTargets(ctx, ad.ID, ex25)
	if err != nil || len(targets) != 1 {
		b.Fatalf("targets: %v", err)
	}
	t := targets[0]
	g := demo.NewDemoYear(rand.New(rand.NewPCG(31, 1)), ledger.Exercice{StartYear: 2025},
		ledger.Balances{ledger.Banque: t.Exercice.OpeningBank, ledger.Caisse: t.Exercice.OpeningCash})
	if err := sys.BulkInsertOperations(ctx, []store.BulkBook{{CoopID: t.CoopID, ExerciceID: t.Exercice.ID,
		Regies: g.Regies(), Ops: g.Generate(ops)}}); err != nil {
		b.Fatal(err)
	}
	u, err := db.Auth().UserByLogin(ctx, "0310036W")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Auth().SetPassword(ctx, u.ID, "x", false, nil); err != nil {
		b.Fatal(err)
	}
	token, _, err := db.Auth().CreateSession(ctx, u.ID, a.Web.SessionTTL())
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/coop/cahier/"+ex25, nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: token})
	return a, req
}

// BenchmarkBookPage400 renders the book page (last page of 100 rows, with
// running balances and totals over the 400 operations) through the real
// router, session and database included.
func BenchmarkBookPage400(b *testing.B) {
	a, req := benchBookHandler(b, 400)
	h := a.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if page := rec.Body.String(); rec.Code != http.StatusOK || strings.Count(page, `<tr id="entry-`) != web.BookPageSize ||
		!strings.Contains(page, `id="entry-form"`) {
		b.Fatalf("status %d, %d rows", rec.Code, strings.Count(page, `<tr id="entry-`))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkBookPage400Uncached renders the same page without the cache of
// rendered lists: the cost of the first view after a change of the book
// (the operations themselves still come from the store's cache).
func BenchmarkBookPage400Uncached(b *testing.B) {
	a, req := benchBookHandler(b, 400)
	h := a.Handler()
	b.ReportAllocs()
	for b.Loop() {
		a.Web.ResetBookViews()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkBookPage400Print renders every row of the 400 on one page (the
// printable version).
func BenchmarkBookPage400Print(b *testing.B) {
	a, req := benchBookHandler(b, 400)
	h := a.Handler()
	req = req.Clone(context.Background())
	req.URL.RawQuery = "tout=1"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
