package worker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/mailin"
	"retkoop/workflow"
)

// The wiring of mail-in: which mailboxes to poll for which AD, and the
// adapters that give mailin.Poller the app's database (Directory, State,
// Lease here; the Sink in mailin_sink.go).
//
// The mailbox of RETKOOP_IMAP_URL belongs to the default AD: the first one
// created (the rule the outbox uses for the Reply-To of reminders, so that
// replies come back to the mailbox that can file them). Each AD's admin may
// also configure a mailbox in the app (table mailboxes); such a row
// replaces RETKOOP_IMAP_URL for its AD, and a disabled row turns that AD's
// mail-in off.

// mailbox is one mailbox to poll and the AD that owns it.
type mailbox struct {
	adID int64
	box  mailin.Mailbox
	// from says where it is configured: "RETKOOP_IMAP_URL" or "application".
	from string
}

// Mailbox is the mailbox's connection settings.
func (m mailbox) Mailbox() mailin.Mailbox { return m.box }

// LogPolling logs, once at start, every mailbox a loop polls.
func (a *Worker) LogPolling(boxes []mailbox, interval time.Duration) {
	for _, b := range boxes {
		a.Log.Info("mailin polling", "mailbox", b.box.Key(), "ad_id", b.adID, "configured_in", b.from, "interval", interval.String())
	}
}

// ErrNoMailbox is the command's error when nothing is configured.
var ErrNoMailbox = errors.New("aucune boîte aux lettres à relever : définissez RETKOOP_IMAP_URL " +
	"(ex. imaps://documents%40occe31.fr:MOTDEPASSE@imap.example.org/INBOX) ou configurez la boîte de l'AD " +
	"dans l'application (Courrier reçu → Boîte aux lettres, administrateur de l'AD)")

// mailboxes lists the mailboxes to poll now.
func (a *Worker) Mailboxes(ctx context.Context) ([]mailbox, error) {
	sys := a.DB.System()
	rows, err := sys.Mailboxes(ctx)
	if err != nil {
		return nil, err
	}
	var out []mailbox
	configured := map[int64]bool{}
	for _, r := range rows {
		configured[r.ADID] = true
		if !r.Enabled {
			continue
		}
		box, err := ParseMailbox(r.URL, r.Processed)
		if err != nil {
			// One AD's broken setting must not stop the others' mail.
			a.Log.Error("mailbox of the AD ignored", "ad_id", r.ADID, "error", err)
			continue
		}
		out = append(out, mailbox{adID: r.ADID, box: box, from: "application"})
	}
	if a.Cfg.IMAPURL != "" {
		box, err := mailin.ParseURL(a.Cfg.IMAPURL)
		if err != nil {
			return nil, fmt.Errorf("RETKOOP_IMAP_URL : %w", err)
		}
		adID, err := a.DefaultADID(ctx)
		if err != nil {
			return nil, err
		}
		switch {
		case adID == 0:
			a.Log.Warn("RETKOOP_IMAP_URL is set but there is no AD yet: mailbox not polled")
		case !configured[adID]:
			out = append(out, mailbox{adID: adID, box: box, from: "RETKOOP_IMAP_URL"})
		}
	}
	for i := range out {
		if out[i].box.Address == "" {
			// The published address of the AD's reminders, whose local
			// part prefixes their reply tokens.
			set, err := sys.MailSettings(ctx, out[i].adID)
			if err != nil {
				return nil, err
			}
			out[i].box.Address = strings.ToLower(set.Mailbox)
		}
	}
	return out, nil
}

// parseMailbox reads a configured mailbox URL; processed, when set,
// overrides the URL's &processed=.
func ParseMailbox(raw, processed string) (mailin.Mailbox, error) {
	box, err := mailin.ParseURL(raw)
	if err != nil {
		return mailin.Mailbox{}, err
	}
	if processed = strings.TrimSpace(processed); processed != "" {
		if strings.EqualFold(processed, box.Name) {
			return mailin.Mailbox{}, fmt.Errorf("le dossier des messages traités ne peut pas être la boîte relevée (%s)", box.Name)
		}
		box.Processed = processed
	}
	return box, nil
}

// redactURL is a mailbox URL without its password, safe to show and log.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(adresse illisible)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// poller builds the poller of one mailbox, on the app's database.
func (a *Worker) poller(m mailbox) *mailin.Poller {
	sys := a.DB.System()
	return &mailin.Poller{
		Mailbox:       m.box,
		Directory:     mailDirectory{a: a, in: sys.MailIn(m.adID)},
		State:         mailState{sys: sys},
		Sink:          &mailSink{a: a, adID: m.adID, box: m.box},
		Lease:         mailLease{sys: sys},
		MaxAttachment: a.Cfg.MaxAttachment,
		TempDir:       a.mailTempDir(),
		Logger:        a.Log.With("ad_id", m.adID),
	}
}

// mailTempDir is where messages are spooled: under the data directory, so
// that it is on the same disk as the documents.
func (a *Worker) mailTempDir() string { return filepath.Join(a.Cfg.DataDir, "mailin", "tmp") }

// staleSpool is the age after which a spooled message is left over by a
// process that was killed (a live poller removes its own at once).
const staleSpool = 24 * time.Hour

// cleanSpool creates the spool directory and removes what killed
// processes left in it.
func (a *Worker) cleanSpool(age time.Duration) error {
	dir := a.mailTempDir()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("mailin spool: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("mailin spool: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// pollMail runs one pass over every mailbox: retries asked for by the
// staff are put back first, then every new message is handled; report gets
// one Result per message. A mailbox that fails does not stop the others.
func (a *Worker) PollMail(ctx context.Context, boxes []mailbox, prepare func(*mailin.Poller), report func(mailin.Result)) error {
	if err := a.cleanSpool(staleSpool); err != nil {
		return err
	}
	var errs []error
	for _, m := range boxes {
		if err := a.putBackRetries(ctx, m); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.box.Key(), err))
		}
		p := a.poller(m)
		p.Report = report
		if prepare != nil {
			prepare(p)
		}
		if _, err := p.RunOnce(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.box.Key(), err))
		}
	}
	return errors.Join(errs...)
}

// mailinLoop is the worker of `serve` and `mailin`: a pass every interval
// until ctx ends. The list of mailboxes is read at every pass, so that a
// mailbox an admin configures is polled without a restart.
func (a *Worker) MailinLoop(interval time.Duration, report func(mailin.Result)) func(context.Context) {
	return func(ctx context.Context) {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			boxes, err := a.Mailboxes(ctx)
			if err == nil {
				err = a.PollMail(ctx, boxes, nil, report)
			}
			if err != nil && ctx.Err() == nil {
				a.Log.Error("mailin pass", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}

// mailinWorkers returns the mail-in loop of `serve`. It always runs: with
// nothing configured a pass is one query, and a mailbox configured later
// in the app is picked up without a restart.
func (a *Worker) MailinWorkers() []func(context.Context) {
	return []func(context.Context){a.MailinLoop(a.Cfg.IMAPInterval, a.logMailResult)}
}

// logMailResult logs a message handled by the poller inside serve.
func (a *Worker) logMailResult(r mailin.Result) {
	a.Log.Info("mail handled", "uid", r.UID, "message_id", r.MessageID, "uai", r.UAI, "type", r.Type, "issue", r.Issue, "documents", r.Documents)
}

// mailDirectory answers mailin's "who sent this?" within one AD.
type mailDirectory struct {
	a  *Worker
	in *store.MailIn
}

func (d mailDirectory) CoopByUAI(ctx context.Context, uai string) (mailin.Coop, bool, error) {
	co, err := d.in.CoopByUAI(ctx, uai)
	return found(co, err)
}

// CoopByToken checks a reminder's reply token with the app's secret; a
// token of another AD's coop is not found.
func (d mailDirectory) CoopByToken(ctx context.Context, token string) (mailin.Coop, bool, error) {
	coopID, _, ok := workflow.ParseToken(d.a.Cfg.Secret, token)
	if !ok {
		return mailin.Coop{}, false, nil
	}
	co, err := d.in.CoopByID(ctx, coopID)
	return found(co, err)
}

func (d mailDirectory) CoopsByEmail(ctx context.Context, email string) ([]mailin.Coop, error) {
	coops, err := d.in.CoopsByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	out := make([]mailin.Coop, len(coops))
	for i, c := range coops {
		out[i] = mailin.Coop{ID: c.ID, UAI: c.UAI}
	}
	return out, nil
}

func found(co *store.Coop, err error) (mailin.Coop, bool, error) {
	switch {
	case errors.Is(err, fault.ErrNotFound):
		return mailin.Coop{}, false, nil
	case err != nil:
		return mailin.Coop{}, false, err
	}
	return mailin.Coop{ID: co.ID, UAI: co.UAI}, true, nil
}

// mailState is the read side of the ledger.
type mailState struct{ sys *store.System }

func (s mailState) LastUID(ctx context.Context, mailbox string, uidValidity uint32) (uint32, error) {
	last, err := s.sys.LastUID(ctx, mailbox, int64(uidValidity))
	return uint32(last), err
}

func (s mailState) Recorded(ctx context.Context, mailbox string, uidValidity, uid uint32) (bool, error) {
	return s.sys.MailRecorded(ctx, mailbox, int64(uidValidity), int64(uid))
}

func (s mailState) MessageIDRecorded(ctx context.Context, mailbox, messageID string) (bool, error) {
	return s.sys.MessageIDRecorded(ctx, mailbox, messageID)
}

// mailLease is the leases table (the one the scheduler and the outbox
// sender use).
type mailLease struct{ sys *store.System }

func (l mailLease) TryAcquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	return l.sys.TryLease(ctx, name, holder, ttl)
}

func (l mailLease) Renew(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	return l.sys.RenewLease(ctx, name, holder, ttl)
}

func (l mailLease) Release(ctx context.Context, name, holder string) error {
	return l.sys.ReleaseLease(ctx, name, holder)
}

var (
	_ mailin.Directory = mailDirectory{}
	_ mailin.State     = mailState{}
	_ mailin.Lease     = mailLease{}
	_ mailin.Sink      = (*mailSink)(nil)
)
