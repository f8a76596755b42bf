package service

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"retkoop/app/mail"
	"retkoop/app/store"
	"retkoop/templates"
	"retkoop/workflow"
)

// mailer composes the outbound mails of one request or one scheduler pass:
// the parsed mail templates and the sender identity of each AD met.
type Mailer struct {
	a       *Service
	tpl     *mail.Templates
	senders map[int64]*Sender
}

// sender is an AD as the author of mail: its identity in the text, its
// From header, and the mailbox whose replies mail-in files.
type Sender struct {
	adID     int64
	identity mail.Identity
	from     string
	mailbox  string
}

// From is the sender address of the mails (the AD's identity, else RETKOOP_MAIL_FROM).
func (s *Sender) From() string { return s.from }

// Mailbox is the address replies go to (the AD's published mailbox), if any.
func (s *Sender) Mailbox() string { return s.mailbox }

// MailerFor is a new Mailer with the AD's Sender: what composing one mail
// of an AD needs.
func (a *Service) MailerFor(ctx context.Context, adID int64) (*Mailer, *Sender, error) {
	m, err := a.NewMailer()
	if err != nil {
		return nil, nil, err
	}
	s, err := m.Sender(ctx, adID)
	if err != nil {
		return nil, nil, err
	}
	return m, s, nil
}

// NewMailer parses the mail templates (a few hundred microseconds: done
// once per request or per scheduler pass, not per mail).
func (a *Service) NewMailer() (*Mailer, error) {
	sub, err := fs.Sub(templates.FS, "mail")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	tpl, err := mail.Load(sub, a.Cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	return &Mailer{a: a, tpl: tpl, senders: map[int64]*Sender{}}, nil
}

// sender returns the AD's identity: its name, its own signature and From
// address when an admin set them (else RETKOOP_MAIL_FROM), and its reply
// mailbox. The mailbox is the AD's setting; for the default AD (the first
// created) without one, it is the address of RETKOOP_IMAP_URL (its
// &address= parameter, or its user when that is an e-mail address).
func (m *Mailer) Sender(ctx context.Context, adID int64) (*Sender, error) {
	if s, ok := m.senders[adID]; ok {
		return s, nil
	}
	scope, err := m.a.DB.ForAD(ctx, adID, nil)
	if err != nil {
		return nil, err
	}
	ad, err := scope.AD(ctx)
	if err != nil {
		return nil, err
	}
	set, err := scope.MailSettings(ctx)
	if err != nil {
		return nil, err
	}
	s := &Sender{adID: adID, identity: mail.Identity{Name: ad.Name, Signature: set.Signature},
		from: set.From, mailbox: set.Mailbox}
	if s.from == "" {
		s.from = m.a.Cfg.MailFrom
	}
	if s.mailbox == "" && m.a.Cfg.IMAPURL != "" {
		first, err := m.a.DefaultADID(ctx)
		if err != nil {
			return nil, err
		}
		if first == adID {
			s.mailbox = mail.MailboxFromIMAPURL(m.a.Cfg.IMAPURL)
		}
	}
	m.senders[adID] = s
	return s, nil
}

// defaultADID is the AD that the RETKOOP_* mail variables configure: the
// first one created.
func (a *Service) DefaultADID(ctx context.Context) (int64, error) {
	ads, err := a.DB.System().ADs(ctx)
	if err != nil {
		return 0, err
	}
	var first int64
	for _, ad := range ads {
		if first == 0 || ad.ID < first {
			first = ad.ID
		}
	}
	return first, nil
}

// replyTo is the Reply-To of a mail about a coop's dossier: the AD's
// mailbox with the coop's token (documents+TOKEN@…), so that a reply with
// attachments is filed by mail-in; without a mailbox, the AD's address.
func (s *Sender) ReplyTo(secret []byte, coopID, campaignID int64) (addr string, filed bool) {
	if s.mailbox != "" && len(secret) > 0 {
		if r := mail.ReplyAddress(s.mailbox, workflow.Token(secret, coopID, campaignID)); r != "" {
			return r, true
		}
	}
	return mail.Address(s.from), false
}

// compose renders the mail name for the AD into an outbox mail (To, Kind
// and Key are the caller's).
func (m *Mailer) Compose(s *Sender, name string, data any) (store.OutboxMail, error) {
	c, err := m.tpl.Render(name, s.identity, data)
	if err != nil {
		return store.OutboxMail{}, err
	}
	return store.OutboxMail{From: s.from, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}

// reminderMail composes the reminder of a coop's dossier: exactly the
// missing items and the open corrections, and the Reply-To that files the
// answer.
func (m *Mailer) ReminderMail(ctx context.Context, co *store.Coop, camp workflow.Campaign, d workflow.Dossier, late bool) (store.OutboxMail, workflow.Reminder, error) {
	s, err := m.Sender(ctx, co.ADID)
	if err != nil {
		return store.OutboxMail{}, workflow.Reminder{}, err
	}
	content := workflow.ReminderContent(d)
	replyTo, filed := s.ReplyTo(m.a.Cfg.Secret, co.ID, camp.ID)
	v := mail.ReminderView{CoopName: co.Name, UAI: co.UAI, Mandataire: co.MandataireName, Exercice: camp.Exercice,
		Deadline: camp.Deadline, Late: late, Missing: content.Missing, Corrections: content.Corrections}
	if filed {
		v.ReplyTo = replyTo
	}
	out, err := m.Compose(s, mail.Reminder, v)
	if err != nil {
		return store.OutboxMail{}, workflow.Reminder{}, err
	}
	out.Kind, out.To, out.ReplyTo = store.MailReminder, co.MandataireEmail, replyTo
	return out, content, nil
}

// reminderDetail is the staff's one-line summary of a reminder.
func ReminderDetail(rule string, r workflow.Reminder) string {
	var parts []string
	for _, it := range r.Missing {
		parts = append(parts, it.Label)
	}
	for _, c := range r.Corrections {
		parts = append(parts, "à corriger : "+c.Label)
	}
	return "Relance " + rule + " — " + strings.Join(parts, " ; ")
}

// smtpConfigured reports whether mail leaves the outbox at all.
func (a *Service) SMTPConfigured() bool { return a.Cfg.SMTPURL != "" }
