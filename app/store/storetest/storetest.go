// Package storetest opens real databases for tests: a SQLite file in a
// temporary directory, and a fresh PostgreSQL database when
// RETKOOP_TEST_POSTGRES names a server (CI sets it and RETKOOP_TEST_REQUIRE,
// which turns a missing server into a failure instead of a skip).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"retkoop/app/store"
)

// SQLite opens a migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "retkoop.db")
	return open(t, "sqlite:"+path)
}

// Postgres opens a migrated, freshly created PostgreSQL database, or skips
// (fails under RETKOOP_TEST_REQUIRE=1) when no server is configured.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN creates an empty database and returns its URL; it is dropped
// at the end of the test.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("RETKOOP_TEST_POSTGRES")
	if admin == "" {
		Require(t, "RETKOOP_TEST_POSTGRES is not set: PostgreSQL store tests skipped (.ci/run sets it)")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "retkoop_test_" + hex.EncodeToString(b)
	adb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
	defer adb.Close()
	if _, err := adb.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		adb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(admin)))
		defer adb.Close()
		_, _ = adb.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("RETKOOP_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Require skips the test with msg, or fails it when RETKOOP_TEST_REQUIRE=1
// (CI: a missing service is a failure, not a skip).
func Require(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("RETKOOP_TEST_REQUIRE") == "1" {
		t.Fatal("required service missing: " + msg)
	}
	t.Skip(msg)
}

// Each runs fn on SQLite and on PostgreSQL (when configured).
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", redact(dsn), err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.HasPrefix(dsn, "postgres") {
		return "postgres://…" + dsn[i:]
	}
	return dsn
}
