package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/workflow"
)

// seedChunk bounds the rows of one bulk INSERT (SQLite allows 32,766
// parameters per statement).
const seedChunk = 400

// SeedDocuments records, in bulk, files already put in the docstore, and
// sets each one's ID. A file a coop already has (same SHA-256) keeps its
// existing row. It serves the demo and benchmark generator.
func (y *System) SeedDocuments(ctx context.Context, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	return y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(docs); start += seedChunk {
			end := min(start+seedChunk, len(docs))
			part := docs[start:end]
			if _, err := tx.NewInsert().Model(&part).On("CONFLICT (coop_id, sha256) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("seed documents: %w", err)
			}
			// Through docs, not part: the insert may have replaced part while
			// scanning the ids it returned (fewer rows than documents when
			// some were already there).
			coops := make([]int64, 0, end-start)
			sums := make([]string, 0, end-start)
			for _, d := range docs[start:end] {
				coops, sums = append(coops, d.CoopID), append(sums, d.SHA256)
			}
			var rows []Document
			if err := tx.NewSelect().Model(&rows).Column("id", "coop_id", "sha256").
				Where("coop_id IN (?) AND sha256 IN (?)", bun.In(coops), bun.In(sums)).Scan(ctx); err != nil {
				return fmt.Errorf("seed documents ids: %w", err)
			}
			ids := make(map[string]int64, len(rows))
			for _, r := range rows {
				ids[fmt.Sprint(r.CoopID, "/", r.SHA256)] = r.ID
			}
			for i := start; i < end; i++ {
				docs[i].ID = ids[fmt.Sprint(docs[i].CoopID, "/", docs[i].SHA256)]
			}
		}
		return nil
	})
}

// DossierSeed is a dossier to create in bulk: the events that bring a new
// dossier of the coop to the wanted state, applied in order.
type DossierSeed struct {
	CoopID    int64
	KeepsBook bool
	Events    []workflow.Event
}

// SeedDossiers creates, in one transaction and in chunks, the campaign's
// dossiers of the seeds' coops that have none yet, applying each seed's
// events through workflow.Apply so that state, denormalised columns,
// history and document links are exactly what ApplyDossier would have
// written. It returns how many dossiers it created. Effects are recorded in
// the history, not carried out: seeding sends no e-mail.
func (y *System) SeedDossiers(ctx context.Context, campaignID int64, seeds []DossierSeed) (int, error) {
	created := 0
	err := y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var existing []int64
		if err := tx.NewSelect().Table("dossiers").Column("coop_id").Where("campaign_id = ?", campaignID).
			Scan(ctx, &existing); err != nil {
			return fmt.Errorf("seed dossiers: %w", err)
		}
		skip := make(map[int64]bool, len(existing))
		for _, id := range existing {
			skip[id] = true
		}
		var todo []DossierSeed
		for _, s := range seeds {
			if !skip[s.CoopID] {
				todo = append(todo, s)
				skip[s.CoopID] = true
			}
		}
		now := y.s.now().UTC()
		for start := 0; start < len(todo); start += seedChunk {
			if err := y.seedChunk(ctx, tx, campaignID, todo[start:min(start+seedChunk, len(todo))], now); err != nil {
				return err
			}
		}
		created = len(todo)
		return nil
	})
	return created, err
}

// seeded is one dossier being built by SeedDossiers.
type seeded struct {
	row     DossierRow
	history []*HistoryEntry
	links   []*DossierDocument
}

func (y *System) seedChunk(ctx context.Context, tx bun.Tx, campaignID int64, seeds []DossierSeed, now time.Time) error {
	built := make([]seeded, len(seeds))
	rows := make([]DossierRow, len(seeds))
	coops := make([]int64, len(seeds))
	for i, s := range seeds {
		b := &built[i]
		b.row = DossierRow{CoopID: s.CoopID, CampaignID: campaignID, Version: 1, CreatedAt: now}
		d := workflow.NewDossier(s.CoopID, campaignID, s.KeepsBook)
		if err := b.row.sync(d, "", time.Time{}); err != nil {
			return err
		}
		for _, ev := range s.Events {
			after, effects, err := workflow.Apply(d, ev)
			if err != nil {
				return fmt.Errorf("seed dossier of coop %d: %s: %w", s.CoopID, ev.Kind(), err)
			}
			h := workflow.Describe(d, ev)
			if err := b.row.sync(after, d.Status(), h.At); err != nil {
				return err
			}
			entry, link, err := historyRows(&b.row, h, ev, effects, nil)
			if err != nil {
				return err
			}
			b.history = append(b.history, entry)
			if link != nil {
				b.links = append(b.links, link)
			}
			d = after
		}
		b.row.Version += int64(len(s.Events))
		rows[i], coops[i] = b.row, s.CoopID
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("seed dossiers: %w", err)
	}
	var ids []struct {
		ID     int64 `bun:"id"`
		CoopID int64 `bun:"coop_id"`
	}
	if err := tx.NewSelect().Table("dossiers").Column("id", "coop_id").
		Where("campaign_id = ? AND coop_id IN (?)", campaignID, bun.In(coops)).Scan(ctx, &ids); err != nil {
		return fmt.Errorf("seed dossiers ids: %w", err)
	}
	byCoop := make(map[int64]int64, len(ids))
	for _, r := range ids {
		byCoop[r.CoopID] = r.ID
	}
	var history []*HistoryEntry
	var links []*DossierDocument
	for i := range built {
		id := byCoop[built[i].row.CoopID]
		for _, h := range built[i].history {
			h.DossierID = id
			history = append(history, h)
		}
		for _, l := range built[i].links {
			l.DossierID = id
			links = append(links, l)
		}
	}
	for start := 0; start < len(history); start += seedChunk {
		part := history[start:min(start+seedChunk, len(history))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return fmt.Errorf("seed dossier history: %w", err)
		}
	}
	for start := 0; start < len(links); start += seedChunk {
		part := links[start:min(start+seedChunk, len(links))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return fmt.Errorf("seed dossier documents: %w", err)
		}
	}
	return nil
}
