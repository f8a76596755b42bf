package mailin

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the connection to the IMAP server is protected.
type TLSMode string

// The TLS modes of RETKOOP_IMAP_URL.
const (
	TLSImplicit TLSMode = "tls"      // imaps://, port 993
	TLSStartTLS TLSMode = "starttls" // imap:// upgraded with STARTTLS (the default for imap://)
	TLSNone     TLSMode = "none"     // plain text, loopback hosts only (tests)
)

// DefaultProcessed is the folder messages are moved to once stored.
const DefaultProcessed = "Traites"

// Mailbox is one AD's IMAP mailbox, as configured by RETKOOP_IMAP_URL.
type Mailbox struct {
	Addr      string // host:port
	Username  string
	Password  string
	Name      string // mailbox to poll, e.g. INBOX
	TLS       TLSMode
	Processed string // folder for handled messages
	// Address is the published address (documents@…), whose local part
	// prefixes reply tokens (documents+TOKEN@…). Optional: when empty the
	// username's local part is used if it is an address, else any
	// "+token" recipient is tried.
	Address string
}

// ParseURL parses imaps://user:pass@host[:993]/INBOX or
// imap://user:pass@host[:143]/INBOX?tls=starttls|none, with optional
// &processed=FOLDER (default Traites) and &address=documents@example.org.
// A password containing reserved characters must be percent-encoded.
func ParseURL(raw string) (Mailbox, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse echoes the whole URL, password included.
		return Mailbox{}, errors.New("parse imap url: malformed URL")
	}
	m := Mailbox{Name: "INBOX", Processed: DefaultProcessed}
	port := ""
	switch u.Scheme {
	case "imaps":
		m.TLS, port = TLSImplicit, "993"
	case "imap":
		m.TLS, port = TLSStartTLS, "143"
	default:
		return Mailbox{}, fmt.Errorf("parse imap url: scheme %q: want imaps or imap", u.Scheme)
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "tls", "processed", "address":
		default:
			return Mailbox{}, fmt.Errorf("parse imap url: unknown parameter %q", k)
		}
	}
	if t := q.Get("tls"); t != "" {
		mode := TLSMode(strings.ToLower(t))
		switch {
		case u.Scheme == "imaps" && mode != TLSImplicit:
			return Mailbox{}, fmt.Errorf("parse imap url: imaps:// cannot use tls=%s", t)
		case mode == TLSImplicit, mode == TLSStartTLS, mode == TLSNone:
			m.TLS = mode
		default:
			return Mailbox{}, fmt.Errorf("parse imap url: tls=%q: want tls, starttls or none", t)
		}
	}
	host := u.Hostname()
	if host == "" {
		return Mailbox{}, errors.New("parse imap url: missing host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return Mailbox{}, fmt.Errorf("parse imap url: bad port %q", p)
		}
		port = p
	}
	if m.TLS == TLSNone && !IsLoopback(host) {
		return Mailbox{}, fmt.Errorf("parse imap url: tls=none is only allowed on a loopback host, not %q", host)
	}
	m.Addr = net.JoinHostPort(host, port)
	if u.User == nil || u.User.Username() == "" {
		return Mailbox{}, errors.New("parse imap url: missing user name")
	}
	m.Username = u.User.Username()
	m.Password, _ = u.User.Password()
	if name := strings.Trim(u.Path, "/"); name != "" {
		m.Name = name
	}
	if p := q.Get("processed"); p != "" {
		m.Processed = p
	}
	if strings.EqualFold(m.Processed, m.Name) {
		return Mailbox{}, fmt.Errorf("parse imap url: processed folder %q is the polled mailbox", m.Processed)
	}
	m.Address = strings.ToLower(q.Get("address"))
	return m, nil
}

// IsLoopback reports whether host (a name or IP literal, without port or
// brackets) is localhost or a loopback address, the only hosts a plain-text
// connection may go to. It resolves no names, so a DNS answer cannot turn
// plain text on for a remote host.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Key identifies the mailbox in the ledger and in lease names. It has no
// password and does not change when the password does.
func (m Mailbox) Key() string {
	return "imap://" + url.PathEscape(m.Username) + "@" + m.Addr + "/" + m.Name
}

// String is Key: safe to log.
func (m Mailbox) String() string { return m.Key() }

// tokenLocal returns the local part that prefixes reply tokens, "" if unknown.
func (m Mailbox) tokenLocal() string {
	for _, a := range []string{m.Address, m.Username} {
		if at := strings.LastIndexByte(a, '@'); at > 0 {
			return strings.ToLower(a[:at])
		}
	}
	return ""
}

// ParseSize parses RETKOOP_MAX_ATTACHMENT: "25MB", "25 Mo", "512KB", "1G"
// or a number of bytes. Units are powers of 1024, as mail clients count.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"GO", 1 << 30}, {"G", 1 << 30}, {"MB", 1 << 20}, {"MO", 1 << 20}, {"M", 1 << 20},
		{"KB", 1 << 10}, {"KO", 1 << 10}, {"K", 1 << 10}, {"B", 1}, {"O", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("parse size %q: want e.g. 25MB", s)
	}
	return n * mult, nil
}
