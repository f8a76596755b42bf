package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Reminder records that a campaign's rule was queued to a coop: the key
// (campaign, coop, rule) under which a reminder goes out at most once.
type Reminder struct {
	bun.BaseModel `bun:"table:reminders,alias:r"`

	CampaignID int64     `bun:"campaign_id,pk"`
	CoopID     int64     `bun:"coop_id,pk"`
	Rule       string    `bun:"rule,pk"`
	OutboxID   int64     `bun:"outbox_id"`
	Missing    string    `bun:"missing"` // item keys, comma-separated
	CreatedAt  time.Time `bun:"created_at"`

	// Joined for the staff's history.
	CoopUAI    string    `bun:"coop_uai,scanonly"`
	CoopName   string    `bun:"coop_name,scanonly"`
	To         string    `bun:"to_addr,scanonly"`
	Status     string    `bun:"status,scanonly"`
	LastError  string    `bun:"last_error,scanonly"`
	SentAt     time.Time `bun:"sent_at,scanonly,nullzero"`
	MailDetail string    `bun:"detail,scanonly"`
}

// ReminderKey is the outbox idempotency key of a rule's reminder.
func ReminderKey(coopID, campaignID int64, rule string) string {
	return fmt.Sprintf("remind:%d:%d:%s", coopID, campaignID, rule)
}

// QueueReminder records the reminder of rule and queues its mail, in one
// transaction: whoever queues (coop, campaign, rule) first wins, and every
// other attempt — a second scheduler, a rerun, a restart — gets false.
func (c *CoopScope) QueueReminder(ctx context.Context, campaignID int64, rule string, missing []string, m OutboxMail) (bool, error) {
	if err := c.writable(); err != nil {
		return false, err
	}
	m.Key = ReminderKey(c.id, campaignID, rule)
	m.Kind = MailReminder
	queued := false
	err := c.Tx(ctx, func(tx *CoopScope) error {
		row, ok, err := tx.s.queueMail(ctx, tx.ins, tx.sel, tx.adID, &tx.id, m)
		if err != nil || !ok {
			return err
		}
		r := &Reminder{CampaignID: campaignID, CoopID: tx.id, Rule: rule, OutboxID: row.ID,
			Missing: strings.Join(missing, ","), CreatedAt: tx.s.now().UTC()}
		if _, err := tx.ins(r).Exec(ctx); err != nil {
			return fmt.Errorf("queue reminder %s: %w", m.Key, err)
		}
		queued = true
		return nil
	})
	return queued, err
}

// CampaignByID returns a campaign of the coop's AD by id (the dossier
// knows its campaign by id); another AD's is fault.ErrNotFound.
func (c *CoopScope) CampaignByID(ctx context.Context, id int64) (*Campaign, error) {
	var cp Campaign
	if err := c.adSel(&cp).Where("cp.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("campaign %d: %w", id, notFound(err))
	}
	return &cp, nil
}

// SentRules returns the reminder rules already queued for one coop and
// campaign.
func (c *CoopScope) SentRules(ctx context.Context, campaignID int64) (map[string]bool, error) {
	var rules []string
	if err := c.sel((*Reminder)(nil)).Column("r.rule").Where("r.campaign_id = ?", campaignID).Scan(ctx, &rules); err != nil {
		return nil, fmt.Errorf("sent rules: %w", err)
	}
	out := make(map[string]bool, len(rules))
	for _, r := range rules {
		out[r] = true
	}
	return out, nil
}

// SentRules returns, for every coop of a campaign, the reminder rules
// already queued (one query for the whole campaign, for the scheduler).
func (y *System) SentRules(ctx context.Context, campaignID int64) (map[int64]map[string]bool, error) {
	var rows []struct {
		CoopID int64  `bun:"coop_id"`
		Rule   string `bun:"rule"`
	}
	if err := y.s.db.NewSelect().Table("reminders").Column("coop_id", "rule").Where("campaign_id = ?", campaignID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("sent rules: %w", err)
	}
	out := map[int64]map[string]bool{}
	for _, r := range rows {
		if out[r.CoopID] == nil {
			out[r.CoopID] = map[string]bool{}
		}
		out[r.CoopID][r.Rule] = true
	}
	return out, nil
}

// CampaignStatuses returns the status of every opened dossier of a
// campaign, by coop: the scheduler's pre-filter, one query for the whole
// campaign instead of one per coop.
func (y *System) CampaignStatuses(ctx context.Context, campaignID int64) (map[int64]string, error) {
	var rows []struct {
		CoopID int64  `bun:"coop_id"`
		Status string `bun:"status"`
	}
	if err := y.s.db.NewSelect().Table("dossiers").Column("coop_id", "status").Where("campaign_id = ?", campaignID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("campaign statuses: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.CoopID] = r.Status
	}
	return out, nil
}

// Arrival is a document received for a campaign's dossier (the staff
// digest).
type Arrival struct {
	CoopUAI  string    `bun:"coop_uai"`
	CoopName string    `bun:"coop_name"`
	Item     string    `bun:"item"`
	Name     string    `bun:"name"`
	Source   string    `bun:"source"`
	At       time.Time `bun:"received_at"`
}

// CampaignArrivals lists the documents attached to the AD's dossiers of a
// campaign since t, oldest first.
func (a *ADScope) CampaignArrivals(ctx context.Context, campaignID int64, since time.Time) ([]Arrival, error) {
	var out []Arrival
	err := a.coopSel((*DossierDocument)(nil)).
		ColumnExpr("c.uai AS coop_uai, c.name AS coop_name, dd.item, d.name, dd.source, dd.received_at").
		Join("JOIN dossiers AS ds ON ds.id = dd.dossier_id AND ds.coop_id = dd.coop_id").
		Join("JOIN documents AS d ON d.id = dd.document_id AND d.coop_id = dd.coop_id").
		Where("ds.campaign_id = ? AND dd.received_at >= ?", campaignID, since.UTC()).
		OrderExpr("dd.received_at, dd.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("campaign arrivals: %w", err)
	}
	return out, nil
}

// CampaignReminders lists the reminders of one of the AD's campaigns,
// newest first, with the coop and the delivery status of each mail.
func (a *ADScope) CampaignReminders(ctx context.Context, campaignID int64, limit int) ([]Reminder, error) {
	var out []Reminder
	q := a.coopSel(&out).ColumnExpr("r.*").
		ColumnExpr("c.uai AS coop_uai, c.name AS coop_name").
		ColumnExpr("o.to_addr, o.status, o.last_error, o.sent_at, o.detail").
		Join("JOIN outbox AS o ON o.id = r.outbox_id AND o.ad_id = c.ad_id").
		Where("r.campaign_id = ?", campaignID).
		OrderExpr("r.created_at DESC, c.name")
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("campaign reminders: %w", err)
	}
	return out, nil
}

// ADMail is an AD's sender identity for outbound mail. Empty fields fall
// back to the configuration (RETKOOP_MAIL_FROM, RETKOOP_IMAP_URL).
type ADMail struct {
	bun.BaseModel `bun:"table:ad_mail,alias:am"`

	ADID      int64     `bun:"ad_id,pk"`
	From      string    `bun:"from_addr"` // "OCCE 31 <contact@occe31.example>"
	Signature string    `bun:"signature"` // lines appended to every mail
	Mailbox   string    `bun:"mailbox"`   // documents@… : Reply-To of reminders
	UpdatedAt time.Time `bun:"updated_at"`
}

// MailSettings returns the AD's sender identity (zero fields when unset).
func (a *ADScope) MailSettings(ctx context.Context) (ADMail, error) {
	m := ADMail{ADID: a.id}
	err := a.adSel(&m).Scan(ctx)
	if err != nil && !isNotFound(notFound(err)) {
		return ADMail{}, fmt.Errorf("mail settings: %w", err)
	}
	return m, nil
}

// MailSettings returns an AD's sender identity (zero fields when unset).
func (y *System) MailSettings(ctx context.Context, adID int64) (ADMail, error) {
	return y.ad(adID).MailSettings(ctx)
}

// SetMailSettings saves the AD's sender identity (audited).
func (a *ADScope) SetMailSettings(ctx context.Context, m ADMail) error {
	m.ADID, m.UpdatedAt = a.id, a.s.now().UTC()
	return a.Tx(ctx, func(tx *ADScope) error {
		_, err := tx.adIns(&m).
			On("CONFLICT (ad_id) DO UPDATE").
			Set("from_addr = EXCLUDED.from_addr, signature = EXCLUDED.signature, mailbox = EXCLUDED.mailbox, updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("set mail settings: %w", err)
		}
		return tx.Audit(ctx, nil, "ad.mail.update", map[string]any{"expediteur": m.From, "boite": m.Mailbox})
	})
}
