package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

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

// ins starts an INSERT of rows of a coop-owned table: every row's coop_id
// must be the scope's coop, or the query fails without running.
func (c *CoopScope) ins(model any) *bun.InsertQuery {
	return c.db.NewInsert().Model(model).Err(tenantCheck(c.db.Dialect(), model, "coop_id", c.id))
}

// adSel starts a SELECT on a table of the coop's AD (chart, campaigns,
// questionnaires), filtered by ad_id.
func (c *CoopScope) adSel(model any) *bun.SelectQuery {
	return c.db.NewSelect().Model(model).Where("?TableAlias.ad_id = ?", c.adID)
}

// adIns starts an INSERT of rows of a table of the coop's AD (a campaign
// created on first use): every row's ad_id must be the coop's AD.
func (c *CoopScope) adIns(model any) *bun.InsertQuery {
	return c.db.NewInsert().Model(model).Err(tenantCheck(c.db.Dialect(), model, "ad_id", c.adID))
}

// own starts a SELECT on the coop's own row of coops (which has no
// coop_id: its id is the tenant).
func (c *CoopScope) own(model any) *bun.SelectQuery {
	return c.db.NewSelect().Model(model).Where("?TableAlias.id = ?", c.id)
}

// tenantCheck returns an error unless model (a pointer to a struct or to a
// slice of structs or of pointers to structs) has the column col and every
// row has id there: an insert through a scope cannot write a row of
// another tenant, even when the caller got the id wrong.
func tenantCheck(d schema.Dialect, model any, col string, id int64) error {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("scoped insert: model %T is not a non-nil pointer", model)
	}
	v = v.Elem()
	var rows []reflect.Value
	switch v.Kind() {
	case reflect.Struct:
		rows = []reflect.Value{v}
	case reflect.Slice:
		for i := range v.Len() {
			rows = append(rows, reflect.Indirect(v.Index(i)))
		}
	default:
		return fmt.Errorf("scoped insert: model %T is not a struct nor a slice", model)
	}
	typ := v.Type()
	if typ.Kind() == reflect.Slice {
		typ = typ.Elem()
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
	}
	if typ.Kind() != reflect.Struct {
		return fmt.Errorf("scoped insert: model %T has no rows of a struct type", model)
	}
	f, ok := d.Tables().Get(typ).FieldMap[col]
	if !ok {
		return fmt.Errorf("scoped insert: %s has no %s column", typ, col)
	}
	for _, row := range rows {
		if !row.IsValid() {
			return fmt.Errorf("scoped insert: nil row in %T", model)
		}
		fv := reflect.Indirect(f.Value(row))
		if !fv.IsValid() || !fv.CanInt() || fv.Int() != id {
			return fmt.Errorf("scoped insert: a row of %s has %s %v, not the scope's %d", typ, col, fv, id)
		}
	}
	return nil
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
	if err := c.own(&co).Scan(ctx); err != nil {
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

// The query helpers of an ADScope: every query of its methods starts here.
// A table with an ad_id column goes through adSel/adUpd/adDel/adIns; a
// coop-owned table (coop_id only) through coopSel, which joins the coops
// of the AD; the AD's coops themselves are an ad_id table (adSel on Coop)
// or, for a query that builds its own columns, adCoops.

// adSel starts a SELECT on an AD-owned table, filtered by ad_id.
func (a *ADScope) adSel(model any) *bun.SelectQuery {
	return a.db.NewSelect().Model(model).Where("?TableAlias.ad_id = ?", a.id)
}

// adUpd starts an UPDATE on an AD-owned table, filtered by ad_id.
func (a *ADScope) adUpd(model any) *bun.UpdateQuery {
	return a.db.NewUpdate().Model(model).Where("?TableAlias.ad_id = ?", a.id)
}

// adDel starts a DELETE on an AD-owned table, filtered by ad_id.
func (a *ADScope) adDel(model any) *bun.DeleteQuery {
	return a.db.NewDelete().Model(model).Where("?TableAlias.ad_id = ?", a.id)
}

// adIns starts an INSERT of rows of an AD-owned table: every row's ad_id
// must be the AD, or the query fails without running.
func (a *ADScope) adIns(model any) *bun.InsertQuery {
	return a.db.NewInsert().Model(model).Err(tenantCheck(a.db.Dialect(), model, "ad_id", a.id))
}

// adCoops starts a SELECT FROM the AD's coops ("coops AS c"), without a
// model: for queries that choose their columns and join the coops' rows
// of other tables.
func (a *ADScope) adCoops() *bun.SelectQuery {
	return a.db.NewSelect().TableExpr("coops AS c").Where("c.ad_id = ?", a.id)
}

// coopSel starts a SELECT on a coop-owned table (one with coop_id but no
// ad_id), restricted to the AD's coops by an inner join that also names
// the coop "c" for the caller's columns:
// JOIN coops AS c ON c.id = <table>.coop_id AND c.ad_id = <the AD>.
func (a *ADScope) coopSel(model any) *bun.SelectQuery {
	return a.db.NewSelect().Model(model).Join("JOIN coops AS c ON c.id = ?TableAlias.coop_id AND c.ad_id = ?", a.id)
}

// own starts a SELECT on the AD's own row of ads (which has no ad_id: its
// id is the tenant).
func (a *ADScope) own(model any) *bun.SelectQuery {
	return a.db.NewSelect().Model(model).Where("?TableAlias.id = ?", a.id)
}

// AD returns the AD's row.
func (a *ADScope) AD(ctx context.Context) (*AD, error) {
	var ad AD
	if err := a.own(&ad).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ad: %w", notFound(err))
	}
	return &ad, nil
}

// Coop returns the scope of one of the AD's coops; a coop of another AD is
// fault.ErrNotFound.
func (a *ADScope) Coop(ctx context.Context, coopID int64) (*CoopScope, error) {
	n, err := a.adSel((*Coop)(nil)).Where("c.id = ?", coopID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("ad coop: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("ad coop %d: %w", coopID, fault.ErrNotFound)
	}
	return a.coopOf(coopID), nil
}

// coopOf returns the scope of one of the AD's coops without checking it
// belongs to the AD (Coop does): for a coop the caller has just created or
// read through the AD's own queries.
func (a *ADScope) coopOf(coopID int64) *CoopScope {
	return &CoopScope{s: a.s, db: a.db, id: coopID, adID: a.id, actor: a.actor}
}

// Audit appends a row to the audit log for this AD (coopID may be nil).
func (a *ADScope) Audit(ctx context.Context, coopID *int64, action string, detail any) error {
	return a.s.audit(ctx, a.db, a.actor, &a.id, coopID, action, detail)
}
