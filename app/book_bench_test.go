package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"retkoop/app/store/storetest"
)

// benchBookHandler builds the production router on a SQLite file with one
// demo coop whose book has ops operations, and returns a request for the
// book page with the mandataire's session.
func benchBookHandler(b *testing.B, ops int) (*App, *http.Request) {
	b.Helper()
	ctx := context.Background()
	db := storetest.SQLite(b)
	cfg, err := LoadConfig(func(k string) string {
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
	a, err := New(cfg, db, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	logins, err := SeedDemo(ctx, db, DemoOptions{Coops: 1, Operations: ops}, cheapHash, ex25)
	if err != nil {
		b.Fatal(err)
	}
	var uaiLogin string
	for _, l := range logins {
		if l.Role == "mandataire" {
			uaiLogin = l.Login
		}
	}
	u, err := db.Auth().UserByLogin(ctx, uaiLogin)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Auth().SetPassword(ctx, u.ID, "x", false, nil); err != nil {
		b.Fatal(err)
	}
	token, _, err := db.Auth().CreateSession(ctx, u.ID, a.sessionTTL)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/coop/cahier/"+ex25, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
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
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `<tr id="entry-`) != bookPageSize {
		b.Fatalf("status %d, %d rows", rec.Code, strings.Count(rec.Body.String(), `<tr id="entry-`))
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
		a.bookViews.reset()
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
