package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// The staff's side of mail-in, through the ADScope: the ledger of the
// AD's mailboxes, the triage of files whose coop or item is unknown, and
// the retry of failed messages. Every query is filtered by the AD.

// MailFilter selects ledger rows; zero fields select everything.
type MailFilter struct {
	Mailbox  string
	Issue    string
	From, To time.Time // processed in [From, To)
	Limit    int
	Offset   int
}

// mailSel starts a SELECT on the AD's ledger with the coops' UAI and name.
func (a *ADScope) mailSel(out any) *bun.SelectQuery {
	return a.adSel(out).
		ColumnExpr("ml.*").
		ColumnExpr("c.uai AS coop_uai, c.name AS coop_name, sc.uai AS suggested_uai").
		Join("LEFT JOIN coops AS c ON c.id = ml.coop_id AND c.ad_id = ml.ad_id").
		Join("LEFT JOIN coops AS sc ON sc.id = ml.suggested_coop_id AND sc.ad_id = ml.ad_id")
}

// MailLedger lists the AD's ledger, newest first, with the total count.
func (a *ADScope) MailLedger(ctx context.Context, f MailFilter) ([]MailEntry, int, error) {
	var out []MailEntry
	q := a.mailSel(&out).OrderExpr("ml.processed_at DESC, ml.id DESC")
	if f.Mailbox != "" {
		q = q.Where("ml.mailbox = ?", f.Mailbox)
	}
	if f.Issue != "" {
		q = q.Where("ml.issue = ?", f.Issue)
	}
	if !f.From.IsZero() {
		q = q.Where("ml.processed_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("ml.processed_at < ?", f.To.UTC())
	}
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("mail ledger: %w", err)
	}
	return out, int(n), nil
}

// MailMailboxes lists the mailboxes found in the AD's ledger.
func (a *ADScope) MailMailboxes(ctx context.Context) ([]string, error) {
	var out []string
	err := a.adSel((*MailEntry)(nil)).Distinct().Column("mailbox").
		Order("mailbox").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("mail mailboxes: %w", err)
	}
	return out, nil
}

// MailMessage returns one message of the AD's ledger with its files;
// another AD's message is fault.ErrNotFound.
func (a *ADScope) MailMessage(ctx context.Context, id int64) (*MailEntry, []MailAttachment, error) {
	var e MailEntry
	if err := a.mailSel(&e).Where("ml.id = ?", id).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("mail message %d: %w", id, notFound(err))
	}
	var atts []MailAttachment
	if err := a.adSel(&atts).Where("ma.ledger_id = ?", id).Order("ma.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("mail message %d: %w", id, err)
	}
	return &e, atts, nil
}

// MailTriage returns the messages that wait for the staff, newest first:
// those with a file to assign (unmatched, or à classer) and the failed
// ones not yet retried, with their files by ledger id.
func (a *ADScope) MailTriage(ctx context.Context, limit int) ([]MailEntry, map[int64][]MailAttachment, error) {
	var out []MailEntry
	pending := a.adSel((*MailAttachment)(nil)).Column("ledger_id").
		Where("ma.status = ?", AttachmentTriage)
	q := a.mailSel(&out).
		Where("ml.id IN (?) OR (ml.issue = ? AND ml.retry = '')", pending, MailFailedIssue).
		OrderExpr("ml.processed_at DESC, ml.id DESC")
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("mail triage: %w", err)
	}
	byLedger := map[int64][]MailAttachment{}
	if len(out) == 0 {
		return out, byLedger, nil
	}
	ids := make([]int64, len(out))
	for i, e := range out {
		ids[i] = e.ID
	}
	var atts []MailAttachment
	if err := a.adSel(&atts).Where("ma.ledger_id IN (?)", bun.In(ids)).Order("ma.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("mail triage: %w", err)
	}
	for _, at := range atts {
		byLedger[at.LedgerID] = append(byLedger[at.LedgerID], at)
	}
	return out, byLedger, nil
}

// MailTriageCount counts the files waiting for the staff.
func (a *ADScope) MailTriageCount(ctx context.Context) (int, error) {
	n, err := a.adSel((*MailAttachment)(nil)).Where("ma.status = ?", AttachmentTriage).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("mail triage count: %w", err)
	}
	return int(n), nil
}

// MailAttachment returns one file of the AD's mail; another AD's is
// fault.ErrNotFound.
func (a *ADScope) MailAttachment(ctx context.Context, id int64) (*MailAttachment, error) {
	var at MailAttachment
	if err := a.adSel(&at).Where("ma.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail attachment %d: %w", id, notFound(err))
	}
	return &at, nil
}

// ResolveAttachment records that a staff member assigned a file in triage
// to a coop's document and dossier item. It changes only a file still in
// triage; false means someone resolved it first.
func (a *ADScope) ResolveAttachment(ctx context.Context, id, coopID, documentID int64, exercice, item, status string) (bool, error) {
	res, err := a.adUpd((*MailAttachment)(nil)).
		Set("status = ?", status).Set("coop_id = ?", coopID).Set("document_id = ?", documentID).
		Set("exercice = ?", exercice).Set("item = ?", item).Set("reason = ''").
		Set("resolved_at = ?", a.s.now().UTC()).Set("resolved_by = ?", a.actor).
		Where("ma.id = ? AND ma.status = ?", id, AttachmentTriage).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("resolve mail attachment %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("resolve mail attachment %d: %w", id, err)
	}
	if n == 1 {
		if err := a.Audit(ctx, &coopID, "mailin.assign", map[string]any{"piece": id, "document": documentID, "element": item, "exercice": exercice}); err != nil {
			return false, err
		}
	}
	return n == 1, nil
}

// DismissAttachment sets a file in triage aside (spam, sent to the wrong
// address). A file already resolved is left as it is.
func (a *ADScope) DismissAttachment(ctx context.Context, id int64) error {
	if _, err := a.MailAttachment(ctx, id); err != nil {
		return err
	}
	return a.Tx(ctx, func(tx *ADScope) error {
		res, err := tx.adUpd((*MailAttachment)(nil)).
			Set("status = ?", AttachmentDismissed).Set("resolved_at = ?", a.s.now().UTC()).Set("resolved_by = ?", a.actor).
			Where("ma.id = ? AND ma.status = ?", id, AttachmentTriage).Exec(ctx)
		if err != nil {
			return fmt.Errorf("dismiss mail attachment %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Audit(ctx, nil, "mailin.dismiss", map[string]any{"piece": id})
	})
}

// RequestMailRetry asks the next pass of the poller to put a failed
// message back in its mailbox, where it is handled again as a new message.
func (a *ADScope) RequestMailRetry(ctx context.Context, ledgerID int64) error {
	e, _, err := a.MailMessage(ctx, ledgerID)
	if err != nil {
		return err
	}
	switch {
	case e.Issue != MailFailedIssue:
		return fault.Invalidf("Seuls les messages en échec peuvent être retraités.")
	case e.RawSHA256 == "":
		return fault.Invalidf("Le message d'origine n'a pas été conservé : demandez à l'expéditeur de le renvoyer.")
	case e.Retry != "":
		return nil // already asked for, or done: clicking twice changes nothing
	}
	return a.Tx(ctx, func(tx *ADScope) error {
		_, err := tx.adUpd((*MailEntry)(nil)).Set("retry = ?", RetryRequested).
			Where("ml.id = ? AND ml.retry = ''", ledgerID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("request mail retry %d: %w", ledgerID, err)
		}
		return tx.Audit(ctx, nil, "mailin.retry", map[string]any{"message": ledgerID, "uid": e.UID})
	})
}
