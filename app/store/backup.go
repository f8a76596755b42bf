package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Backup writes a consistent copy of the live database to file: SQLite's
// VACUUM INTO (a transactionally consistent snapshot taken while the app
// runs) or pg_dump for PostgreSQL.
func (y *System) Backup(ctx context.Context, file, dsn string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("backup: le fichier %s existe déjà", file)
	}
	if !y.s.postgres {
		if _, err := y.s.db.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	}
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("backup: pg_dump introuvable (installez postgresql-client): %w", err)
	}
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--file="+file, dsn)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("backup: pg_dump: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
