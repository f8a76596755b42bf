package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// Outbox statuses. A mail stays queued until the SMTP server accepts it
// (sent) or refuses it for good (failed); a transient refusal keeps it
// queued with a later next attempt.
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed"
)

// Kinds of outbound mail (the outbox's kind column).
const (
	MailReminder      = "relance"
	MailPasswordReset = "mot_de_passe"
	MailCorrection    = "correction"
	MailValidated     = "validation"
	MailReopened      = "reouverture"
	MailAck           = "accuse_reception"
	MailDigest        = "synthese"
)

// scrubbed replaces the text of a password reset mail once it is sent.
const scrubbed = "(lien personnel effacé après l'envoi)"

// OutboxMail is an e-mail the app wants sent. Key is its idempotency key,
// unique in the whole outbox: queueing the same key twice queues one mail.
type OutboxMail struct {
	Kind    string
	Key     string
	To      string
	From    string // empty: the sender's default identity
	ReplyTo string
	Subject string
	Text    string
	HTML    string
	// Detail is a short French note for the staff's lists ("Relance J-7 :
	// quitus, relevé").
	Detail string
}

// Mail is one row of the outbox.
type Mail struct {
	bun.BaseModel `bun:"table:outbox,alias:o"`

	ID            int64     `bun:"id,pk,autoincrement"`
	ADID          int64     `bun:"ad_id"`
	CoopID        *int64    `bun:"coop_id"`
	Kind          string    `bun:"kind"`
	IdemKey       string    `bun:"idem_key"`
	To            string    `bun:"to_addr"`
	From          string    `bun:"from_addr"`
	ReplyTo       string    `bun:"reply_to"`
	Subject       string    `bun:"subject"`
	Text          string    `bun:"text_body"`
	HTML          string    `bun:"html_body"`
	Detail        string    `bun:"detail"`
	Status        string    `bun:"status"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at"`
	LastError     string    `bun:"last_error"`
	MessageID     string    `bun:"message_id"`
	CreatedAt     time.Time `bun:"created_at"`
	SentAt        time.Time `bun:"sent_at,nullzero"`

	// CoopUAI and CoopName are joined in for the staff's lists.
	CoopUAI  string `bun:"coop_uai,scanonly"`
	CoopName string `bun:"coop_name,scanonly"`
}

// queueMail inserts m unless its key is already in the outbox. It is one
// statement (INSERT … ON CONFLICT DO NOTHING), so it can run inside any
// transaction, PostgreSQL included, where a failed insert would abort it.
// ins and sel are the calling handle's (a coop's or an AD's: the row is
// checked by it, the read filtered).
func (s *DB) queueMail(ctx context.Context, ins func(any) *bun.InsertQuery, sel func(any) *bun.SelectQuery,
	adID int64, coopID *int64, m OutboxMail) (*Mail, bool, error) {
	if err := m.check(); err != nil {
		return nil, false, err
	}
	now := s.now().UTC()
	row := &Mail{ADID: adID, CoopID: coopID, Kind: m.Kind, IdemKey: m.Key, To: m.To, From: m.From, ReplyTo: m.ReplyTo,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Detail: m.Detail, Status: MailQueued,
		NextAttemptAt: now, CreatedAt: now}
	res, err := ins(row).On("CONFLICT (idem_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("queue mail %s: %w", m.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, false, fmt.Errorf("queue mail %s: %w", m.Key, err)
	}
	if n == 0 {
		return nil, false, nil
	}
	if row.ID == 0 { // SQLite without RETURNING support in this path
		if err := sel((*Mail)(nil)).Column("id").Where("o.idem_key = ?", m.Key).Scan(ctx, &row.ID); err != nil {
			return nil, false, fmt.Errorf("queue mail %s: %w", m.Key, err)
		}
	}
	return row, true, nil
}

func (m OutboxMail) check() error {
	switch {
	case m.Key == "", m.Kind == "":
		return fmt.Errorf("queue mail: key and kind are required")
	case strings.TrimSpace(m.To) == "":
		return fault.Invalidf("Aucune adresse e-mail de destination.")
	case m.Subject == "" || m.Text == "":
		return fmt.Errorf("queue mail %s: subject and text are required", m.Key)
	}
	return nil
}

// QueueMail writes a mail to the coop's mandataire (or about the coop) to
// the outbox, in the scope's transaction when there is one. A key already
// queued gives queued = false and no error.
func (c *CoopScope) QueueMail(ctx context.Context, m OutboxMail) (queued bool, err error) {
	if err := c.writable(); err != nil {
		return false, err
	}
	_, queued, err = c.s.queueMail(ctx, c.ins, c.sel, c.adID, &c.id, m)
	return queued, err
}

// QueueMail writes a mail of an AD, about a coop or not (coopID nil), to
// the outbox.
func (y *System) QueueMail(ctx context.Context, adID int64, coopID *int64, m OutboxMail) (queued bool, err error) {
	a := y.ad(adID)
	_, queued, err = y.s.queueMail(ctx, a.adIns, a.adSel, adID, coopID, m)
	return queued, err
}

// DueMails returns the queued mails whose next attempt has come, oldest
// first.
func (y *System) DueMails(ctx context.Context, now time.Time, limit int) ([]Mail, error) {
	var out []Mail
	err := y.s.db.NewSelect().Model(&out).
		Where("o.status = ?", MailQueued).Where("o.next_attempt_at <= ?", now.UTC()).
		Order("o.next_attempt_at", "o.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("due mails: %w", err)
	}
	return out, nil
}

// SentSince counts the AD's mails accepted by the SMTP server since t (the
// sender's rate limit is a window over the outbox, so it holds across
// restarts and processes).
func (y *System) SentSince(ctx context.Context, adID int64, t time.Time) (int, error) {
	n, err := y.s.db.NewSelect().Model((*Mail)(nil)).
		Where("ad_id = ? AND status = ? AND sent_at >= ?", adID, MailSent, t.UTC()).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("sent since: %w", err)
	}
	return int(n), nil
}

// MarkSent records that the SMTP server accepted the mail.
func (y *System) MarkSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	return y.mark(ctx, id, "mark sent", func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", MailSent).Set("message_id = ?", messageID).Set("sent_at = ?", at.UTC()).Set("last_error = ''")
	})
}

// MarkRetry records a transient failure; the mail is tried again at next.
func (y *System) MarkRetry(ctx context.Context, id int64, errText string, next time.Time) error {
	return y.mark(ctx, id, "mark retry", func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("last_error = ?", errText).Set("next_attempt_at = ?", next.UTC())
	})
}

// MarkFailed records a permanent failure (a 5xx answer, or transient
// failures for too long); the mail is not tried again.
func (y *System) MarkFailed(ctx context.Context, id int64, errText string) error {
	return y.mark(ctx, id, "mark failed", func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", MailFailed).Set("last_error = ?", errText)
	})
}

// mark updates a queued mail after an attempt. A mail that is no longer
// queued (marked by another sender) is left alone.
func (y *System) mark(ctx context.Context, id int64, op string, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q := y.s.db.NewUpdate().Model((*Mail)(nil)).Set("attempts = attempts + 1").
		Where("id = ? AND status = ?", id, MailQueued)
	if op != "mark retry" {
		// Once a reset link has gone (or never will), its text is of no use
		// and would let whoever reads the outbox take over the account.
		q = q.Set("text_body = CASE WHEN kind = ? THEN ? ELSE text_body END", MailPasswordReset, scrubbed).
			Set("html_body = CASE WHEN kind = ? THEN '' ELSE html_body END", MailPasswordReset)
	}
	if _, err := set(q).Exec(ctx); err != nil {
		return fmt.Errorf("%s %d: %w", op, id, err)
	}
	return nil
}

// Mail returns one outbox row (tests, the CLI).
func (y *System) Mail(ctx context.Context, id int64) (*Mail, error) {
	var m Mail
	if err := y.s.db.NewSelect().Model(&m).Where("o.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail %d: %w", id, notFound(err))
	}
	return &m, nil
}

// MailByKey returns the outbox row of an idempotency key.
func (y *System) MailByKey(ctx context.Context, key string) (*Mail, error) {
	var m Mail
	if err := y.s.db.NewSelect().Model(&m).Where("o.idem_key = ?", key).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail %s: %w", key, notFound(err))
	}
	return &m, nil
}

// OutboxFilter selects the staff's view of the outbox.
type OutboxFilter struct {
	Status string // "", queued, sent, failed
	Kind   string
	Q      string // recipient, subject, UAI or coop name
	Limit  int
	Offset int
}

// OutboxCounts counts the AD's mails by status.
type OutboxCounts struct {
	Queued, Sent, Failed int
}

// Outbox lists the AD's mails, newest first, with the total before
// pagination.
func (a *ADScope) Outbox(ctx context.Context, f OutboxFilter) ([]Mail, int, error) {
	var out []Mail
	q := a.mailList(&out)
	if f.Status != "" {
		q = q.Where("o.status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("o.kind = ?", f.Kind)
	}
	if s := strings.TrimSpace(f.Q); s != "" {
		like := "%" + strings.ToLower(s) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lower(o.to_addr) LIKE ?", like).WhereOr("lower(o.subject) LIKE ?", like).
				WhereOr("lower(c.uai) LIKE ?", like).WhereOr("lower(c.name) LIKE ?", like)
		})
	}
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	return out, int(n), nil
}

// OutboxCounts counts the AD's mails by status.
func (a *ADScope) OutboxCounts(ctx context.Context) (OutboxCounts, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := a.adSel((*Mail)(nil)).Column("o.status").ColumnExpr("count(*) AS n").Group("o.status").Scan(ctx, &rows)
	if err != nil {
		return OutboxCounts{}, fmt.Errorf("outbox counts: %w", err)
	}
	var c OutboxCounts
	for _, r := range rows {
		switch r.Status {
		case MailQueued:
			c.Queued = r.N
		case MailSent:
			c.Sent = r.N
		case MailFailed:
			c.Failed = r.N
		}
	}
	return c, nil
}

// CoopMails lists the mails about one of the AD's coops, newest first (the
// coop's mail history); another AD's coop has none.
func (a *ADScope) CoopMails(ctx context.Context, coopID int64) ([]Mail, error) {
	var out []Mail
	if err := a.mailList(&out).Where("o.coop_id = ?", coopID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("coop mails: %w", err)
	}
	return out, nil
}

// OutboxMail returns one of the AD's mails; another AD's is
// fault.ErrNotFound.
func (a *ADScope) OutboxMail(ctx context.Context, id int64) (*Mail, error) {
	var m Mail
	if err := a.mailList(&m).Where("o.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("outbox mail %d: %w", id, notFound(err))
	}
	return &m, nil
}

func (a *ADScope) mailList(model any) *bun.SelectQuery {
	return a.adSel(model).ColumnExpr("o.*").
		ColumnExpr("coalesce(c.uai, '') AS coop_uai, coalesce(c.name, '') AS coop_name").
		Join("LEFT JOIN coops AS c ON c.id = o.coop_id AND c.ad_id = o.ad_id").
		OrderExpr("o.id DESC")
}
