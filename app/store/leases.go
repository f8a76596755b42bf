package store

import (
	"context"
	"fmt"
	"time"
)

// TryLease takes the named lease for ttl when it is free, expired, or
// already held by holder (which renews it). It is a single statement, an
// upsert guarded by "expired or mine", so two schedulers racing for the same
// lease cannot both get it, on SQLite as on PostgreSQL.
func (y *System) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := y.s.now().UTC()
	res, err := y.s.db.ExecContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE leases.expires_at < ? OR leases.holder = ?`, name, holder, now.Add(ttl), now, holder)
	if err != nil {
		return false, fmt.Errorf("try lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("try lease %s: %w", name, err)
	}
	return n > 0, nil
}

// RenewLease extends a lease that holder still holds; false when another
// holder has taken it meanwhile.
func (y *System) RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	res, err := y.s.db.ExecContext(ctx, `UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?`,
		y.s.now().UTC().Add(ttl), name, holder)
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", name, err)
	}
	return n > 0, nil
}

// ReleaseLease frees the lease if holder still holds it.
func (y *System) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := y.s.db.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}
