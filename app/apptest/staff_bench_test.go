package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retkoop/app"
	"retkoop/app/auth"
	"retkoop/app/config"
	"retkoop/app/demo"
	"retkoop/app/docstore"
	"retkoop/app/fr"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/app/web"
)

// BenchmarkStaffAtScale measures the staff's pages on `retkoop demo
// --coops 2000 --operations 400` data (seeded once per database; set
// RETKOOP_BENCH_SQLITE=PATH or RETKOOP_BENCH_POSTGRES=URL to reuse a
// database made by `retkoop demo --coops 2000 --operations 400`):
//
//   - the review queue through the whole HTTP stack (session, query,
//     rendering): the first page, a filtered page, a search;
//   - the consolidation from the CRFs' frozen figures, against one SQL
//     GROUP BY over the validated coops' ventilation lines (the target is
//     within 2× of it), and the consolidation page.
//
// go test ./app -run '^$' -bench StaffAtScale -benchtime 20x
func BenchmarkStaffAtScale(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			env := newStaffBench(b, kind)
			for _, p := range []struct{ name, path string }{
				{"queue_first_page", "/ad/dossiers?exercice=2025-2026&onglet=tous"},
				{"queue_filtered", "/ad/dossiers?exercice=2025-2026&onglet=en_retard&manquant=releve&tenue=cahier"},
				{"queue_search", "/ad/dossiers?exercice=2025-2026&onglet=tous&q=jean+moulin"},
				{"consolidation_page", "/ad/consolidation?exercice=2025-2026"},
			} {
				b.Run(p.name, func(b *testing.B) {
					for b.Loop() {
						env.get(b, p.path)
					}
				})
			}
			b.Run("consolidation_snapshots", func(b *testing.B) {
				for b.Loop() {
					c, err := env.app.Consolidate(context.Background(), env.ad, "2025-2026")
					if err != nil || c.C.CoopsInclus == 0 {
						b.Fatalf("consolidate: %v (%d included)", err, c.C.CoopsInclus)
					}
				}
			})
			b.Run("consolidation_sql_group_by", func(b *testing.B) {
				for b.Loop() {
					if t, err := env.ad.LedgerTotals(context.Background(), "2025-2026"); err != nil || len(t) == 0 {
						b.Fatalf("ledger totals: %v", err)
					}
				}
			})
		})
	}
}

type staffBench struct {
	app    *app.App
	ad     *store.ADScope
	h      http.Handler
	cookie string
}

func newStaffBench(b *testing.B, kind string) *staffBench {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	var dsn string
	seed := true
	switch {
	case kind == "sqlite" && os.Getenv("RETKOOP_BENCH_SQLITE") != "":
		dsn, seed = "sqlite:"+os.Getenv("RETKOOP_BENCH_SQLITE"), false
	case kind == "sqlite":
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	case os.Getenv("RETKOOP_BENCH_POSTGRES") != "":
		dsn, seed = os.Getenv("RETKOOP_BENCH_POSTGRES"), false
	default:
		dsn = storetest.PostgresDSN(b)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if seed {
		start := time.Now()
		if _, err := demo.Seed(ctx, db, demo.Options{Coops: 2000, Operations: 400, Docs: docstore.New(dir, 1<<20)}, cheapHash, "2025-2026"); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: demo --coops 2000 --operations 400 seeded in %s", kind, time.Since(start).Round(time.Second))
	}
	cfg, err := config.LoadConfig(func(k string) string {
		switch k {
		case "RETKOOP_DATA_DIR":
			return dir
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
	// The campaign is being collected: a month after its deadline.
	a.Now = func() time.Time { return time.Date(2026, 10, 30, 10, 0, 0, 0, fr.Paris) }
	u, err := db.Auth().UserByLogin(ctx, "comptes@occe31.example")
	if err != nil {
		b.Fatal(err)
	}
	h, _ := auth.HashWith("banc-d-essai-2000", cheapHash)
	if err := db.Auth().SetPassword(ctx, u.ID, h, false, nil); err != nil {
		b.Fatal(err)
	}
	token, _, err := db.Auth().CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	ad, err := db.ForAD(ctx, *u.ADID, &u.ID)
	if err != nil {
		b.Fatal(err)
	}
	return &staffBench{app: a, ad: ad, h: a.Handler(), cookie: web.SessionCookie + "=" + token}
}

func (s *staffBench) get(b *testing.B, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Cookie", s.cookie)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
	}
}
