package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"retkoop/app/config"
	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/worker"
	"retkoop/mailin"
	"retkoop/workflow"
)

// The staff's view of mail-in: French labels, the rows of the triage and
// of the ledger, the mailbox settings (assigning a file in triage to a
// coop's dossier is service.AssignMailFile).

// issueChoice is an outcome of a message in the ledger's filter.
type issueChoice struct{ Key, Label string }

// mailIssues are the outcomes of a message, in the ledger's filter order.
var mailIssues = []issueChoice{
	{store.MailStored, "Classé"},
	{store.MailDuplicate, "Doublon"},
	{store.MailUnmatched, "Coopérative inconnue"},
	{store.MailNoAttachment, "Sans document"},
	{store.MailRejected, "Refusé"},
	{store.MailFailedIssue, "Échec"},
}

func issueLabel(issue string) string {
	for _, c := range mailIssues {
		if c.Key == issue {
			return c.Label
		}
	}
	return issue
}

// mailItems are the dossier items a mailed file can go to.
var mailItems = []workflow.ItemKey{workflow.Quitus, workflow.Releve, workflow.Justificatifs}

// itemChoice is an option of the item select.
type itemChoice struct {
	Key, Label string
	Selected   bool
}

// mailRowView is a ledger row as the staff read it.
type mailRowView struct {
	store.MailEntry
	IssueLabel string
	TypeLabel  string
	Retryable  bool // failed, kept, not retried yet
	Files      []fileView
}

// fileView is a file of a message.
type fileView struct {
	store.MailAttachment
	StatusLabel string
	ItemLabel   string
	SizeLabel   string
	URL         string // "" when the bytes were not kept
	PDF, Image  bool
	// For a file in triage: the assign form's defaults.
	UAI   string
	Items []itemChoice
}

func newMailRow(e store.MailEntry, atts []store.MailAttachment) mailRowView {
	r := mailRowView{MailEntry: e, IssueLabel: issueLabel(e.Issue),
		Retryable: e.Issue == store.MailFailedIssue && e.RawSHA256 != "" && e.Retry == ""}
	if e.DocType != "" {
		r.TypeLabel = workflow.ItemKey(e.DocType).Label()
	}
	uai := e.CoopUAI
	if uai == "" {
		uai = e.SuggestedUAI
	}
	for _, at := range atts {
		f := fileView{MailAttachment: at, StatusLabel: service.AttachmentLabel(at.Status), SizeLabel: docstore.HumanSize(at.Size), UAI: uai}
		if at.Item != "" {
			f.ItemLabel = workflow.ItemKey(at.Item).Label()
		}
		if at.SHA256 != "" && at.Status != store.AttachmentRejected {
			f.URL = fmt.Sprintf("/ad/courrier/pieces/%d", at.ID)
			f.PDF, f.Image = at.MIME == "application/pdf", at.MIME == "image/jpeg" || at.MIME == "image/png"
		}
		if at.Status == store.AttachmentTriage {
			want := at.DocType
			if want == "" {
				want = e.DocType
			}
			for _, k := range mailItems {
				f.Items = append(f.Items, itemChoice{Key: string(k), Label: k.Label(), Selected: string(k) == want})
			}
		}
		r.Files = append(r.Files, f)
	}
	return r
}

// mailLedgerFilter reads the ledger's filters from the query string (dates
// are days, fr.Paris time, "au" included).
func mailLedgerFilter(box, issue, from, to string) (store.MailFilter, error) {
	f := store.MailFilter{Mailbox: box}
	for _, c := range mailIssues {
		if c.Key == issue {
			f.Issue = issue
		}
	}
	day := func(s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, fr.Paris)
		if err != nil {
			return time.Time{}, fault.Invalidf("Date « %s » invalide (AAAA-MM-JJ).", s)
		}
		return t, nil
	}
	var err error
	if f.From, err = day(from); err != nil {
		return f, err
	}
	if f.To, err = day(to); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	return f, nil
}

// mailboxView is the admin's page of the AD's mailbox. The password is
// never part of it.
type mailboxView struct {
	Configured bool
	Redacted   string
	Processed  string
	Enabled    bool
	// Default is RETKOOP_IMAP_URL when it applies to this AD and no mailbox
	// is configured in the app.
	Default string
	Notice  string
}

// mailboxSettings builds the admin's view of the AD's mailbox.
func (a *Handler) mailboxSettings(ctx context.Context, ad *store.ADScope) (mailboxView, error) {
	v := mailboxView{Processed: mailin.DefaultProcessed, Enabled: true}
	cfg, err := ad.MailboxConfig(ctx)
	switch {
	case err == nil:
		v.Configured, v.Redacted, v.Processed, v.Enabled = true, worker.RedactURL(cfg.URL), cfg.Processed, cfg.Enabled
	case !errors.Is(err, fault.ErrNotFound):
		return v, err
	}
	if a.Cfg.IMAPURL != "" && !v.Configured {
		first, err := a.DefaultADID(ctx)
		if err != nil {
			return v, err
		}
		if first == ad.ID() {
			v.Default = worker.RedactURL(a.Cfg.IMAPURL)
		}
	}
	return v, nil
}

// saveMailbox checks and saves the AD's mailbox. An empty URL keeps the
// saved one (whose password the page never shows).
func (a *Handler) saveMailbox(ctx context.Context, ad *store.ADScope, rawURL, processed string, enabled bool) error {
	rawURL, processed = strings.TrimSpace(rawURL), strings.TrimSpace(processed)
	if processed == "" {
		processed = mailin.DefaultProcessed
	}
	check := rawURL
	if check == "" {
		cur, err := ad.MailboxConfig(ctx)
		if errors.Is(err, fault.ErrNotFound) {
			return fault.Invalidf("Indiquez l'adresse de la boîte aux lettres (imaps://utilisateur:motdepasse@serveur/INBOX).")
		}
		if err != nil {
			return err
		}
		check = cur.URL
	}
	if err := config.ValidateMailURL(check, "imap", "Adresse de la boîte"); err != nil {
		return fault.Invalidf("%s", err.Error())
	}
	if _, err := worker.ParseMailbox(check, processed); err != nil {
		return fault.Invalidf("Adresse de la boîte invalide : %s", strings.TrimPrefix(err.Error(), "parse imap url: "))
	}
	return ad.SetMailboxConfig(ctx, store.MailboxConfig{URL: rawURL, Processed: processed, Enabled: enabled}, worker.RedactURL(check))
}
