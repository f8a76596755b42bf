package web

import (
	"context"
	"errors"
	"fmt"
	"os"
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
// of the ledger, and assigning a file in triage to a coop's dossier.

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

var attachmentLabels = map[string]string{
	store.AttachmentStored:    "Classé",
	store.AttachmentDuplicate: "Déjà reçu",
	store.AttachmentTriage:    "À classer",
	store.AttachmentRejected:  "Refusé",
	store.AttachmentDismissed: "Écarté",
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
		f := fileView{MailAttachment: at, StatusLabel: attachmentLabels[at.Status], SizeLabel: docstore.HumanSize(at.Size), UAI: uai}
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

// assignMailFile files a file in triage into an item of a coop's dossier,
// in one transaction: the coop's document (created now for an unmatched
// message), the dossier's DocumentReceived (source mail, stamped with the
// staff member), and the triage row resolved. Assigning it again to the
// same coop and item changes nothing. element is the item's key.
func (a *Handler) assignMailFile(ctx context.Context, ad *store.ADScope, fileID int64, uai, element string) (service.Receipt, error) {
	at, err := ad.MailAttachment(ctx, fileID)
	if err != nil {
		return service.Receipt{}, err
	}
	item, err := workflow.ParseItemKey(element)
	if err != nil || item.IsStep() {
		return service.Receipt{}, fault.Invalidf("Choisissez l'élément du dossier auquel ce document correspond.")
	}
	uai = strings.ToUpper(strings.TrimSpace(uai))
	co, err := ad.CoopByUAI(ctx, uai)
	if errors.Is(err, fault.ErrNotFound) {
		return service.Receipt{}, fault.Invalidf("Aucune coopérative de votre AD n'a l'UAI « %s ».", uai)
	}
	if err != nil {
		return service.Receipt{}, err
	}
	switch at.Status {
	case store.AttachmentTriage:
	case store.AttachmentStored, store.AttachmentDuplicate:
		if at.CoopID != nil && *at.CoopID == co.ID && at.Item == string(item) {
			return service.Receipt{Item: item, Duplicate: true, ReceivedAt: at.ResolvedAt}, nil
		}
		return service.Receipt{}, fault.Invalidf("Ce document est déjà classé (%s).", workflow.ItemKey(at.Item).Label())
	default:
		return service.Receipt{}, fault.Invalidf("Ce document ne peut plus être classé (%s).", strings.ToLower(attachmentLabels[at.Status]))
	}
	if _, err := os.Stat(a.Docs().Path(at.SHA256)); err != nil {
		return service.Receipt{}, fault.Invalidf("Le fichier « %s » n'est plus disponible sur le serveur.", at.Name)
	}
	entry, _, err := ad.MailMessage(ctx, at.LedgerID)
	if err != nil {
		return service.Receipt{}, err
	}
	var r service.Receipt
	err = ad.Tx(ctx, func(tx *store.ADScope) error {
		cs, err := tx.Coop(ctx, co.ID)
		if err != nil {
			return err
		}
		var doc *store.Document
		if at.DocumentID != nil && at.CoopID != nil && *at.CoopID == co.ID {
			doc, err = cs.Document(ctx, *at.DocumentID)
		} else {
			doc, _, err = cs.AddDocument(ctx, docstore.Stored{SHA256: at.SHA256, Size: at.Size, MIME: at.MIME}, at.Name, string(workflow.SourceMail))
		}
		if err != nil {
			return err
		}
		ex, err := a.MailExercice(ctx, cs, entry.Exercice)
		if errors.Is(err, fault.ErrNotFound) {
			return fault.Invalidf("La coopérative %s n'a aucun exercice : créez-le avant d'y classer un document.", co.UAI)
		}
		if err != nil {
			return err
		}
		if r, err = a.ReceiveDocument(ctx, cs, ex, item, workflow.SourceMail, doc); err != nil {
			return err
		}
		status := store.AttachmentStored
		if r.Duplicate {
			status = store.AttachmentDuplicate
		}
		ok, err := tx.ResolveAttachment(ctx, at.ID, co.ID, doc.ID, ex, string(r.Item), status)
		if err != nil {
			return err
		}
		if !ok {
			return fault.Invalidf("Ce document vient d'être classé par quelqu'un d'autre : rechargez la page.")
		}
		return nil
	})
	return r, err
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
