package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// Mail-in: the ledger of the messages an AD's mailbox received and the
// files found in them. The poller's sink is cross-tenant by nature (a
// message names its coop only once it is read), so it works through the
// System handle, bound to the AD that owns the mailbox: every coop it can
// reach belongs to that AD. The staff read and resolve the same rows
// through their ADScope (mailin_staff.go).

// The outcomes of a message (mailin.Issue, the contract's "issue").
const (
	MailStored       = "stored"
	MailDuplicate    = "duplicate"
	MailUnmatched    = "unmatched"
	MailNoAttachment = "no_attachment"
	MailRejected     = "rejected"
	MailFailedIssue  = "failed"
)

// The statuses of a file found in a message.
const (
	AttachmentStored    = "stored"    // attached to a dossier item
	AttachmentDuplicate = "duplicate" // that dossier had this very file already
	AttachmentTriage    = "triage"    // waits for the staff: coop or item unknown
	AttachmentRejected  = "rejected"  // refused (type, size)
	AttachmentDismissed = "dismissed" // set aside by the staff (spam, wrong mailbox)
)

// The retry states of a failed message.
const (
	RetryRequested = "demandee" // a staff member asked for it: the next pass puts the message back
	RetryDone      = "relancee" // put back in the mailbox: it came back under a new UID
)

// ErrMailRecorded is returned when the ledger already has the message's
// (mailbox, UIDVALIDITY, UID): another pass recorded it first.
var ErrMailRecorded = errors.New("mail-in message already recorded")

// MailEntry is one row of the mail-in ledger.
type MailEntry struct {
	bun.BaseModel `bun:"table:mail_ledger,alias:ml"`

	ID              int64     `bun:"id,pk,autoincrement"`
	ADID            int64     `bun:"ad_id"`
	Mailbox         string    `bun:"mailbox"`
	UIDValidity     int64     `bun:"uid_validity"`
	UID             int64     `bun:"uid"`
	MessageID       string    `bun:"message_id"`
	From            string    `bun:"from_addr"`
	FromName        string    `bun:"from_name"`
	Subject         string    `bun:"subject"`
	Excerpt         string    `bun:"excerpt"` // the beginning of the text, for the triage
	CoopID          *int64    `bun:"coop_id"`
	MatchedBy       string    `bun:"matched_by"` // qr, uai, token, sender
	SuggestedCoopID *int64    `bun:"suggested_coop_id"`
	Exercice        string    `bun:"exercice"` // from the QR code
	DocType         string    `bun:"doc_type"` // message-level type, "" = à classer
	Issue           string    `bun:"issue"`
	Reason          string    `bun:"reason"`
	Documents       int       `bun:"documents"`
	Automatic       bool      `bun:"automatic"`
	RawSHA256       string    `bun:"raw_sha256"` // the whole message, kept for a retry
	Retry           string    `bun:"retry"`
	ReceivedAt      time.Time `bun:"received_at,nullzero"`
	ProcessedAt     time.Time `bun:"processed_at"`

	// Joined in for the staff's lists.
	CoopUAI      string `bun:"coop_uai,scanonly"`
	CoopName     string `bun:"coop_name,scanonly"`
	SuggestedUAI string `bun:"suggested_uai,scanonly"`
}

// MailAttachment is one file found in a message.
type MailAttachment struct {
	bun.BaseModel `bun:"table:mail_attachments,alias:ma"`

	ID         int64     `bun:"id,pk,autoincrement"`
	LedgerID   int64     `bun:"ledger_id"`
	ADID       int64     `bun:"ad_id"`
	CoopID     *int64    `bun:"coop_id"`
	DocumentID *int64    `bun:"document_id"`
	Name       string    `bun:"name"`
	MIME       string    `bun:"mime"`
	Size       int64     `bun:"size"`
	SHA256     string    `bun:"sha256"`
	DocType    string    `bun:"doc_type"` // detected type, "" = à classer
	Status     string    `bun:"status"`
	Reason     string    `bun:"reason"`
	Exercice   string    `bun:"exercice"` // dossier it went to
	Item       string    `bun:"item"`
	ResolvedAt time.Time `bun:"resolved_at,nullzero"`
	ResolvedBy *int64    `bun:"resolved_by"`
}

// MailIn is the mail-in sink's handle: the System handle bound to the AD
// that owns the mailbox being polled, and to a transaction inside Tx. It
// has no user; its queries go through the AD's helpers (an ADScope without
// actor).
type MailIn struct {
	ad *ADScope
}

// MailIn returns the mail-in handle of an AD's mailbox.
func (y *System) MailIn(adID int64) *MailIn { return &MailIn{ad: y.ad(adID)} }

// ADID returns the id of the AD that owns the mailbox.
func (m *MailIn) ADID() int64 { return m.ad.id }

// Tx runs fn in one transaction: the ledger row, the documents, the
// dossier changes and the acknowledgement commit together or not at all.
func (m *MailIn) Tx(ctx context.Context, fn func(tx *MailIn) error) error {
	return m.ad.Tx(ctx, func(tx *ADScope) error { return fn(&MailIn{ad: tx}) })
}

// Coop returns the system scope (no user) of one of the AD's coops, bound
// to the handle's transaction; another AD's coop is fault.ErrNotFound.
func (m *MailIn) Coop(ctx context.Context, coopID int64) (*CoopScope, error) {
	n, err := m.ad.adSel((*Coop)(nil)).Where("c.id = ?", coopID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail-in coop: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("mail-in coop %d: %w", coopID, fault.ErrNotFound)
	}
	return m.ad.coopOf(coopID), nil
}

// CoopByUAI returns the AD's coop with that UAI (upper case).
func (m *MailIn) CoopByUAI(ctx context.Context, uai string) (*Coop, error) {
	var co Coop
	err := m.ad.adSel(&co).Where("c.uai = ?", strings.ToUpper(uai)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail-in coop by uai: %w", notFound(err))
	}
	return &co, nil
}

// CoopByID returns the AD's coop with that id (a reply token names it).
func (m *MailIn) CoopByID(ctx context.Context, id int64) (*Coop, error) {
	var co Coop
	if err := m.ad.adSel(&co).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail-in coop %d: %w", id, notFound(err))
	}
	return &co, nil
}

// CoopsByEmail returns the AD's coops whose mandataire uses that address
// (compared in lower case).
func (m *MailIn) CoopsByEmail(ctx context.Context, email string) ([]Coop, error) {
	var out []Coop
	err := m.ad.adSel(&out).Where("lower(c.mandataire_email) = ?", strings.ToLower(email)).
		Order("c.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail-in coops by email: %w", err)
	}
	return out, nil
}

// Coops lists the AD's coops (for the triage's suggestion).
func (m *MailIn) Coops(ctx context.Context) ([]Coop, error) {
	var out []Coop
	if err := m.ad.adSel(&out).Order("c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail-in coops: %w", err)
	}
	return out, nil
}

// RecordMessage inserts the ledger row of a message. It is one statement
// that does nothing on a conflict, so that inside a PostgreSQL transaction
// a message recorded meanwhile gives ErrMailRecorded, not an aborted
// transaction.
func (m *MailIn) RecordMessage(ctx context.Context, e *MailEntry) error {
	e.ADID = m.ad.id
	if e.ProcessedAt.IsZero() {
		e.ProcessedAt = m.ad.s.now().UTC()
	}
	res, err := m.ad.adIns(e).On("CONFLICT (mailbox, uid_validity, uid) DO NOTHING").Exec(ctx)
	if err != nil {
		return fmt.Errorf("record mail uid %d: %w", e.UID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record mail uid %d: %w", e.UID, err)
	} else if n == 0 {
		return ErrMailRecorded
	}
	if e.ID == 0 {
		err := m.ad.adSel((*MailEntry)(nil)).Column("id").
			Where("ml.mailbox = ? AND ml.uid_validity = ? AND ml.uid = ?", e.Mailbox, e.UIDValidity, e.UID).Scan(ctx, &e.ID)
		if err != nil {
			return fmt.Errorf("record mail uid %d: %w", e.UID, err)
		}
	}
	return nil
}

// FinishMessage writes what handling the files decided: the final outcome,
// the reason, the count, the kept raw message and the suggested coop.
func (m *MailIn) FinishMessage(ctx context.Context, e *MailEntry) error {
	_, err := m.ad.adUpd(e).Column("issue", "reason", "documents", "raw_sha256", "suggested_coop_id").
		Where("ml.id = ?", e.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("finish mail %d: %w", e.ID, err)
	}
	return nil
}

// AddAttachment records a file of a message.
func (m *MailIn) AddAttachment(ctx context.Context, at *MailAttachment) error {
	at.ADID = m.ad.id
	if _, err := m.ad.adIns(at).Exec(ctx); err != nil {
		return fmt.Errorf("record mail attachment %s: %w", at.Name, err)
	}
	return nil
}

// QueueMail writes the acknowledgement of a message to the outbox, in the
// handle's transaction (coopID nil for an unmatched sender).
func (m *MailIn) QueueMail(ctx context.Context, coopID *int64, om OutboxMail) (bool, error) {
	_, queued, err := m.ad.s.queueMail(ctx, m.ad.adIns, m.ad.adSel, m.ad.id, coopID, om)
	return queued, err
}

// LastUID returns the highest UID recorded for (mailbox, uidValidity).
func (y *System) LastUID(ctx context.Context, mailbox string, uidValidity int64) (int64, error) {
	var last int64
	err := y.s.db.NewSelect().Model((*MailEntry)(nil)).ColumnExpr("COALESCE(MAX(uid), 0)").
		Where("mailbox = ? AND uid_validity = ?", mailbox, uidValidity).Scan(ctx, &last)
	if err != nil {
		return 0, fmt.Errorf("mail-in last uid: %w", err)
	}
	return last, nil
}

// MailRecorded reports whether (mailbox, uidValidity, uid) is in the ledger.
func (y *System) MailRecorded(ctx context.Context, mailbox string, uidValidity, uid int64) (bool, error) {
	n, err := y.s.db.NewSelect().Model((*MailEntry)(nil)).
		Where("mailbox = ? AND uid_validity = ? AND uid = ?", mailbox, uidValidity, uid).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("mail-in recorded: %w", err)
	}
	return n > 0, nil
}

// MessageIDRecorded reports whether a message with that Message-ID was
// recorded for the mailbox, under any UIDVALIDITY. A failed message put
// back for a retry no longer counts: its new copy must be handled.
func (y *System) MessageIDRecorded(ctx context.Context, mailbox, messageID string) (bool, error) {
	if messageID == "" {
		return false, nil
	}
	n, err := y.s.db.NewSelect().Model((*MailEntry)(nil)).
		Where("mailbox = ? AND message_id = ? AND retry = ''", mailbox, messageID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("mail-in message-id recorded: %w", err)
	}
	return n > 0, nil
}

// PendingRetries lists the mailbox's failed messages a staff member asked
// to retry.
func (y *System) PendingRetries(ctx context.Context, mailbox string) ([]MailEntry, error) {
	var out []MailEntry
	err := y.s.db.NewSelect().Model(&out).Where("ml.mailbox = ? AND ml.retry = ?", mailbox, RetryRequested).
		Order("ml.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail-in pending retries: %w", err)
	}
	return out, nil
}

// MarkRetried records that a failed message was put back in its mailbox.
func (y *System) MarkRetried(ctx context.Context, ledgerID int64) error {
	_, err := y.s.db.NewUpdate().Model((*MailEntry)(nil)).Set("retry = ?", RetryDone).
		Where("id = ? AND retry = ?", ledgerID, RetryRequested).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mail-in mark retried %d: %w", ledgerID, err)
	}
	return nil
}
