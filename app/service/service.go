// Package service holds the operations shared by the web handlers, the
// CLI commands, the background workers and the demo: closing a book,
// importing and matching bank statements, receiving dossier documents,
// consolidating an AD, writing reports. Each takes a scoped store handle
// or names its cross-tenant work through store.System.
package service

import (
	"log/slog"
	"time"

	"retkoop/app/auth"
	"retkoop/app/config"
	"retkoop/app/docstore"
	"retkoop/app/store"
)

// Service carries the dependencies every operation needs. The database is
// reached only through scoped handles (store.CoopScope, store.ADScope) or
// the named cross-tenant ones (System, Auth).
type Service struct {
	Cfg        *config.Config
	DB         *store.DB
	Log        *slog.Logger
	Now        func() time.Time // the clock; tests replace it
	HashParams auth.Params      // argon2id parameters for the passwords issued
}

// New builds the services around an open, migrated database.
func New(cfg *config.Config, db *store.DB, log *slog.Logger) *Service {
	return &Service{Cfg: cfg, DB: db, Log: log, Now: time.Now, HashParams: auth.DefaultParams}
}

// Docs is the document store under the data directory.
func (a *Service) Docs() *docstore.Store { return docstore.New(a.Cfg.DataDir, a.Cfg.MaxAttachment) }
