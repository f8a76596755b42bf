package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// fixture creates two ADs with two coops each.
type fixture struct {
	adA, adB       *store.AD
	coopA1, coopA2 int64
	coopB1         int64
}

func setup(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	sys := db.System()
	var f fixture
	var err error
	if f.adA, err = sys.EnsureAD(ctx, "31", "OCCE 31"); err != nil {
		t.Fatal(err)
	}
	if f.adB, err = sys.EnsureAD(ctx, "70", "OCCE 70"); err != nil {
		t.Fatal(err)
	}
	a, _ := db.ForAD(ctx, f.adA.ID, nil)
	b, _ := db.ForAD(ctx, f.adB.ID, nil)
	if _, err := a.ImportCoops(ctx, []store.CoopImport{
		{UAI: "0310036W", Params: store.CoopParams{Name: "École A1"}, OpeningBank: 123456, OpeningCash: 5000},
		{UAI: "0310100R", Params: store.CoopParams{Name: "École A2"}},
	}, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportCoops(ctx, []store.CoopImport{{UAI: "0700001L", Params: store.CoopParams{Name: "École B1"}}}, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	c, _ := a.CoopByUAI(ctx, "0310036W")
	f.coopA1 = c.ID
	c, _ = a.CoopByUAI(ctx, "0310100R")
	f.coopA2 = c.ID
	c, _ = b.CoopByUAI(ctx, "0700001L")
	f.coopB1 = c.ID
	return f
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
	})
}

func TestCoopScopesAreIsolated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a1, err := db.ForCoop(ctx, f.coopA1, nil)
		if err != nil {
			t.Fatal(err)
		}
		ex, err := a1.Exercices(ctx)
		if err != nil || len(ex) != 1 || ex[0].CoopID != f.coopA1 || ex[0].OpeningBank != money.Money(123456) {
			t.Fatalf("exercices of A1 = %+v, %v", ex, err)
		}
		// AD A reaches its coops but not AD B's.
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		if _, err := adA.Coop(ctx, f.coopA2); err != nil {
			t.Fatalf("own coop: %v", err)
		}
		if _, err := adA.Coop(ctx, f.coopB1); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign coop: err = %v, want not found", err)
		}
		coops, n, err := adA.Coops(ctx, store.CoopFilter{})
		if err != nil || n != 2 || len(coops) != 2 {
			t.Fatalf("coops of A = %d (%v)", n, err)
		}
		for _, c := range coops {
			if c.ADID != f.adA.ID {
				t.Fatalf("coop of another AD listed: %+v", c)
			}
		}
		if _, n, _ := adA.Coops(ctx, store.CoopFilter{Q: "a2"}); n != 1 {
			t.Fatalf("search a2 = %d", n)
		}
		if _, err := adA.CoopByUAI(ctx, "0700001L"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("foreign uai: %v", err)
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		// The second row reuses a UAI that is already a login in AD B: the
		// whole import must be rolled back, the first row included.
		_, err := adA.ImportCoops(ctx, []store.CoopImport{
			{UAI: "0310103U", Params: store.CoopParams{Name: "Nouvelle"}},
			{UAI: "0700001L", Params: store.CoopParams{Name: "Conflit"}},
		}, "2025-2026")
		if err == nil {
			t.Fatal("conflicting import accepted")
		}
		if _, err := adA.CoopByUAI(ctx, "0310103U"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("first row was written despite the failure: %v", err)
		}
		// Re-importing updates by UAI.
		res, err := adA.ImportCoops(ctx, []store.CoopImport{{UAI: "0310036W", Params: store.CoopParams{Name: "École A1 renommée"}, OpeningBank: 1}}, "2025-2026")
		if err != nil || res.Updated != 1 || res.Created != 0 {
			t.Fatalf("reimport = %+v, %v", res, err)
		}
		c, _ := adA.CoopByUAI(ctx, "0310036W")
		if c.Name != "École A1 renommée" {
			t.Fatalf("name not updated: %q", c.Name)
		}
	})
}

func TestSessionsAndPasswords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		setup(t, db)
		auth := db.Auth()
		u, err := auth.UserByLogin(ctx, "0310036W")
		if err != nil {
			t.Fatal(err)
		}
		tok1, _, err := auth.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tok2, _, _ := auth.CreateSession(ctx, u.ID, time.Hour)
		if _, got, err := auth.Session(ctx, tok1, time.Hour); err != nil || got.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		if err := auth.DeleteSession(ctx, tok1); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.Session(ctx, tok1, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("session after logout: %v", err)
		}
		if err := auth.SetPassword(ctx, u.ID, "$argon2id$x", false, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.Session(ctx, tok2, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("other session survived a password change: %v", err)
		}
		// Expiry.
		tok3, _, _ := auth.CreateSession(ctx, u.ID, time.Hour)
		db.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
		if _, _, err := auth.Session(ctx, tok3, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("expired session accepted: %v", err)
		}
	})
}

func TestReadOnlyScopeRefusesWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		cs, _ := db.ForCoop(ctx, f.coopA1, nil)
		ro := cs.AsReadOnly()
		if err := ro.SetOpening(ctx, "2025-2026", 1, 1); !errors.Is(err, fault.ErrReadOnly) {
			t.Fatalf("read-only write: %v", err)
		}
		ex, _ := cs.Exercice(ctx, "2025-2026")
		if ex.OpeningBank != 123456 {
			t.Fatalf("read-only scope changed data: %d", ex.OpeningBank)
		}
	})
}

func TestBackupSQLite(t *testing.T) {
	db := storetest.SQLite(t)
	setup(t, db)
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := db.System().Backup(context.Background(), file, ""); err != nil {
		t.Fatal(err)
	}
	copyDB, err := store.Open(context.Background(), "sqlite:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	ad, err := copyDB.System().ADByCode(context.Background(), "31")
	if err != nil {
		t.Fatalf("restored backup lacks the AD: %v", err)
	}
	a, _ := copyDB.ForAD(context.Background(), ad.ID, nil)
	if _, n, _ := a.Coops(context.Background(), store.CoopFilter{}); n != 2 {
		t.Fatalf("restored coops = %d", n)
	}
	if err := db.System().Backup(context.Background(), file, ""); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
}

func TestSessionSlidingExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		setup(t, db)
		u, _ := db.Auth().UserByLogin(ctx, "0310036W")
		start := time.Date(2026, 9, 20, 8, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return start })
		tok, _, err := db.Auth().CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		// Used after 50 minutes: the session is extended to 50 + 60.
		db.SetClock(func() time.Time { return start.Add(50 * time.Minute) })
		if _, _, err := db.Auth().Session(ctx, tok, time.Hour); err != nil {
			t.Fatalf("session at 50 min: %v", err)
		}
		db.SetClock(func() time.Time { return start.Add(100 * time.Minute) })
		if _, got, err := db.Auth().Session(ctx, tok, time.Hour); err != nil || got.Login != "0310036W" {
			t.Fatalf("session at 100 min after use at 50: %v", err)
		}
		db.SetClock(func() time.Time { return start.Add(161 * time.Minute) })
		if _, _, err := db.Auth().Session(ctx, tok, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("idle session not expired: %v", err)
		}
	})
}
