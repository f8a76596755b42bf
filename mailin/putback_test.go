package mailin_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

func mailboxOf(t *testing.T, rawURL string) mailin.Mailbox {
	t.Helper()
	mb, err := mailin.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return mb
}

// TestPutBack appends a message from a file (a Seeker) and one from a plain
// reader (spooled), byte for byte and without flags; the poller then takes
// both through the pipeline as new mail.
func TestPutBack(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	mb := mailboxOf(t, srv.URL("INBOX"))
	ctx := context.Background()

	path := filepath.Join("testdata", "gmail.eml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := mailin.PutBack(ctx, mb, f); err != nil {
		t.Fatalf("PutBack(file): %v", err)
	}
	outlook := golden(t, "outlook.eml")
	// io.MultiReader hides bytes.Reader's Seek: the spooled path.
	if err := mailin.PutBack(ctx, mb, io.MultiReader(bytes.NewReader(outlook))); err != nil {
		t.Fatalf("PutBack(reader): %v", err)
	}

	c := mailintest.Dial(t, srv.URL("INBOX"))
	defer c.Close()
	if got := mailintest.UIDs(t, c, "INBOX"); !slices.Equal(got, []uint32{1, 2}) {
		t.Fatalf("INBOX UIDs = %v, want [1 2]", got)
	}
	for uid, want := range map[uint32][]byte{1: golden(t, "gmail.eml"), 2: outlook} {
		if got := mailintest.Fetch(t, c, "INBOX", uid); !bytes.Equal(got, want) {
			t.Errorf("uid %d: %d bytes put back, want the %d of the original", uid, len(got), len(want))
		}
		if flags := mailintest.Flags(t, c, "INBOX", uid); slices.Contains(flags, imap.FlagSeen) || len(flags) > 0 {
			t.Errorf("uid %d put back with flags %v, want none", uid, flags)
		}
	}

	mem := newMemory()
	res, err := newPoller(t, srv, mem).RunOnce(ctx)
	if err != nil || len(res) != 2 || res[0].Issue != mailin.IssueStored || res[1].Issue != mailin.IssueStored {
		t.Errorf("RunOnce after put back = %+v, %v; want 2 stored", res, err)
	}
}

// TestPutBackRefusals: what PutBack refuses leaves the mailbox as it was.
func TestPutBackRefusals(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	raw := golden(t, "gmail.eml")
	remote := mailin.Mailbox{Addr: "192.0.2.1:143", Username: "u", Password: "p", Name: "INBOX", TLS: mailin.TLSNone}
	for _, tc := range []struct {
		name string
		mb   mailin.Mailbox
		r    io.Reader
		want string
	}{
		{"plain text to a remote host", remote, bytes.NewReader(raw), "plain text refused for 192.0.2.1"},
		{"empty message", mailboxOf(t, srv.URL("INBOX")), strings.NewReader(""), "empty message"},
		{"no such folder", mailboxOf(t, srv.URL("Nulle-part")), bytes.NewReader(raw), "put back"},
		{"wrong password", func() mailin.Mailbox { m := mailboxOf(t, srv.URL("INBOX")); m.Password = "x"; return m }(),
			bytes.NewReader(raw), "login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := mailin.PutBack(ctx, tc.mb, tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if got := uids(t, srv, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX holds %v after refusals", got)
	}
}

// TestPutBackTLS: the certificate is verified in both TLS modes; with a
// trusted one the message goes in.
func TestPutBackTLS(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		name := map[bool]string{true: "imaps", false: "starttls"}[implicit]
		t.Run(name, func(t *testing.T) {
			cfg, pool := selfSigned(t)
			srv := mailintest.NewServer(t, mailintest.ServerOptions{TLS: cfg, ImplicitTLS: implicit})
			mb := mailboxOf(t, srv.URL("INBOX"))
			raw := golden(t, "gmail.eml")
			ctx := context.Background()

			if err := mailin.PutBack(ctx, mb, bytes.NewReader(raw)); err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("untrusted certificate: err = %v", err)
			}
			if got := uids(t, srv, "INBOX"); len(got) != 0 {
				t.Fatalf("appended over an unverified connection: %v", got)
			}
			if err := mailin.PutBackWith(ctx, mb, 10*time.Second, &tls.Config{RootCAs: pool}, bytes.NewReader(raw)); err != nil {
				t.Fatalf("trusted certificate: %v", err)
			}
			if got := uids(t, srv, "INBOX"); !slices.Equal(got, []uint32{1}) {
				t.Errorf("INBOX UIDs = %v, want [1]", got)
			}
		})
	}
}

// stallingServer accepts connections and hands each to serve, which
// answers what it wants and then stalls.
func stallingServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go serve(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// silent never says a word: no TLS handshake, no greeting.
func silent(c net.Conn) { io.Copy(io.Discard, c) }

// okThenSilent greets, accepts STARTTLS and then stalls the TLS handshake,
// a phase in which imapclient sets no read deadline at all.
func okThenSilent(c net.Conn) {
	io.WriteString(c, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		tag, cmd, _ := strings.Cut(sc.Text(), " ")
		switch strings.ToUpper(cmd) {
		case "CAPABILITY":
			io.WriteString(c, "* CAPABILITY IMAP4rev1 STARTTLS\r\n"+tag+" OK done\r\n")
		case "STARTTLS":
			io.WriteString(c, tag+" OK begin TLS\r\n")
			silent(c)
			return
		default:
			io.WriteString(c, tag+" BAD unexpected\r\n")
		}
	}
}

// TestPutBackStalledHandshake: a server that never completes the TLS
// handshake ends the put-back after the timeout, and also as soon as ctx
// ends, whichever comes first.
func TestPutBackStalledHandshake(t *testing.T) {
	raw := golden(t, "gmail.eml")
	for _, tc := range []struct {
		name  string
		mode  mailin.TLSMode
		serve func(net.Conn)
	}{
		{"imaps", mailin.TLSImplicit, silent},
		{"starttls no greeting", mailin.TLSStartTLS, silent},
		{"starttls handshake", mailin.TLSStartTLS, okThenSilent},
	} {
		mb := mailin.Mailbox{Addr: stallingServer(t, tc.serve), Username: "u", Password: "p", Name: "INBOX", TLS: tc.mode}
		t.Run(tc.name+"/timeout", func(t *testing.T) {
			start := time.Now()
			err := mailin.PutBackWith(context.Background(), mb, 300*time.Millisecond, nil, bytes.NewReader(raw))
			if err == nil || !strings.Contains(err.Error(), "no answer from the server within 300ms") {
				t.Errorf("err = %v, want no answer within 300ms", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %s, want about the 300ms timeout", d)
			}
		})
		t.Run(tc.name+"/ctx", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			// PutBack's own timeout is a minute: only ctx can end it here.
			err := mailin.PutBack(ctx, mb, bytes.NewReader(raw))
			if err == nil || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want ctx's deadline", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %s, want about the 300ms of ctx", d)
			}
		})
	}
}
