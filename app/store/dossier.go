package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/workflow"
)

// DossierRow is a coop's submission for one campaign. State holds the
// workflow.Dossier as JSON, the only source of truth; the other columns are
// copies of what it derives (status, score, missing items…), rewritten on
// every save so that the staff queue filters and sorts 2,000 dossiers in
// one indexed query without decoding them.
type DossierRow struct {
	bun.BaseModel `bun:"table:dossiers,alias:ds"`

	ID              int64  `bun:"id,pk,autoincrement"`
	CoopID          int64  `bun:"coop_id"`
	CampaignID      int64  `bun:"campaign_id"`
	State           string `bun:"state"`
	Status          string `bun:"status"`
	Score           int    `bun:"score"`
	Missing         string `bun:"missing"` // item keys, comma-separated, checklist order
	OpenCorrections int    `bun:"open_corrections"`
	// Unreviewed counts the required items received and not yet accepted.
	Unreviewed    int       `bun:"unreviewed"`
	LastActivity  time.Time `bun:"last_activity,nullzero"`
	TransmittedAt time.Time `bun:"transmitted_at,nullzero"` // when it last became complete
	ValidatedAt   time.Time `bun:"validated_at,nullzero"`
	// Version is the optimistic lock: every save increments it and
	// requires the version that was read.
	Version   int64     `bun:"version"`
	CreatedAt time.Time `bun:"created_at"`
}

// Decode returns the dossier's workflow state.
func (r *DossierRow) Decode() (workflow.Dossier, error) {
	var d workflow.Dossier
	if err := json.Unmarshal([]byte(r.State), &d); err != nil {
		return workflow.Dossier{}, fmt.Errorf("dossier %d: decode state: %w", r.ID, err)
	}
	return d, nil
}

// sync writes d into the row: its JSON and every denormalised column.
// before is the status the dossier had, at the time of the change.
func (r *DossierRow) sync(d workflow.Dossier, before workflow.DossierStatus, at time.Time) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("dossier %d: encode state: %w", r.ID, err)
	}
	r.State = string(b)
	status := d.Status()
	r.Status, r.Score = string(status), d.Score()
	missing := make([]string, 0, len(d.Items))
	for _, k := range d.Missing() {
		missing = append(missing, string(k))
	}
	r.Missing = strings.Join(missing, ",")
	r.OpenCorrections = len(d.OpenCorrections())
	r.Unreviewed = 0
	for _, it := range d.Checklist() {
		if it.Status == workflow.ItemRecu {
			r.Unreviewed++
		}
	}
	if !at.IsZero() {
		r.LastActivity = at.UTC()
	}
	switch {
	case status == workflow.DossierIncomplet:
		r.TransmittedAt = time.Time{}
	case status == workflow.DossierTransmis && before != workflow.DossierTransmis:
		r.TransmittedAt = at.UTC()
	}
	switch {
	case status != workflow.DossierValide:
		r.ValidatedAt = time.Time{}
	case before != workflow.DossierValide:
		r.ValidatedAt = at.UTC()
	}
	return nil
}

// HistoryEntry is one row of a dossier's append-only history: who (the
// user, and the label the event was stamped with), when, what, why, and the
// effects the event asked the app to carry out.
type HistoryEntry struct {
	bun.BaseModel `bun:"table:dossier_history,alias:dh"`

	ID         int64     `bun:"id,pk,autoincrement"`
	CoopID     int64     `bun:"coop_id"`
	DossierID  int64     `bun:"dossier_id"`
	At         time.Time `bun:"at"`
	ByUser     *int64    `bun:"by_user"`
	By         string    `bun:"by_label"`
	Kind       string    `bun:"kind"` // workflow.EventKind
	Item       string    `bun:"item"`
	DocumentID *int64    `bun:"document_id"`
	What       string    `bun:"what"`
	Why        string    `bun:"why"`
	Effects    string    `bun:"effects"` // JSON, empty when none
}

// DossierDocument is a document attached to an item of a dossier, with
// the stored file's row.
type DossierDocument struct {
	bun.BaseModel `bun:"table:dossier_documents,alias:dd"`

	ID         int64     `bun:"id,pk,autoincrement"`
	CoopID     int64     `bun:"coop_id"`
	DossierID  int64     `bun:"dossier_id"`
	DocumentID int64     `bun:"document_id"`
	Item       string    `bun:"item"`
	Source     string    `bun:"source"`
	SubsidyRef string    `bun:"subsidy_ref"`
	ReceivedAt time.Time `bun:"received_at"`

	Document *Document `bun:"-"`
}

// Dossier returns the coop's dossier for exercice, opening it on first
// access with the items that apply to the coop (a Cloture item only when it
// keeps its book here). An exercice the coop does not have is
// fault.ErrNotFound. A read-only scope opens nothing: it gets a new,
// unsaved dossier (ID 0).
func (c *CoopScope) Dossier(ctx context.Context, exercice string) (*DossierRow, workflow.Dossier, error) {
	if _, err := c.Exercice(ctx, exercice); err != nil {
		return nil, workflow.Dossier{}, err
	}
	camp, err := c.Campaign(ctx, exercice)
	if err != nil {
		return nil, workflow.Dossier{}, err
	}
	row, err := c.dossierOf(ctx, camp.ID, false)
	if err == nil {
		d, err := row.Decode()
		return row, d, err
	}
	if !isNotFound(err) {
		return nil, workflow.Dossier{}, err
	}
	co, err := c.Coop(ctx)
	if err != nil {
		return nil, workflow.Dossier{}, err
	}
	d := workflow.NewDossier(c.id, camp.ID, co.BookMode == BookKept)
	now := c.s.now().UTC()
	row = &DossierRow{CoopID: c.id, CampaignID: camp.ID, Version: 1, CreatedAt: now}
	if err := row.sync(d, "", time.Time{}); err != nil {
		return nil, workflow.Dossier{}, err
	}
	if c.readOnly {
		return row, d, nil
	}
	if _, err := c.ins(row).On("CONFLICT (coop_id, campaign_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, workflow.Dossier{}, fmt.Errorf("open dossier: %w", err)
	}
	// Another request may have opened it first: read what was kept.
	if row, err = c.dossierOf(ctx, camp.ID, false); err != nil {
		return nil, workflow.Dossier{}, err
	}
	d, err = row.Decode()
	return row, d, err
}

// FindDossier returns the coop's dossier for exercice without opening it:
// fault.ErrNotFound when it does not exist yet.
func (c *CoopScope) FindDossier(ctx context.Context, exercice string) (*DossierRow, error) {
	camp, err := c.FindCampaign(ctx, exercice)
	if err != nil {
		return nil, err
	}
	return c.dossierOf(ctx, camp.ID, false)
}

// dossierOf reads the coop's dossier of a campaign; forUpdate locks the row
// until the end of the transaction on PostgreSQL (SQLite transactions start
// IMMEDIATE and already hold the write lock).
func (c *CoopScope) dossierOf(ctx context.Context, campaignID int64, forUpdate bool) (*DossierRow, error) {
	var row DossierRow
	q := c.sel(&row).Where("ds.campaign_id = ?", campaignID)
	if forUpdate && c.s.postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("dossier: %w", notFound(err))
	}
	return &row, nil
}

// DossierHistory returns the history of one of the coop's dossiers, oldest
// first.
func (c *CoopScope) DossierHistory(ctx context.Context, dossierID int64) ([]HistoryEntry, error) {
	var out []HistoryEntry
	if err := c.sel(&out).Where("dh.dossier_id = ?", dossierID).Order("dh.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("dossier history: %w", err)
	}
	return out, nil
}

// DossierDocuments returns the documents attached to one of the coop's
// dossiers, in the order received, each with its stored file's row.
func (c *CoopScope) DossierDocuments(ctx context.Context, dossierID int64) ([]DossierDocument, error) {
	var out []DossierDocument
	if err := c.sel(&out).Where("dd.dossier_id = ?", dossierID).Order("dd.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("dossier documents: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, d := range out {
		ids[i] = d.DocumentID
	}
	var docs []Document
	if err := c.sel(&docs).Where("d.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("dossier documents: %w", err)
	}
	byID := make(map[int64]*Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	for i := range out {
		out[i].Document = byID[out[i].DocumentID]
		if out[i].Document == nil {
			return nil, fmt.Errorf("dossier documents: document %d missing", out[i].DocumentID)
		}
	}
	return out, nil
}

// Actor returns the id of the user acting through the scope, nil for the
// system (mail-in, scheduler, seeding).
func (c *CoopScope) Actor() *int64 { return c.actor }
