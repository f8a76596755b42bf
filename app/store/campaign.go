package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/workflow"
)

// Campaign is an AD's collection of one exercice's dossiers: its deadline
// and reminder rules, as the AD set them.
type Campaign struct {
	bun.BaseModel `bun:"table:campaigns,alias:cp"`

	ID       int64  `bun:"id,pk,autoincrement"`
	ADID     int64  `bun:"ad_id"`
	Exercice string `bun:"exercice"`
	// Deadline is the last day to send the dossier, AAAA-MM-JJ (Paris).
	Deadline string `bun:"deadline"`
	// Rules are the reminder rules as workflow.FormatRules writes them.
	Rules     string    `bun:"rules"`
	CreatedAt time.Time `bun:"created_at"`
}

// deadlineLayout is how campaigns.deadline is written.
const deadlineLayout = "2006-01-02"

// Workflow returns the campaign as the workflow package computes with it.
func (c *Campaign) Workflow() (workflow.Campaign, error) {
	deadline, err := time.ParseInLocation(deadlineLayout, c.Deadline, workflow.Paris())
	if err != nil {
		return workflow.Campaign{}, fmt.Errorf("campaign %d: deadline %q: %w", c.ID, c.Deadline, err)
	}
	rules, err := workflow.ParseRules(c.Rules)
	if err != nil {
		return workflow.Campaign{}, fmt.Errorf("campaign %d: %w", c.ID, err)
	}
	return workflow.Campaign{ID: c.ID, ADID: c.ADID, Exercice: c.Exercice, Deadline: deadline, Rules: rules}, nil
}

// DeadlineTime returns the deadline day at midnight, Paris time.
func (c *Campaign) DeadlineTime() time.Time {
	t, _ := time.ParseInLocation(deadlineLayout, c.Deadline, workflow.Paris())
	return t
}

// defaultCampaign is the campaign an AD gets until it sets its own: the
// workflow's default deadline and reminder rules. An exercice name that does
// not parse is a user error.
func defaultCampaign(adID int64, exercice string, now time.Time) (*Campaign, error) {
	wc, err := workflow.NewCampaign(exercice)
	if err != nil {
		return nil, fault.User(err)
	}
	return &Campaign{ADID: adID, Exercice: wc.Exercice, Deadline: wc.Deadline.Format(deadlineLayout),
		Rules: workflow.FormatRules(wc.Rules), CreatedAt: now}, nil
}

// ensureCampaign returns the AD's campaign of exercice, creating it with
// the defaults on first use. Two requests creating it at once both get the
// same row. sel and ins are the calling scope's queries on its AD's tables
// (filtered and checked by ad_id), adID that AD.
func (s *DB) ensureCampaign(ctx context.Context, sel func(any) *bun.SelectQuery, ins func(any) *bun.InsertQuery,
	adID int64, exercice string) (*Campaign, error) {
	if c, err := findCampaign(ctx, sel, exercice); err == nil || !isNotFound(err) {
		return c, err
	}
	c, err := defaultCampaign(adID, exercice, s.now().UTC())
	if err != nil {
		return nil, err
	}
	if _, err := ins(c).On("CONFLICT (ad_id, exercice) DO NOTHING").Exec(ctx); err != nil {
		return nil, fmt.Errorf("ensure campaign: %w", err)
	}
	return findCampaign(ctx, sel, exercice)
}

// findCampaign reads the campaign of exercice through sel, a scope's
// SELECT on its AD's tables.
func findCampaign(ctx context.Context, sel func(any) *bun.SelectQuery, exercice string) (*Campaign, error) {
	var c Campaign
	if err := sel(&c).Where("cp.exercice = ?", exercice).Scan(ctx); err != nil {
		return nil, fmt.Errorf("campaign %s: %w", exercice, notFound(err))
	}
	return &c, nil
}

// EnsureCampaign returns the AD's campaign of exercice, creating it with the
// default deadline and rules (seeding, the reminder scheduler).
func (y *System) EnsureCampaign(ctx context.Context, adID int64, exercice string) (*Campaign, error) {
	return y.ad(adID).Campaign(ctx, exercice)
}

// Campaign returns the AD's campaign of exercice, creating it with the
// defaults on first use.
func (a *ADScope) Campaign(ctx context.Context, exercice string) (*Campaign, error) {
	return a.s.ensureCampaign(ctx, a.adSel, a.adIns, a.id, exercice)
}

// SetCampaign changes the deadline and reminder rules of the AD's campaign
// of exercice (audited with the previous values).
func (a *ADScope) SetCampaign(ctx context.Context, exercice string, deadline time.Time, rules []workflow.Rule) error {
	if deadline.IsZero() {
		return fault.Invalidf("L'échéance de la campagne est obligatoire.")
	}
	return a.Tx(ctx, func(tx *ADScope) error {
		c, err := tx.Campaign(ctx, exercice)
		if err != nil {
			return err
		}
		day := deadline.In(workflow.Paris()).Format(deadlineLayout)
		text := workflow.FormatRules(rules)
		if c.Deadline == day && c.Rules == text {
			return nil
		}
		if _, err := tx.adUpd((*Campaign)(nil)).Set("deadline = ?", day).Set("rules = ?", text).
			Where("cp.id = ?", c.ID).Exec(ctx); err != nil {
			return fmt.Errorf("set campaign: %w", err)
		}
		return tx.Audit(ctx, nil, "campaign.update", map[string]any{"exercice": exercice,
			"echeance": day, "regles": text, "avant_echeance": c.Deadline, "avant_regles": c.Rules})
	})
}

// Campaign returns the campaign of exercice of the coop's AD, creating it
// with the defaults on first use. A read-only scope creates nothing: it gets
// the default campaign, unsaved (ID 0).
func (c *CoopScope) Campaign(ctx context.Context, exercice string) (*Campaign, error) {
	if c.readOnly {
		cp, err := findCampaign(ctx, c.adSel, exercice)
		if isNotFound(err) {
			return defaultCampaign(c.adID, exercice, c.s.now().UTC())
		}
		return cp, err
	}
	return c.s.ensureCampaign(ctx, c.adSel, c.adIns, c.adID, exercice)
}

// FindCampaign returns the campaign of exercice of the coop's AD without
// creating it: fault.ErrNotFound when the AD has none yet.
func (c *CoopScope) FindCampaign(ctx context.Context, exercice string) (*Campaign, error) {
	return findCampaign(ctx, c.adSel, exercice)
}
