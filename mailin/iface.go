// Package mailin turns the e-mail that mandataires send to an AD's published
// mailbox into stored documents.
//
// A Poller fetches new messages over IMAP, parses each one (bodies,
// attachments, forwarded messages), identifies the coop and the document type,
// hands a fully parsed Message to a Sink, and only after the sink has committed
// marks the message on the server (moves it to the processed folder, or flags
// it when the server lacks MOVE). It never deletes mail.
//
// The package knows nothing of the app's database: it declares the small
// interfaces it needs (Directory, State, Sink, Lease) and the app implements
// them. Exactly-once handling rests on the sink's ledger keyed by (mailbox,
// UIDVALIDITY, UID): a message already in the ledger is only marked, never
// stored again.
package mailin

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Coop is the app's opaque reference to a coop: mailin only passes it back.
type Coop struct {
	ID  int64
	UAI string
}

// Directory answers who a message is from. It is scoped to the mailbox's AD:
// a UAI of another AD is simply not found.
type Directory interface {
	// CoopByUAI returns the AD's coop with that UAI (upper case, check letter
	// already verified).
	CoopByUAI(ctx context.Context, uai string) (Coop, bool, error)
	// CoopByToken resolves the opaque token of a reminder's reply-to address
	// (documents+TOKEN@…).
	CoopByToken(ctx context.Context, token string) (Coop, bool, error)
	// CoopsByEmail returns the coops whose mandataire uses that address
	// (lower case); mailin matches only when there is exactly one.
	CoopsByEmail(ctx context.Context, email string) ([]Coop, error)
}

// State is the read side of the sink's ledger. Mailbox is Mailbox.Key().
type State interface {
	// LastUID returns the highest UID recorded for (mailbox, uidValidity), 0
	// when none: a new UIDVALIDITY thus rescans the whole mailbox.
	LastUID(ctx context.Context, mailbox string, uidValidity uint32) (uint32, error)
	// Recorded reports whether (mailbox, uidValidity, uid) is in the ledger.
	Recorded(ctx context.Context, mailbox string, uidValidity, uid uint32) (bool, error)
	// MessageIDRecorded reports whether a message with that Message-ID was
	// already recorded for the mailbox under any UIDVALIDITY.
	MessageIDRecorded(ctx context.Context, mailbox, messageID string) (bool, error)
}

// Sink records a parsed message, in one transaction: the ledger row keyed by
// (msg.Mailbox, msg.UIDValidity, msg.UID) with msg.MessageID, the outcome and
// msg.Reason; when msg.Issue is IssueStored or IssueUnmatched, every accepted
// document (Document.Rejected == "") stored once by SHA-256 and attached to
// msg.Coop's current dossier item Document.Type ("" = à classer; unmatched:
// kept for triage); and the acknowledgement to msg.From, unless
// msg.Automatic.
//
// Store returns the final outcome: usually msg.Issue, or IssueDuplicate when
// every document was already attached. It returns ErrRecorded (wrapped or not)
// when the ledger row already exists, e.g. a unique-key violation.
//
// The files at Document.Path and Message.RawPath are removed after Store
// returns: the sink copies or renames them before it commits.
type Sink interface {
	Store(ctx context.Context, msg *Message) (Issue, error)
}

// ErrRecorded is returned by a Sink when the message is already in the ledger.
var ErrRecorded = errors.New("mailin: message already recorded")

// Lease keeps two pollers from working on one mailbox at once. A lease held
// by another holder and not yet expired cannot be acquired.
type Lease interface {
	// TryAcquire takes the named lease for ttl if it is free or expired.
	TryAcquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Renew extends a lease still held by holder; false when it was lost.
	Renew(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release frees the lease if holder still has it.
	Release(ctx context.Context, name, holder string) error
}

// Issue is the outcome recorded for a message.
type Issue string

// The outcomes of the contract's `mailin` JSON line.
const (
	IssueStored       Issue = "stored"        // documents attached to the coop's dossier
	IssueDuplicate    Issue = "duplicate"     // same Message-ID or same files already received
	IssueUnmatched    Issue = "unmatched"     // documents kept, coop unknown: staff triage
	IssueNoAttachment Issue = "no_attachment" // nothing that looks like a document
	IssueRejected     Issue = "rejected"      // only refused files (type, size)
	IssueFailed       Issue = "failed"        // the message could not be read
)

// Message is one e-mail as parsed and identified by mailin.
type Message struct {
	Mailbox     string // Mailbox.Key()
	UIDValidity uint32
	UID         uint32

	MessageID  string // with angle brackets, "" when absent
	Subject    string // decoded
	From       string // lower-case address
	FromName   string
	Recipients []string // To, Cc, Delivered-To, X-Original-To addresses
	Date       time.Time
	Text       string // plain-text body (HTML stripped when no text part), bounded
	// Automatic is true for auto-replies, bounces and bulk mail
	// (Auto-Submitted, Precedence, multipart/report): never acknowledge
	// them, or two robots answer each other forever.
	Automatic bool
	RawPath   string // the whole message as fetched (.eml), valid during Sink.Store

	Documents []Document // accepted and rejected files; logos are not listed

	Coop      Coop   // zero when unmatched
	MatchedBy string // "qr", "uai", "token", "sender" or ""
	Exercice  string // from the QR code, e.g. "2025-2026"
	Type      string // message-level document type, "" = à classer

	Issue  Issue
	Reason string // French explanation for rejected/failed/duplicate

	forwarded string // subjects of forwarded messages, for identification
}

// Document is one file found in a message.
type Document struct {
	Path        string // temp file, valid during Sink.Store
	Name        string // decoded file name
	Size        int64
	SHA256      string // hex
	ContentType string // sniffed from the bytes
	Type        string // detected document type, "" = à classer
	QR          *QRCode
	Rejected    string // French reason; "" when accepted
}

// Accepted returns the documents to store.
func (m *Message) Accepted() []Document {
	var out []Document
	for _, d := range m.Documents {
		if d.Rejected == "" {
			out = append(out, d)
		}
	}
	return out
}

// Result is one handled message as printed by `retkoop mailin`, one JSON
// object per line.
type Result struct {
	UID       uint32 `json:"uid"`
	MessageID string `json:"message_id"`
	From      string `json:"from"`
	UAI       string `json:"uai"`
	Type      string `json:"type"`
	Issue     Issue  `json:"issue"`
	Documents int    `json:"documents"`
}

// JSON is the contract's line: {"uid": 7, "message_id": "<…>", …}, with
// "<" and ">" written as is (encoding/json would escape them for HTML).
func (r Result) JSON() string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(r) // cannot fail: strings and numbers only
	return strings.TrimSuffix(b.String(), "\n")
}

func resultOf(m *Message) Result {
	acc := m.Accepted()
	typ := m.Type
	if len(acc) > 0 {
		// One type shared by every document is more precise than the
		// message's; mixed types fall back to the message's.
		typ = acc[0].Type
		for _, d := range acc[1:] {
			if d.Type != typ {
				typ = m.Type
				break
			}
		}
	}
	docs := len(acc)
	if m.Issue != IssueStored && m.Issue != IssueUnmatched {
		docs = 0
	}
	return Result{
		UID:       m.UID,
		MessageID: m.MessageID,
		From:      m.From,
		UAI:       m.Coop.UAI,
		Type:      typ,
		Issue:     m.Issue,
		Documents: docs,
	}
}
