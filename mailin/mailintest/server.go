package mailintest

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/url"
	"sort"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Server is an in-memory IMAP server listening on 127.0.0.1 for one test.
type Server struct {
	Addr     string
	User     string
	Password string
	opts     ServerOptions
	user     *imapmemserver.User
}

// ServerOptions tune the in-memory server.
type ServerOptions struct {
	// NoMove hides the MOVE capability, as on servers that lack it.
	NoMove bool
	// TLS, when set, protects the server: implicit TLS (imaps://) when
	// ImplicitTLS, else STARTTLS is offered and required for login.
	TLS         *tls.Config
	ImplicitTLS bool
}

// NewServer starts a server with one user and an empty INBOX; it stops when
// the test ends.
func NewServer(t testing.TB, opts ServerOptions) *Server {
	t.Helper()
	mem := imapmemserver.New()
	s := &Server{User: "documents@occe31.test", Password: "secret", opts: opts}
	s.user = imapmemserver.NewUser(s.User, s.Password)
	if err := s.user.Create("INBOX", nil); err != nil {
		t.Fatalf("create INBOX: %v", err)
	}
	mem.AddUser(s.user)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}
	if !opts.NoMove {
		caps[imap.CapMove] = struct{}{}
	}
	srvOpts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: caps,
		// Plain text on loopback, like RETKOOP_IMAP_URL ?tls=none.
		InsecureAuth: opts.TLS == nil,
		Logger:       log.New(io.Discard, "", 0),
	}
	if opts.TLS != nil && !opts.ImplicitTLS {
		srvOpts.TLSConfig = opts.TLS
	}
	srv := imapserver.New(srvOpts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if opts.TLS != nil && opts.ImplicitTLS {
		ln = tls.NewListener(ln, opts.TLS)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.Addr = ln.Addr().String()
	return s
}

// URL is the RETKOOP_IMAP_URL of mailbox on this server.
func (s *Server) URL(mailbox string) string {
	u := url.URL{Scheme: "imap", User: url.UserPassword(s.User, s.Password), Host: s.Addr, Path: "/" + mailbox, RawQuery: "tls=none"}
	switch {
	case s.opts.TLS != nil && s.opts.ImplicitTLS:
		u.Scheme, u.RawQuery = "imaps", ""
	case s.opts.TLS != nil:
		u.RawQuery = "tls=starttls"
	}
	return u.String()
}

// RecreateMailbox deletes and creates mailbox again with its messages, as an
// admin restoring a backup would: the UIDVALIDITY changes.
func (s *Server) RecreateMailbox(t testing.TB, mailbox string) {
	t.Helper()
	c := Dial(t, s.URL(mailbox))
	defer c.Close()
	var msgs [][]byte
	for _, uid := range UIDs(t, c, mailbox) {
		msgs = append(msgs, Fetch(t, c, mailbox, uid))
	}
	if err := c.Unselect().Wait(); err != nil {
		t.Fatalf("unselect: %v", err)
	}
	if err := s.user.Delete(mailbox); err != nil {
		t.Fatalf("delete %s: %v", mailbox, err)
	}
	if err := s.user.Create(mailbox, nil); err != nil {
		t.Fatalf("create %s: %v", mailbox, err)
	}
	for _, m := range msgs {
		Append(t, c, mailbox, m)
	}
}

// Dial connects and logs in with a test server's URL. It does not verify
// certificates: it only seeds and inspects mailboxes.
func Dial(t testing.TB, rawURL string) *imapclient.Client {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parse url: %v", err)
	}
	var c *imapclient.Client
	switch {
	case u.Scheme == "imaps":
		c, err = imapclient.DialTLS(u.Host, &imapclient.Options{TLSConfig: &tls.Config{InsecureSkipVerify: true}})
	case u.Query().Get("tls") == "starttls":
		c, err = imapclient.DialStartTLS(u.Host, &imapclient.Options{TLSConfig: &tls.Config{InsecureSkipVerify: true}})
	default:
		c, err = imapclient.DialInsecure(u.Host, nil)
	}
	if err != nil {
		t.Fatalf("dial %s: %v", u.Host, err)
	}
	pass, _ := u.User.Password()
	if err := c.Login(u.User.Username(), pass).Wait(); err != nil {
		c.Close()
		t.Fatalf("login: %v", err)
	}
	return c
}

// Append adds a raw message to mailbox, creating the mailbox if needed.
func Append(t testing.TB, c *imapclient.Client, mailbox string, raw []byte) {
	t.Helper()
	if list, err := c.List("", mailbox, nil).Collect(); err == nil && len(list) == 0 {
		if err := c.Create(mailbox, nil).Wait(); err != nil {
			t.Fatalf("create %s: %v", mailbox, err)
		}
	}
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatalf("append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatalf("append: %v", err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("append: %v", err)
	}
}

// UIDs selects mailbox and lists its UIDs in ascending order; nil when the
// mailbox does not exist.
func UIDs(t testing.TB, c *imapclient.Client, mailbox string) []uint32 {
	t.Helper()
	if list, err := c.List("", mailbox, nil).Collect(); err != nil || len(list) == 0 {
		return nil
	}
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		t.Fatalf("select %s: %v", mailbox, err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		t.Fatalf("search %s: %v", mailbox, err)
	}
	var out []uint32
	for _, uid := range data.AllUIDs() {
		out = append(out, uint32(uid))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Flags returns the flags of message uid in mailbox.
func Flags(t testing.TB, c *imapclient.Client, mailbox string, uid uint32) []imap.Flag {
	t.Helper()
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		t.Fatalf("select %s: %v", mailbox, err)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch flags of %d: %v (%d messages)", uid, err, len(msgs))
	}
	return msgs[0].Flags
}

// Fetch returns the raw message uid of mailbox without setting \Seen.
func Fetch(t testing.TB, c *imapclient.Client, mailbox string, uid uint32) []byte {
	t.Helper()
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		t.Fatalf("select %s: %v", mailbox, err)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch %d: %v", uid, err)
	}
	return bytes.Clone(msgs[0].FindBodySection(section))
}
