package apptest

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// isolationWorld is a world whose database the test also reads through a
// plain database/sql handle (raw): the victim snapshot must see every row of
// every table, including those no store method returns. The store has no
// raw-query hook, so raw is opened on the same SQLite file or PostgreSQL
// database, as newAssistWorld does.
type isolationWorld struct {
	*world
	raw      *sql.DB
	postgres bool
}

// eachIsolationWorld runs fn on a world on a SQLite file and on one on a
// fresh PostgreSQL database (skipped locally without RETKOOP_TEST_POSTGRES,
// a failure in CI).
func eachIsolationWorld(t *testing.T, fn func(t *testing.T, w *isolationWorld)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "retkoop.db")
		// query_only: the snapshot must not be able to change what it checks.
		raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
		if err != nil {
			t.Fatal(err)
		}
		fn(t, newIsolationWorld(t, "sqlite:"+path, raw, false))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		fn(t, newIsolationWorld(t, dsn, sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn))), true))
	})
}

func newIsolationWorld(t *testing.T, dsn string, raw *sql.DB, postgres bool) *isolationWorld {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { raw.Close() })
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return &isolationWorld{world: newWorldOn(t, db), raw: raw, postgres: postgres}
}

// seedVictimObjects gives AD B's coop one object of every kind that a route
// can name, and records their ids in w.extraVictims. Each feature adds its
// objects here.
func (w *world) seedVictimObjects() {
	w.extraVictims = map[string]string{}
	w.extraVictims["doc"] = itoa(w.victimDocument())
	// — book victims —
	w.seedBookVictims()
	// — bank victims —
	w.seedBankVictims()
	// — closing victims —
	w.seedClosingVictims()
	// — dossier victims —
	w.seedDossierVictims()
	// — mail-in victims —
	w.seedMailVictims()
	// — outbox victims —
	w.extraVictims["mail"] = itoa(w.victimMail())
	// — staff victims —
	w.seedStaffVictims()
}

// victimDocument stores a PDF for AD B's coop.
func (w *world) victimDocument() int64 {
	ctx := context.Background()
	cs, err := w.db.ForCoop(ctx, w.coopB.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := w.app.Docs().Put(strings.NewReader("%PDF-1.4\n% Victime Bêta 0700001L\n%%EOF\n"))
	if err != nil {
		w.t.Fatal(err)
	}
	d, _, err := cs.AddDocument(ctx, st, "releve-victime.pdf", "web")
	if err != nil {
		w.t.Fatal(err)
	}
	return d.ID
}
