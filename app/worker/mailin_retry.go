package worker

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"retkoop/app/config"
	"retkoop/mailin"
)

// Retrying a failed message. The raw message of every failed one is kept
// under the data directory (content-addressed, like the documents); when a
// staff member asks for a retry, the next pass of the poller appends a copy
// to the polled mailbox, where it arrives under a new UID and goes through
// the whole pipeline again. The failed ledger row stays (history) but its
// Message-ID no longer marks the copy as a duplicate. Appending before
// marking the row means a crash in between appends twice at worst; the
// second copy is then a duplicate by Message-ID.

// retryTimeout bounds the whole put-back of one mailbox.
const retryTimeout = 2 * time.Minute

// rawPath is where a kept raw message lives.
func (a *Worker) rawPath(sha string) string {
	return filepath.Join(a.Cfg.DataDir, "mailin", "messages", sha+".eml")
}

// keepRawMessage copies a spooled message to the data directory and
// returns its SHA-256.
func (a *Worker) keepRawMessage(path string) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	defer src.Close()
	dir := filepath.Dir(a.rawPath("x"))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "raw-*")
	if err != nil {
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), src); err != nil {
		tmp.Close()
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if err := os.Rename(tmp.Name(), a.rawPath(sha)); err != nil {
		return "", fmt.Errorf("keep raw message: %w", err)
	}
	return sha, nil
}

// putBackRetries appends the failed messages of the mailbox that the staff
// asked to retry, then marks them.
func (a *Worker) putBackRetries(ctx context.Context, m mailbox) error {
	sys := a.DB.System()
	rows, err := sys.PendingRetries(ctx, m.box.Key())
	if err != nil || len(rows) == 0 {
		return err
	}
	// The poller's own lease: two processes must not put the same message
	// back twice.
	lease, holder := "mailin:"+m.box.Key(), leaseHolder()
	if ok, err := sys.TryLease(ctx, lease, holder, retryTimeout); err != nil || !ok {
		return err
	}
	defer func() { _ = sys.ReleaseLease(context.WithoutCancel(ctx), lease, holder) }()
	ctx, cancel := context.WithTimeout(ctx, retryTimeout)
	defer cancel()
	c, err := dialIMAP(m.box)
	if err != nil {
		return fmt.Errorf("put back failed messages: %w", err)
	}
	// imapclient takes no context: closing the connection ends a stalled
	// command.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	defer c.Close()
	if err := c.Login(m.box.Username, m.box.Password).Wait(); err != nil {
		return fmt.Errorf("put back failed messages: login: %w", err)
	}
	for _, r := range rows {
		if err := appendFile(c, m.box.Name, a.rawPath(r.RawSHA256)); err != nil {
			return fmt.Errorf("put back uid %d: %w", r.UID, err)
		}
		if err := sys.MarkRetried(ctx, r.ID); err != nil {
			return err
		}
		a.Log.Info("failed message put back for a retry", "mailbox", m.box.Key(), "ledger_id", r.ID, "uid", r.UID)
	}
	_ = c.Logout().Wait()
	return nil
}

// dialIMAP connects to the mailbox's server with its TLS mode; plain text
// only to a loopback host (mailin.ParseURL already refused the others).
func dialIMAP(box mailin.Mailbox) (*imapclient.Client, error) {
	host, _, err := net.SplitHostPort(box.Addr)
	if err != nil {
		return nil, err
	}
	opts := &imapclient.Options{TLSConfig: &tls.Config{ServerName: host}, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	switch box.TLS {
	case mailin.TLSImplicit:
		return imapclient.DialTLS(box.Addr, opts)
	case mailin.TLSNone:
		if !config.IsLoopback(host) {
			return nil, fmt.Errorf("plain text refused for %s", host)
		}
		return imapclient.DialInsecure(box.Addr, opts)
	default:
		return imapclient.DialStartTLS(box.Addr, opts)
	}
}

// appendFile appends the message in path to mailbox.
func appendFile(c *imapclient.Client, mailbox, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	cmd := c.Append(mailbox, fi.Size(), nil)
	if _, err := io.Copy(cmd, f); err != nil {
		cmd.Close()
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err = cmd.Wait()
	return err
}
