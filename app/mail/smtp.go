package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"retkoop/mailin"
)

// Relay is the SMTP server mail goes out through (RETKOOP_SMTP_URL).
type Relay struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "starttls" (smtp://, the default: STARTTLS is required),
	// "tls" (smtps:// or ?tls=tls: TLS from the first byte) or "none"
	// (plain text, loopback hosts only: tests and a local relay).
	TLS string
}

// ParseRelay reads smtp://user:pass@host:port?tls=starttls|tls|none (or
// smtps://…). Default ports: 587 for STARTTLS, 465 for TLS, 25 for none.
// The error never repeats the URL, which holds a password.
func ParseRelay(raw string) (Relay, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return Relay{}, errors.New("parse smtp url: malformed URL (expected smtp://user:pass@host:port)")
	}
	r := Relay{Host: u.Hostname(), TLS: "starttls"}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		r.TLS = "tls"
	default:
		return Relay{}, fmt.Errorf("parse smtp url: scheme %q: want smtp or smtps", u.Scheme)
	}
	if t := strings.ToLower(u.Query().Get("tls")); t != "" {
		switch {
		case u.Scheme == "smtps" && t != "tls":
			return Relay{}, fmt.Errorf("parse smtp url: smtps:// cannot use tls=%s", t)
		case t == "starttls" || t == "tls" || t == "none":
			r.TLS = t
		default:
			return Relay{}, fmt.Errorf("parse smtp url: tls=%q: want starttls, tls or none", t)
		}
	}
	// The same loopback rule as the IMAP mailboxes': one definition.
	if r.TLS == "none" && !mailin.IsLoopback(r.Host) {
		return Relay{}, errors.New("parse smtp url: tls=none is only allowed to a loopback host (127.0.0.1, localhost)")
	}
	r.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[r.TLS]
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Relay{}, fmt.Errorf("parse smtp url: port %q", p)
		}
		r.Port = n
	}
	if u.User != nil {
		r.Username = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	return r, nil
}

// Envelope is one mail ready to go: the outbox row as the SMTP server sees
// it. MessageID is without angle brackets and stable across attempts, so a
// receiver can drop a duplicate after a crash between sending and marking.
type Envelope struct {
	MessageID string
	Date      time.Time
	From      string // "OCCE 31 <no-reply@occe31.example>"
	To        string
	ReplyTo   string
	Subject   string
	Text      string
	HTML      string
}

// Sender delivers envelopes to a relay.
type Sender struct {
	relay   Relay
	tls     *tls.Config
	timeout time.Duration
}

// NewSender returns a sender for the relay.
func NewSender(r Relay) *Sender {
	return &Sender{relay: r, tls: &tls.Config{ServerName: r.Host, MinVersion: tls.VersionTLS12}, timeout: 30 * time.Second}
}

// Session is one connection to the relay, over which several mails go out.
type Session struct {
	client *gomail.Client
}

// Dial connects (and authenticates) to the relay. A dial error is
// transient: the relay may be down for a while.
func (s *Sender) Dial(ctx context.Context) (*Session, error) {
	opts := []gomail.Option{gomail.WithPort(s.relay.Port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(s.tls)}
	switch s.relay.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		// go-mail's default policy requires STARTTLS; plain text is allowed
		// only to loopback (ParseRelay checked it).
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.relay.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.relay.Username), gomail.WithPassword(s.relay.Password))
	}
	c, err := gomail.NewClient(s.relay.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("smtp connect %s:%d: %w", s.relay.Host, s.relay.Port, err)
	}
	return &Session{client: c}, nil
}

// Send delivers one mail. The error says whether the refusal is permanent
// (see Permanent).
func (ss *Session) Send(e Envelope) error {
	m, err := e.message()
	if err != nil {
		return err
	}
	if err := ss.client.Send(m); err != nil {
		return fmt.Errorf("smtp send: %w", err)
	}
	return nil
}

// Close ends the connection.
func (ss *Session) Close() error { return ss.client.Close() }

// message builds the MIME message: text and HTML alternatives, and the
// headers that keep auto-responders and loops away.
func (e Envelope) message() (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(e.From); err != nil {
		return nil, &permanentError{fmt.Errorf("from address %q: %w", e.From, err)}
	}
	if err := m.To(e.To); err != nil {
		return nil, &permanentError{fmt.Errorf("recipient address %q: %w", e.To, err)}
	}
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, &permanentError{fmt.Errorf("reply-to address %q: %w", e.ReplyTo, err)}
		}
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.MessageID)
	m.SetDateWithValue(e.Date)
	m.SetUserAgent("retkoop")
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return m, nil
}

// permanentError marks a mail that can never go out as written (an
// invalid address).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent reports whether a delivery error is final: the server answered
// with a 5xx code, or the mail itself is invalid. Anything else — a 4xx
// answer, a connection that failed or dropped, a timeout — is transient and
// the mail is tried again later.
func Permanent(err error) bool {
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}
