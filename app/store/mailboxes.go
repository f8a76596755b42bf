package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// MailboxConfig is the IMAP mailbox an AD's admin configured in the app.
// URL holds the password as given: it is read by the poller only and never
// shown back in a page.
type MailboxConfig struct {
	bun.BaseModel `bun:"table:mailboxes,alias:mb"`

	ID        int64     `bun:"id,pk,autoincrement"`
	ADID      int64     `bun:"ad_id"`
	URL       string    `bun:"url"`
	Processed string    `bun:"processed"`
	Enabled   bool      `bun:"enabled"`
	UpdatedAt time.Time `bun:"updated_at"`
	UpdatedBy *int64    `bun:"updated_by"`
}

// Mailboxes lists every AD's configured mailbox, enabled or not (the
// poller skips the disabled ones, which also switch the AD's default
// mailbox off).
func (y *System) Mailboxes(ctx context.Context) ([]MailboxConfig, error) {
	var out []MailboxConfig
	if err := y.s.db.NewSelect().Model(&out).Order("mb.ad_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("mailboxes: %w", err)
	}
	return out, nil
}

// MailboxConfig returns the AD's configured mailbox; fault.ErrNotFound
// when there is none.
func (a *ADScope) MailboxConfig(ctx context.Context) (*MailboxConfig, error) {
	var m MailboxConfig
	if err := a.adSel(&m).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mailbox config: %w", notFound(err))
	}
	return &m, nil
}

// SetMailboxConfig saves the AD's mailbox (audited, without the URL's
// password). An empty URL keeps the one saved.
func (a *ADScope) SetMailboxConfig(ctx context.Context, m MailboxConfig, redacted string) error {
	m.ADID, m.UpdatedAt, m.UpdatedBy = a.id, a.s.now().UTC(), a.actor
	return a.Tx(ctx, func(tx *ADScope) error {
		q := tx.adIns(&m).On("CONFLICT (ad_id) DO UPDATE").
			Set("processed = EXCLUDED.processed, enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")
		if m.URL != "" {
			q = q.Set("url = EXCLUDED.url")
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("set mailbox config: %w", err)
		}
		return tx.Audit(ctx, nil, "ad.mailbox.update", map[string]any{"boite": redacted, "dossier_traites": m.Processed, "active": m.Enabled})
	})
}
