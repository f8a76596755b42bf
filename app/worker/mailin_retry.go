package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

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
	for _, r := range rows {
		if err := putBackFile(ctx, m.box, a.rawPath(r.RawSHA256)); err != nil {
			return fmt.Errorf("retry uid %d: %w", r.UID, err)
		}
		if err := sys.MarkRetried(ctx, r.ID); err != nil {
			return err
		}
		a.Log.Info("failed message put back for a retry", "mailbox", m.box.Key(), "ledger_id", r.ID, "uid", r.UID)
	}
	return nil
}

// putBackFile appends the raw message kept at path to the mailbox's polled
// folder, over mailin's own connection (one per message).
func putBackFile(ctx context.Context, box mailin.Mailbox, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return mailin.PutBack(ctx, box, f)
}
