package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// CoopScope is the handle for one coop: every query it makes is filtered by
// coop_id through where/sel/upd/del below. Handlers of a mandataire only ever
// receive this.
type CoopScope struct {
	s        *DB
	db       bun.IDB
	id       int64
	adID     int64
	actor    *int64
	readOnly bool
}

// ADScope is the handle for one AD's staff: every query is filtered by
// ad_id; reaching a coop goes through Coop, which checks the coop belongs to
// the AD.
type ADScope struct {
	s     *DB
	db    bun.IDB
	id    int64
	actor *int64
}

// ForCoop returns the scope of a coop, acting as user actor (nil for the
// system). It fails with fault.ErrNotFound if the coop does not exist.
func (s *DB) ForCoop(ctx context.Context, coopID int64, actor *int64) (*CoopScope, error) {
	var adID int64
	err := s.db.NewSelect().Table("coops").Column("ad_id").Where("id = ?", coopID).Scan(ctx, &adID)
	if err != nil {
		return nil, fmt.Errorf("for coop %d: %w", coopID, notFound(err))
	}
	return &CoopScope{s: s, db: s.db, id: coopID, adID: adID, actor: actor}, nil
}

// ForAD returns the scope of an AD's staff.
func (s *DB) ForAD(ctx context.Context, adID int64, actor *int64) (*ADScope, error) {
	n, err := s.db.NewSelect().Table("ads").Where("id = ?", adID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("for ad %d: %w", adID, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("for ad %d: %w", adID, fault.ErrNotFound)
	}
	return &ADScope{s: s, db: s.db, id: adID, actor: actor}, nil
}

// ID returns the coop id.
func (c *CoopScope) ID() int64 { return c.id }

// ADID returns the id of the coop's AD.
func (c *CoopScope) ADID() int64 { return c.adID }

// ReadOnly reports whether this is an assist (read-only) handle.
func (c *CoopScope) ReadOnly() bool { return c.readOnly }

// AsReadOnly returns a copy of the scope whose every write fails with
// fault.ErrReadOnly (staff "assist" mode).
func (c *CoopScope) AsReadOnly() *CoopScope {
	cp := *c
	cp.readOnly = true
	return &cp
}

// writable is called first by every write method of the scope.
func (c *CoopScope) writable() error {
	if c.readOnly {
		return fault.ErrReadOnly
	}
	return nil
}

// sel starts a SELECT on a coop-owned table, filtered by coop_id. Every read
// of a tenant table in this package goes through sel, upd or del.
func (c *CoopScope) sel(model any) *bun.SelectQuery {
	return c.db.NewSelect().Model(model).Where("?TableAlias.coop_id = ?", c.id)
}

// upd starts an UPDATE on a coop-owned table, filtered by coop_id.
func (c *CoopScope) upd(model any) *bun.UpdateQuery {
	return c.db.NewUpdate().Model(model).Where("?TableAlias.coop_id = ?", c.id)
}

// del starts a DELETE on a coop-owned table, filtered by coop_id.
func (c *CoopScope) del(model any) *bun.DeleteQuery {
	return c.db.NewDelete().Model(model).Where("?TableAlias.coop_id = ?", c.id)
}

// Tx runs fn in a transaction with a scope bound to it.
func (c *CoopScope) Tx(ctx context.Context, fn func(tx *CoopScope) error) error {
	if _, ok := c.db.(bun.Tx); ok {
		return fn(c)
	}
	return c.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cp := *c
		cp.db = tx
		return fn(&cp)
	})
}

// Coop returns the coop's row.
func (c *CoopScope) Coop(ctx context.Context) (*Coop, error) {
	var co Coop
	if err := c.db.NewSelect().Model(&co).Where("c.id = ?", c.id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("coop: %w", notFound(err))
	}
	return &co, nil
}

// Audit appends a row to the audit log for this coop.
func (c *CoopScope) Audit(ctx context.Context, action string, detail any) error {
	return c.s.audit(ctx, c.db, c.actor, &c.adID, &c.id, action, detail)
}

func (s *DB) audit(ctx context.Context, db bun.IDB, actor, adID, coopID *int64, action string, detail any) error {
	var d string
	switch v := detail.(type) {
	case nil:
	case string:
		d = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
		d = string(b)
	}
	e := &AuditEntry{At: s.now().UTC(), UserID: actor, ADID: adID, CoopID: coopID, Action: action, Detail: d}
	if _, err := db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ID returns the AD id.
func (a *ADScope) ID() int64 { return a.id }

// Actor returns the acting user's id, if any.
func (a *ADScope) Actor() *int64 { return a.actor }

// Tx runs fn in a transaction with a scope bound to it.
func (a *ADScope) Tx(ctx context.Context, fn func(tx *ADScope) error) error {
	if _, ok := a.db.(bun.Tx); ok {
		return fn(a)
	}
	return a.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cp := *a
		cp.db = tx
		return fn(&cp)
	})
}

// adSel starts a SELECT on an AD-owned table, filtered by ad_id.
func (a *ADScope) adSel(model any) *bun.SelectQuery {
	return a.db.NewSelect().Model(model).Where("?TableAlias.ad_id = ?", a.id)
}

// AD returns the AD's row.
func (a *ADScope) AD(ctx context.Context) (*AD, error) {
	var ad AD
	if err := a.db.NewSelect().Model(&ad).Where("id = ?", a.id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad: %w", notFound(err))
	}
	return &ad, nil
}

// Coop returns the scope of one of the AD's coops; a coop of another AD is
// fault.ErrNotFound.
func (a *ADScope) Coop(ctx context.Context, coopID int64) (*CoopScope, error) {
	n, err := a.db.NewSelect().Table("coops").Where("id = ? AND ad_id = ?", coopID, a.id).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("ad coop: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("ad coop %d: %w", coopID, fault.ErrNotFound)
	}
	return &CoopScope{s: a.s, db: a.db, id: coopID, adID: a.id, actor: a.actor}, nil
}

// Audit appends a row to the audit log for this AD (coopID may be nil).
func (a *ADScope) Audit(ctx context.Context, coopID *int64, action string, detail any) error {
	return a.s.audit(ctx, a.db, a.actor, &a.id, coopID, action, detail)
}
