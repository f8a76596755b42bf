package mailin

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// Defaults of the Poller's zero fields.
const (
	DefaultMaxAttachment = 25 << 20 // RETKOOP_MAX_ATTACHMENT
	DefaultTimeout       = time.Minute
	DefaultLeaseTTL      = 5 * time.Minute
	DefaultMaxQRPDF      = 8 << 20
	headBytes            = 1 << 20 // kept of an oversized message: its header
)

// ErrLeaseLost ends a run whose lease was taken over by another poller.
var ErrLeaseLost = errors.New("mailin: lease lost")

// Poller polls one mailbox. Its fields are read-only once polling starts.
type Poller struct {
	Mailbox   Mailbox
	Directory Directory
	State     State
	Sink      Sink
	// Lease keeps two processes off the same mailbox. Nil only when a single
	// poller can exist (tests, one-process setups).
	Lease    Lease
	Holder   string        // lease holder name; default host-pid-random
	LeaseTTL time.Duration // default 5 min, renewed every TTL/3

	MaxAttachment int64         // larger files are rejected; default 25 MiB
	MaxQRPDF      int64         // larger PDFs are not scanned for QR codes; default 8 MiB
	Timeout       time.Duration // an IMAP command without progress for this long ends the run; default 1 min
	TempDir       string        // where messages and parts are spooled; default os.TempDir()
	TLSConfig     *tls.Config   // e.g. RootCAs for a private CA
	Logger        *slog.Logger  // default slog.Default()

	// Report is called for each message handled, as soon as it is marked.
	Report func(Result)
	// AfterStore runs after the sink committed and before the message is
	// marked. Tests use it to simulate a crash: a returned error ends the
	// run there.
	AfterStore func(*Message) error

	holderOnce sync.Once
	holder     string
}

func (p *Poller) log() *slog.Logger {
	l := p.Logger
	if l == nil {
		l = slog.Default()
	}
	return l.With("mailbox", p.Mailbox.Key())
}

func (p *Poller) maxAttachment() int64 {
	if p.MaxAttachment > 0 {
		return p.MaxAttachment
	}
	return DefaultMaxAttachment
}

func (p *Poller) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultTimeout
}

func (p *Poller) leaseTTL() time.Duration {
	if p.LeaseTTL > 0 {
		return p.LeaseTTL
	}
	return DefaultLeaseTTL
}

func (p *Poller) holderName() string {
	p.holderOnce.Do(func() {
		p.holder = p.Holder
		if p.holder == "" {
			host, _ := os.Hostname()
			b := make([]byte, 4)
			rand.Read(b)
			// The random part keeps two Pollers of one process apart.
			p.holder = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
		}
	})
	return p.holder
}

// Run polls every interval until ctx is done. Errors are logged and the next
// tick tries again; it returns nil on shutdown.
func (p *Poller) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := p.RunOnce(ctx); err != nil && ctx.Err() == nil {
			p.log().Error("mailin poll failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunOnce handles every new message once and returns one Result per message
// handled (messages that were already recorded and only needed marking are
// not reported again). When another poller holds the mailbox's lease it
// returns nothing. On error, the results of the messages handled before it
// are returned too.
func (p *Poller) RunOnce(ctx context.Context) (results []Result, err error) {
	log := p.log()
	leaseName := "mailin:" + p.Mailbox.Key()
	if p.Lease != nil {
		ok, err := p.Lease.TryAcquire(ctx, leaseName, p.holderName(), p.leaseTTL())
		if err != nil {
			return nil, fmt.Errorf("acquire mailin lease: %w", err)
		}
		if !ok {
			log.Info("mailin lease held by another poller: skipping this run")
			return nil, nil
		}
		defer func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.timeout())
			defer cancel()
			if rerr := p.Lease.Release(rctx, leaseName, p.holderName()); rerr != nil {
				log.Warn("mailin lease release failed", "error", rerr)
			}
		}()
	}
	s, err := dial(ctx, p.Mailbox, p.timeout(), p.TLSConfig)
	if err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.timeout())
		defer cancel()
		s.close(cctx)
	}()
	validity, err := s.selectBox(ctx, p.Mailbox.Name)
	if err != nil {
		return nil, err
	}
	last, err := p.State.LastUID(ctx, p.Mailbox.Key(), validity)
	if err != nil {
		return nil, fmt.Errorf("read last uid: %w", err)
	}
	uids, err := s.pending(ctx, last)
	if err != nil {
		return nil, err
	}
	if len(uids) == 0 {
		return nil, nil
	}
	if s.move {
		if err := s.ensureFolder(ctx, p.Mailbox.Processed); err != nil {
			return nil, err
		}
	}
	log.Info("mailin messages to handle", "count", len(uids), "uid_validity", validity, "last_uid", last)
	renewAt := time.Now().Add(p.leaseTTL() / 3)
	for _, uid := range uids {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		if p.Lease != nil && time.Now().After(renewAt) {
			ok, err := p.Lease.Renew(ctx, leaseName, p.holderName(), p.leaseTTL())
			if err != nil {
				return results, fmt.Errorf("renew mailin lease: %w", err)
			}
			if !ok {
				return results, ErrLeaseLost
			}
			renewAt = time.Now().Add(p.leaseTTL() / 3)
		}
		res, err := p.handle(ctx, s, validity, uid)
		if res != nil {
			results = append(results, *res)
			if p.Report != nil {
				p.Report(*res)
			}
		}
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// handle takes one UID through ledger check → fetch → parse → identify →
// sink → mark. A nil Result means nothing new was recorded.
func (p *Poller) handle(ctx context.Context, s *session, validity, uid uint32) (*Result, error) {
	key := p.Mailbox.Key()
	log := p.log().With("uid", uid, "uid_validity", validity)
	recorded, err := p.State.Recorded(ctx, key, validity, uid)
	if err != nil {
		return nil, fmt.Errorf("check ledger for uid %d: %w", uid, err)
	}
	if recorded {
		// Stored by a run that stopped before marking: mark only.
		log.Info("mailin message already recorded: marking it")
		return nil, s.mark(ctx, uid, p.Mailbox.Processed)
	}

	dir, err := os.MkdirTemp(p.TempDir, "retkoop-mailin-*")
	if err != nil {
		return nil, fmt.Errorf("spool uid %d: %w", uid, err)
	}
	defer os.RemoveAll(dir)
	raw := filepath.Join(dir, "message.eml")
	maxRaw := 3 * p.maxAttachment()
	size, truncated, err := s.fetchRaw(ctx, uid, raw, maxRaw, headBytes)
	if errors.Is(err, errVanished) {
		log.Warn("mailin message vanished before it was fetched")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	msg := p.parse(raw, dir, truncated, size)
	msg.Mailbox, msg.UIDValidity, msg.UID, msg.RawPath = key, validity, uid, raw
	if msg.Issue != IssueFailed {
		// An oversized message is identified from its header alone, so that
		// its sender's coop can be told.
		id := identifier{dir: p.Directory, mailbox: p.Mailbox, maxQRPDF: p.maxQRPDF()}
		if err := id.identify(ctx, msg); err != nil {
			return nil, fmt.Errorf("identify uid %d: %w", uid, err)
		}
	}
	if msg.Issue == "" {
		decide(msg)
		if msg.MessageID != "" {
			dup, err := p.State.MessageIDRecorded(ctx, key, msg.MessageID)
			if err != nil {
				return nil, fmt.Errorf("check message-id of uid %d: %w", uid, err)
			}
			if dup {
				// Same mail seen again: a recreated mailbox, or a copy
				// put back. Identified all the same, for the ledger.
				msg.Issue, msg.Reason = IssueDuplicate, "message déjà reçu (même Message-ID)"
			}
		}
	}

	issue, err := p.store(ctx, msg)
	if errors.Is(err, ErrRecorded) {
		log.Info("mailin message recorded meanwhile: marking it")
		return nil, s.mark(ctx, uid, p.Mailbox.Processed)
	}
	if err != nil {
		return nil, fmt.Errorf("store uid %d: %w", uid, err)
	}
	if issue != "" {
		msg.Issue = issue
	}
	res := resultOf(msg)
	log.Info("mailin message recorded", "message_id", msg.MessageID, "issue", msg.Issue,
		"coop_id", msg.Coop.ID, "uai", msg.Coop.UAI, "matched_by", msg.MatchedBy,
		"type", res.Type, "documents", res.Documents, "reason", msg.Reason)
	if p.AfterStore != nil {
		if err := p.AfterStore(msg); err != nil {
			return &res, fmt.Errorf("after store uid %d: %w", uid, err)
		}
	}
	// Marking comes after the commit: a failure here leaves a recorded
	// message that the next run only marks.
	return &res, s.mark(ctx, uid, p.Mailbox.Processed)
}

// store hands msg to the sink. A message the sink refuses twice is recorded
// as failed, without its files, so that one poison message cannot block the
// mailbox; if even that is refused (database down), the run ends and the
// next one tries again.
func (p *Poller) store(ctx context.Context, msg *Message) (Issue, error) {
	issue, err := p.Sink.Store(ctx, msg)
	if err == nil || errors.Is(err, ErrRecorded) || ctx.Err() != nil {
		return issue, err
	}
	if issue, err = p.Sink.Store(ctx, msg); err == nil || errors.Is(err, ErrRecorded) || ctx.Err() != nil {
		return issue, err
	}
	failed := *msg
	failed.Documents = nil
	failed.Issue = IssueFailed
	failed.Reason = "enregistrement impossible : " + err.Error()
	if _, ferr := p.Sink.Store(ctx, &failed); ferr != nil {
		return "", err
	}
	*msg = failed
	return IssueFailed, nil
}

func (p *Poller) maxQRPDF() int64 {
	if p.MaxQRPDF > 0 {
		return p.MaxQRPDF
	}
	return DefaultMaxQRPDF
}

// parse reads the spooled message. A message too large to fetch whole, or
// whose header cannot be read, is still recorded (rejected, failed) so that
// the sender can be told and the message is not retried forever.
func (p *Poller) parse(raw, dir string, truncated bool, size int64) (msg *Message) {
	defer func() {
		// A message that crashes the parser must be recorded, not
		// crash the poller again at every run.
		if r := recover(); r != nil {
			msg = &Message{Issue: IssueFailed, Reason: fmt.Sprintf("message illisible : %v", r)}
		}
	}()
	f, err := os.Open(raw)
	if err != nil {
		return &Message{Issue: IssueFailed, Reason: "lecture du message : " + err.Error()}
	}
	defer f.Close()
	if truncated {
		msg = &Message{}
		if e, err := message.Read(f); err == nil || message.IsUnknownCharset(err) {
			msg = readHeader(mail.Header{Header: e.Header})
		}
		msg.Issue = IssueRejected
		msg.Reason = fmt.Sprintf("message de %s, au-delà de la limite de %s par pièce jointe", humanSize(size), humanSize(p.maxAttachment()))
		return msg
	}
	msg, err = parseMessage(f, dir, p.maxAttachment())
	if err != nil {
		return &Message{Issue: IssueFailed, Reason: "message illisible : " + err.Error()}
	}
	return msg
}

// decide sets the outcome from what was found.
func decide(msg *Message) {
	reasons := []string{}
	if msg.Reason != "" {
		reasons = append(reasons, msg.Reason)
	}
	rejected := 0
	for _, d := range msg.Documents {
		if d.Rejected != "" {
			// Also for a stored message: the acknowledgement says what was
			// refused and why.
			reasons = append(reasons, d.Rejected)
			rejected++
		}
	}
	msg.Reason = strings.Join(reasons, " ; ")
	switch {
	case len(msg.Documents) == 0:
		msg.Issue = IssueNoAttachment
	case rejected == len(msg.Documents):
		msg.Issue = IssueRejected
	case msg.Coop == (Coop{}):
		msg.Issue = IssueUnmatched
	default:
		msg.Issue = IssueStored
	}
}
