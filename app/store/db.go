// Package store is the only package that talks to the database (bun on
// SQLite or PostgreSQL). It hands out tenant-scoped handles: a CoopScope
// filters every query by coop_id, an ADScope by ad_id, and cross-tenant work
// goes through the separately named System and Auth handles so that
// `git grep -n "System()"` lists every place that crosses tenants.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	_ "modernc.org/sqlite" // pure-Go SQLite driver

	"retkoop/app/fault"
)

// DB owns the connection pool. Handlers never receive it: they get a scope.
type DB struct {
	db       *bun.DB
	postgres bool
	now      func() time.Time
	books    bookCache   // recently read books (bookcache.go)
	search   searchCache // the queue's folded coop names (queue.go)
}

// Open connects to RETKOOP_DATABASE-style DSN: "sqlite:PATH" or a
// "postgres://…" URL.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, fmt.Errorf("open database: chemin SQLite vide dans %q", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open database: %w", err)
			}
		}
		// Pragmas in the DSN so that every pooled connection has them.
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_txlock", "immediate")
		sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		sqldb.SetMaxOpenConns(8)
		db := bun.NewDB(sqldb, sqlitedialect.New())
		s := &DB{db: db, now: time.Now}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database: %w", err)
		}
		return s, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
		sqldb.SetMaxOpenConns(16)
		db := bun.NewDB(sqldb, pgdialect.New())
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open database: %w", err)
		}
		return &DB{db: db, postgres: true, now: time.Now}, nil
	}
	return nil, fmt.Errorf("open database: RETKOOP_DATABASE doit commencer par sqlite: ou postgres:// (reçu %q)", dsn)
}

// Close closes the pool.
func (s *DB) Close() error { return s.db.Close() }

// Postgres reports whether the database is PostgreSQL.
func (s *DB) Postgres() bool { return s.postgres }

// SetClock replaces the clock (tests).
func (s *DB) SetClock(now func() time.Time) { s.now = now }

// notFound turns sql.ErrNoRows into fault.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.ErrNotFound
	}
	return err
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE=23505") ||
		strings.Contains(msg, "duplicate key value")
}
