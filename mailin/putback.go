package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// PutBack appends the raw message read from r to the mailbox's polled
// folder (mb.Name), without flags, so that the next run fetches it under a
// new UID and takes it through the whole pipeline again: the app's retry of
// a failed message. It connects like a Poller with a zero Timeout and
// TLSConfig (DefaultTimeout for every step, the TLS handshake included; the
// system's roots; plain text only to a loopback host) and logs out after
// the one message.
//
// IMAP needs the size of the message before its first byte: when r is not
// an io.Seeker (an *os.File, a *bytes.Reader are), it is first spooled to a
// temporary file.
func PutBack(ctx context.Context, mb Mailbox, r io.Reader) error {
	return putBack(ctx, mb, DefaultTimeout, nil, r)
}

func putBack(ctx context.Context, mb Mailbox, timeout time.Duration, tlsConf *tls.Config, r io.Reader) error {
	body, size, cleanup, err := sized(r)
	if err != nil {
		return fmt.Errorf("put back: %w", err)
	}
	defer cleanup()
	if size == 0 {
		return errors.New("put back: empty message")
	}
	s, err := dial(ctx, mb, timeout, tlsConf)
	if err != nil {
		return fmt.Errorf("put back: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		s.close(cctx)
	}()
	if err := s.append(ctx, mb.Name, body, size); err != nil {
		return fmt.Errorf("put back: %w", err)
	}
	return nil
}

// append sends the size bytes of body to folder with APPEND.
func (s *session) append(ctx context.Context, folder string, body io.Reader, size int64) error {
	return s.guard(ctx, "append to "+folder, func(w *watchdog) error {
		cmd := s.c.Append(folder, size, nil)
		if _, err := io.Copy(cmd, &progressReader{r: body, w: w}); err != nil {
			// A literal cut short leaves the connection unusable.
			s.c.Close()
			return err
		}
		if err := cmd.Close(); err != nil {
			s.c.Close()
			return err
		}
		_, err := cmd.Wait()
		return err
	})
}

// sized returns a reader of what is left of r and its length, spooling r to
// a temporary file when it cannot seek. cleanup removes that file.
func sized(r io.Reader) (body io.Reader, size int64, cleanup func(), err error) {
	if sk, ok := r.(io.Seeker); ok {
		cur, err := sk.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, 0, nil, err
		}
		end, err := sk.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, 0, nil, err
		}
		if _, err := sk.Seek(cur, io.SeekStart); err != nil {
			return nil, 0, nil, err
		}
		return r, end - cur, func() {}, nil
	}
	f, err := os.CreateTemp("", "retkoop-putback-*.eml")
	if err != nil {
		return nil, 0, nil, err
	}
	cleanup = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if size, err = io.Copy(f, r); err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		cleanup()
		return nil, 0, nil, err
	}
	return f, size, cleanup, nil
}
