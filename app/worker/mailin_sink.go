package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/mail"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/mailin"
	"retkoop/workflow"
)

// mailSink records what mailin parsed, for one AD's mailbox. Store writes,
// in one transaction: the ledger row, each accepted file as a document of
// the coop attached to its dossier item through ReceiveDocument (source
// mail), the files to triage, and the acknowledgement in the outbox. The
// bytes go to the content-addressed docstore first, outside the
// transaction: a rollback leaves at worst a file nobody references yet,
// which the next attempt finds in place.
type mailSink struct {
	a    *Worker
	adID int64
	box  mailin.Mailbox

	mailer *service.Mailer // parsed once per poller (one pass)
}

// excerptLen bounds the text kept for the triage.
const excerptLen = 1500

// keptFile is an accepted file once in the docstore.
type keptFile struct {
	doc      mailin.Document
	stored   docstore.Stored
	rejected string // the docstore refused it after all
}

// Store implements mailin.Sink.
func (s *mailSink) Store(ctx context.Context, msg *mailin.Message) (mailin.Issue, error) {
	files, err := s.keepFiles(msg)
	if err != nil {
		return "", err
	}
	raw := ""
	if msg.Issue == mailin.IssueFailed && msg.RawPath != "" {
		// Kept so that the staff can have it handled again once the cause
		// is fixed.
		if raw, err = s.a.keepRawMessage(msg.RawPath); err != nil {
			return "", err
		}
	}
	snd, err := s.sender(ctx)
	if err != nil {
		return "", err
	}
	var final mailin.Issue
	err = s.a.DB.System().MailIn(s.adID).Tx(ctx, func(tx *store.MailIn) error {
		entry := ledgerEntry(msg)
		entry.RawSHA256 = raw
		if err := tx.RecordMessage(ctx, entry); err != nil {
			if errors.Is(err, store.ErrMailRecorded) {
				return mailin.ErrRecorded
			}
			return err
		}
		h := &handling{s: s, tx: tx, msg: msg, entry: entry}
		if err := h.files(ctx, files); err != nil {
			return err
		}
		if err := h.suggest(ctx); err != nil {
			return err
		}
		final = h.issue()
		entry.Issue = string(final)
		if err := tx.FinishMessage(ctx, entry); err != nil {
			return err
		}
		return h.acknowledge(ctx, snd, final)
	})
	if err != nil {
		return "", err
	}
	return final, nil
}

// keepFiles puts the accepted files of a stored or unmatched message in
// the docstore.
func (s *mailSink) keepFiles(msg *mailin.Message) ([]keptFile, error) {
	var out []keptFile
	if msg.Issue != mailin.IssueStored && msg.Issue != mailin.IssueUnmatched {
		return nil, nil
	}
	docs := s.a.Docs()
	for _, d := range msg.Accepted() {
		st, err := docs.PutFile(d.Path)
		switch {
		case errors.Is(err, docstore.ErrType), errors.Is(err, docstore.ErrTooLarge), errors.Is(err, docstore.ErrEmpty):
			out = append(out, keptFile{doc: d, rejected: err.Error()})
		case err != nil:
			return nil, fmt.Errorf("keep %s: %w", d.Name, err)
		default:
			out = append(out, keptFile{doc: d, stored: st})
		}
	}
	return out, nil
}

// sender is the AD as the author of the acknowledgement, read before the
// transaction starts.
func (s *mailSink) sender(ctx context.Context) (*service.Sender, error) {
	if s.mailer == nil {
		m, err := s.a.NewMailer()
		if err != nil {
			return nil, err
		}
		s.mailer = m
	}
	return s.mailer.Sender(ctx, s.adID)
}

// ledgerEntry is the ledger row of a parsed message, before its files.
func ledgerEntry(msg *mailin.Message) *store.MailEntry {
	e := &store.MailEntry{Mailbox: msg.Mailbox, UIDValidity: int64(msg.UIDValidity), UID: int64(msg.UID),
		MessageID: msg.MessageID, From: msg.From, FromName: msg.FromName, Subject: msg.Subject,
		Excerpt: Excerpt(msg.Text, excerptLen), MatchedBy: msg.MatchedBy, Exercice: msg.Exercice, DocType: msg.Type,
		Issue: string(msg.Issue), Reason: msg.Reason, Documents: len(msg.Accepted()), Automatic: msg.Automatic,
		ReceivedAt: msg.Date.UTC()}
	if msg.Coop.ID != 0 {
		id := msg.Coop.ID
		e.CoopID = &id
	}
	if msg.Issue != mailin.IssueStored && msg.Issue != mailin.IssueUnmatched {
		e.Documents = 0
	}
	return e
}

// excerpt returns the beginning of a text, cut on a rune boundary.
func Excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// handling is one message inside the sink's transaction.
type handling struct {
	s     *mailSink
	tx    *store.MailIn
	msg   *mailin.Message
	entry *store.MailEntry

	coop     *store.CoopScope // nil when unmatched
	coopRow  *store.Coop
	exercice string
	exErr    error
	exDone   bool

	atts []store.MailAttachment
}

// files records every file of the message: the rejected ones with their
// reason, the accepted ones attached, duplicated or sent to triage.
func (h *handling) files(ctx context.Context, files []keptFile) error {
	for _, d := range h.msg.Documents {
		if d.Rejected != "" {
			if err := h.add(ctx, attachmentOf(d, store.AttachmentRejected, d.Rejected)); err != nil {
				return err
			}
		}
	}
	if h.msg.Coop.ID != 0 {
		cs, err := h.tx.Coop(ctx, h.msg.Coop.ID)
		if err != nil && !errors.Is(err, fault.ErrNotFound) {
			return err
		}
		if cs != nil {
			if h.coopRow, err = cs.Coop(ctx); err != nil {
				return err
			}
			h.coop = cs
		}
	}
	for _, f := range files {
		if err := h.file(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// file attaches one accepted file: to its item when the coop and the type
// are known, else to the triage.
func (h *handling) file(ctx context.Context, f keptFile) error {
	if f.rejected != "" {
		return h.add(ctx, attachmentOf(f.doc, store.AttachmentRejected, f.rejected))
	}
	at := attachmentOf(f.doc, store.AttachmentTriage, "")
	at.MIME, at.Size, at.SHA256 = f.stored.MIME, f.stored.Size, f.stored.SHA256
	if h.coop == nil {
		at.Reason = "coopérative non reconnue"
		return h.add(ctx, at)
	}
	coopID := h.coop.ID()
	at.CoopID = &coopID
	doc, _, err := h.coop.AddDocument(ctx, f.stored, f.doc.Name, string(workflow.SourceMail))
	if err != nil {
		return err
	}
	at.DocumentID = &doc.ID
	item, err := workflow.ParseItemKey(f.doc.Type)
	if err != nil || item.IsStep() {
		at.Reason = "type de document non reconnu"
		return h.add(ctx, at)
	}
	ex, err := h.currentExercice(ctx)
	if err != nil {
		at.Reason = "aucun dossier ouvert pour cette coopérative"
		if !errors.Is(err, fault.ErrNotFound) {
			return err
		}
		return h.add(ctx, at)
	}
	r, err := h.s.a.ReceiveDocument(ctx, h.coop, ex, item, workflow.SourceMail, doc)
	if err != nil {
		msg, user := fault.Message(err)
		if !user || errors.Is(err, store.ErrDossierChanged) {
			return err
		}
		// The dossier refuses it (validated, item already accepted…):
		// the staff decide.
		at.Reason = msg
		return h.add(ctx, at)
	}
	at.Exercice, at.Item, at.Status = ex, string(r.Item), store.AttachmentStored
	if r.Duplicate {
		at.Status = store.AttachmentDuplicate
	}
	return h.add(ctx, at)
}

// currentExercice is the dossier mailed documents go to: the exercice of
// the QR code when the coop has it, else the coop's current one.
func (h *handling) currentExercice(ctx context.Context) (string, error) {
	if !h.exDone {
		h.exercice, h.exErr = h.s.a.MailExercice(ctx, h.coop, h.msg.Exercice)
		h.exDone = true
	}
	return h.exercice, h.exErr
}

func (h *handling) add(ctx context.Context, at store.MailAttachment) error {
	at.LedgerID = h.entry.ID
	if err := h.tx.AddAttachment(ctx, &at); err != nil {
		return err
	}
	h.atts = append(h.atts, at)
	return nil
}

func attachmentOf(d mailin.Document, status, reason string) store.MailAttachment {
	return store.MailAttachment{Name: d.Name, MIME: d.ContentType, Size: d.Size, SHA256: d.SHA256,
		DocType: d.Type, Status: status, Reason: reason}
}

// issue is the message's final outcome: a stored message whose every file
// the dossier already had is a duplicate; one whose every file the
// docstore refused after all is rejected.
func (h *handling) issue() mailin.Issue {
	issue := h.msg.Issue
	if issue != mailin.IssueStored && issue != mailin.IssueUnmatched {
		return issue
	}
	dup, rejected, accepted := 0, 0, 0
	for _, at := range h.atts {
		switch at.Status {
		case store.AttachmentRejected:
			rejected++
		case store.AttachmentDuplicate:
			dup++
			accepted++
		default:
			accepted++
		}
	}
	switch {
	case accepted == 0 && rejected > 0:
		return mailin.IssueRejected
	case issue == mailin.IssueStored && dup == accepted && accepted > 0:
		return mailin.IssueDuplicate
	}
	return issue
}

// suggest proposes a coop for a message whose files wait in the triage
// without one.
func (h *handling) suggest(ctx context.Context) error {
	if h.coop != nil {
		return nil
	}
	waiting := false
	var names []string
	for _, at := range h.atts {
		waiting = waiting || at.Status == store.AttachmentTriage
		names = append(names, at.Name)
	}
	if !waiting {
		return nil
	}
	coops, err := h.tx.Coops(ctx)
	if err != nil {
		return err
	}
	in := service.SuggestInput{From: h.msg.From, FromName: h.msg.FromName, Subject: h.msg.Subject, Text: h.msg.Text, Names: names}
	if id, ok := service.SuggestCoop(in, coops); ok {
		h.entry.SuggestedCoopID = &id
	}
	return nil
}

// ackFile is one file as the acknowledgement lists it.
type ackFile struct{ Name, Label, Reason string } // Reason: why it was refused

// ackView is the data of the acknowledgement (templates/mail/accuse_reception.*).
type ackView struct {
	Name, Subject string
	Date          time.Time
	Matched       bool
	CoopName, UAI string
	Exercice      string
	Filed         []ackFile
	Already       []ackFile
	Triage        []ackFile
	Rejected      []ackFile
	NoDocument    bool
	Contact       string // the AD's address, for questions
	MaxSize       string
	Missing       []workflow.MissingItem
	Corrections   []workflow.OpenCorrection
}

// ackTemplate is the acknowledgement's template and the outbox's kind.
const ackTemplate = store.MailAck

// acknowledge queues the acknowledgement of the message, under a key
// derived from its ledger key so that it is queued once. Robots
// (auto-replies, bounces), messages seen before and messages that could not
// be read get none; nor does the AD's own address.
func (h *handling) acknowledge(ctx context.Context, snd *service.Sender, issue mailin.Issue) error {
	msg := h.msg
	from := strings.ToLower(msg.From)
	switch {
	case msg.Automatic, from == "", issue == mailin.IssueFailed, msg.Issue == mailin.IssueDuplicate,
		from == strings.ToLower(h.s.box.Address), from == strings.ToLower(h.s.box.Username),
		from == strings.ToLower(mail.Address(snd.From())):
		return nil
	}
	v := ackView{Name: msg.FromName, Subject: msg.Subject, Date: msg.Date, Contact: mail.Address(snd.From()),
		MaxSize: docstore.HumanSize(h.s.a.Cfg.MaxAttachment), NoDocument: issue == mailin.IssueNoAttachment}
	for _, at := range h.atts {
		f := ackFile{Name: at.Name, Reason: at.Reason}
		if at.Item != "" {
			f.Label = workflow.ItemKey(at.Item).Label()
		}
		switch at.Status {
		case store.AttachmentStored:
			v.Filed = append(v.Filed, f)
		case store.AttachmentDuplicate:
			v.Already = append(v.Already, f)
		case store.AttachmentTriage:
			v.Triage = append(v.Triage, f)
		case store.AttachmentRejected:
			v.Rejected = append(v.Rejected, f)
		}
	}
	if issue == mailin.IssueRejected && len(v.Rejected) == 0 && msg.Reason != "" {
		v.Rejected = append(v.Rejected, ackFile{Name: "votre message", Reason: msg.Reason})
	}
	var coopID *int64
	replyTo := ""
	if h.coop != nil {
		id := h.coop.ID()
		coopID = &id
		v.Matched, v.CoopName, v.UAI = true, h.coopRow.Name, h.coopRow.UAI
		if ex, err := h.currentExercice(ctx); err == nil {
			row, d, err := h.coop.Dossier(ctx, ex)
			if err != nil {
				return err
			}
			content := workflow.ReminderContent(d)
			v.Exercice, v.Missing, v.Corrections = ex, content.Missing, content.Corrections
			replyTo, _ = snd.ReplyTo(h.s.a.Cfg.Secret, id, row.CampaignID)
		} else if !errors.Is(err, fault.ErrNotFound) {
			return err
		}
	}
	out, err := h.s.mailer.Compose(snd, ackTemplate, v)
	if err != nil {
		return err
	}
	out.Kind, out.To, out.ReplyTo = store.MailAck, msg.From, replyTo
	out.Key = fmt.Sprintf("mailin-ack:%s:%d:%d", msg.Mailbox, msg.UIDValidity, msg.UID)
	out.Detail = ackDetail(v)
	_, err = h.tx.QueueMail(ctx, coopID, out)
	return err
}

// ackDetail is the staff's one-line summary of an acknowledgement.
func ackDetail(v ackView) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(len(v.Filed), "classé(s)")
	add(len(v.Already), "déjà reçu(s)")
	add(len(v.Triage), "à classer")
	add(len(v.Rejected), "refusé(s)")
	if v.NoDocument {
		parts = append(parts, "aucun document")
	}
	return "Accusé de réception — " + strings.Join(parts, ", ")
}
