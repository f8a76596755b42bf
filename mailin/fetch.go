package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"os"
	"sort"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"
)

// session is one IMAP connection. imapclient takes no context and waits for
// the first byte of a reply without a deadline, so every command runs under a
// watchdog that closes the connection when it stalls or ctx ends.
type session struct {
	c       *imapclient.Client
	timeout time.Duration
	move    bool // server has MOVE: never let imapclient fall back to COPY+EXPUNGE
}

// watchdog closes the connection after timeout without progress.
type watchdog struct {
	t       *time.Timer
	timeout time.Duration
	fired   atomic.Bool
}

func (w *watchdog) progress() { w.t.Reset(w.timeout) }

// guard runs fn under a watchdog and ctx. After a timeout the session is
// closed and unusable: the run ends and the next one reconnects.
func (s *session) guard(ctx context.Context, op string, fn func(w *watchdog) error) error {
	w := &watchdog{timeout: s.timeout}
	w.t = time.AfterFunc(s.timeout, func() {
		w.fired.Store(true)
		s.c.Close()
	})
	stop := context.AfterFunc(ctx, func() { s.c.Close() })
	err := fn(w)
	w.t.Stop()
	stop()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, ctx.Err())
	case w.fired.Load():
		return fmt.Errorf("%s: no answer from the server within %s: %w", op, s.timeout, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// dial connects, protects and logs in.
func dial(ctx context.Context, mb Mailbox, timeout time.Duration, tlsConf *tls.Config) (*session, error) {
	host, _, err := net.SplitHostPort(mb.Addr)
	if err != nil {
		return nil, fmt.Errorf("dial imap: %w", err)
	}
	if mb.TLS == TLSNone && !IsLoopback(host) {
		return nil, fmt.Errorf("dial imap: plain text refused for %s", host)
	}
	cfg := &tls.Config{}
	if tlsConf != nil {
		cfg = tlsConf.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	opts := &imapclient.Options{
		TLSConfig:   cfg,
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", mb.Addr)
	if err != nil {
		return nil, fmt.Errorf("dial imap %s: %w", mb.Addr, err)
	}
	// imapclient sets its own read deadlines, and none at all during the
	// STARTTLS handshake: the connection is closed instead when the timeout
	// passes or ctx ends before it is protected.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	var c *imapclient.Client
	step := "connect"
	switch mb.TLS {
	case TLSImplicit:
		step = "tls"
		cfg.NextProtos = []string{"imap"}
		tc := tls.Client(conn, cfg)
		if err = tc.HandshakeContext(dctx); err == nil {
			c = imapclient.New(tc, opts)
		}
	case TLSStartTLS:
		step = "starttls"
		c, err = imapclient.NewStartTLS(conn, opts)
	default:
		c = imapclient.New(conn, opts)
	}
	if !stop() {
		if c != nil {
			c.Close()
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("dial imap %s: %s: %w", mb.Addr, step, context.Cause(ctx))
		}
		return nil, fmt.Errorf("dial imap %s: %s: no answer from the server within %s", mb.Addr, step, timeout)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("dial imap %s: %s: %w", mb.Addr, step, err)
	}
	s := &session{c: c, timeout: timeout}
	err = s.guard(ctx, "login", func(*watchdog) error {
		if err := c.WaitGreeting(); err != nil {
			return err
		}
		return c.Login(mb.Username, mb.Password).Wait()
	})
	if err != nil {
		c.Close()
		return nil, err
	}
	caps := c.Caps()
	s.move = caps.Has(imap.CapMove) || caps.Has(imap.CapIMAP4rev2)
	return s, nil
}

func (s *session) close(ctx context.Context) {
	// Logout is a courtesy: a dead connection is closed all the same.
	s.guard(ctx, "logout", func(*watchdog) error { return s.c.Logout().Wait() })
	s.c.Close()
}

// selectBox selects the mailbox and returns its UIDVALIDITY.
func (s *session) selectBox(ctx context.Context, name string) (uint32, error) {
	var data *imap.SelectData
	err := s.guard(ctx, "select "+name, func(*watchdog) error {
		var err error
		data, err = s.c.Select(name, nil).Wait()
		return err
	})
	if err != nil {
		return 0, err
	}
	if data.UIDValidity == 0 {
		return 0, fmt.Errorf("select %s: server sent no UIDVALIDITY", name)
	}
	return data.UIDValidity, nil
}

// pending returns, in ascending order, the UIDs above last (new mail) and
// the UIDs up to last that are not marked yet (stored by a run that stopped
// before marking them). Only UID and flag criteria are used: servers differ
// too much on searching non-ASCII text.
func (s *session) pending(ctx context.Context, last uint32) ([]uint32, error) {
	var newSet imap.UIDSet
	newSet.AddRange(imap.UID(last+1), 0) // last+1:*
	found := map[uint32]bool{}
	err := s.guard(ctx, "uid search", func(*watchdog) error {
		data, err := s.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{newSet}}, nil).Wait()
		if err != nil {
			return err
		}
		for _, uid := range data.AllUIDs() {
			// "n:*" always matches the highest UID, even when below n.
			if uint32(uid) > last {
				found[uint32(uid)] = true
			}
		}
		if last == 0 {
			return nil
		}
		var oldSet imap.UIDSet
		oldSet.AddRange(1, imap.UID(last))
		data, err = s.c.UIDSearch(&imap.SearchCriteria{
			UID:     []imap.UIDSet{oldSet},
			NotFlag: []imap.Flag{processedFlag},
		}, nil).Wait()
		if err != nil {
			return err
		}
		for _, uid := range data.AllUIDs() {
			found[uint32(uid)] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	uids := make([]uint32, 0, len(found))
	for uid := range found {
		uids = append(uids, uid)
	}
	sort.Slice(uids, func(i, j int) bool { return uids[i] < uids[j] })
	return uids, nil
}

// errVanished: the message was expunged between SEARCH and FETCH.
var errVanished = errors.New("message no longer in the mailbox")

// fetchRaw streams message uid (BODY.PEEK[]: \Seen is left alone) into the
// file at path, never holding it in memory. When the message is larger than
// maxRaw only its first headBytes are kept, enough for the header, and
// truncated is true.
func (s *session) fetchRaw(ctx context.Context, uid uint32, path string, maxRaw, headBytes int64) (size int64, truncated bool, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, false, fmt.Errorf("fetch uid %d: %w", uid, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("fetch uid %d: %w", uid, cerr)
		}
	}()
	got := false
	err = s.guard(ctx, fmt.Sprintf("fetch uid %d", uid), func(w *watchdog) error {
		cmd := s.c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{
			UID:         true,
			BodySection: []*imap.FetchItemBodySection{{Peek: true}},
		})
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			for item := msg.Next(); item != nil; item = msg.Next() {
				body, ok := item.(imapclient.FetchItemDataBodySection)
				if !ok || body.Literal == nil || got {
					continue
				}
				got = true
				size = body.Literal.Size()
				var dst io.Writer = f
				if size > maxRaw {
					truncated = true
					dst = &headWriter{w: f, n: headBytes}
				}
				if _, err := io.Copy(dst, &progressReader{r: body.Literal, w: w}); err != nil {
					// The literal is half read: the connection cannot
					// carry another command.
					s.c.Close()
					return err
				}
			}
		}
		return cmd.Close()
	})
	if err == nil && !got {
		err = errVanished
	}
	return size, truncated, err
}

// progressReader feeds the watchdog while a large literal arrives, so the
// timeout bounds a stall, not the whole transfer.
type progressReader struct {
	r io.Reader
	w *watchdog
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.w.progress()
	}
	return n, err
}

// headWriter keeps the first n bytes and swallows the rest.
type headWriter struct {
	w io.Writer
	n int64
}

func (h *headWriter) Write(b []byte) (int, error) {
	if h.n > 0 {
		k := min(int64(len(b)), h.n)
		if _, err := h.w.Write(b[:k]); err != nil {
			return 0, err
		}
		h.n -= k
	}
	return len(b), nil
}
