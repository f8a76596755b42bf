package mailin

import (
	"context"
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// processedFlag marks handled messages on servers without MOVE. It is also
// what the UID search skips, so a flagged message is never looked at again.
const processedFlag imap.Flag = "$Retkoop"

// ensureFolder creates the processed folder when it is missing.
func (s *session) ensureFolder(ctx context.Context, name string) error {
	return s.guard(ctx, "create "+name, func(*watchdog) error {
		list, err := s.c.List("", name, nil).Collect()
		if err != nil {
			return err
		}
		if len(list) > 0 {
			return nil
		}
		err = s.c.Create(name, nil).Wait()
		var imapErr *imap.Error
		if errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists {
			return nil // created meanwhile by someone else
		}
		return err
	})
}

// mark takes a handled message out of the poll: UID MOVE to the processed
// folder, or, when the server lacks MOVE, the $Retkoop keyword and \Seen.
// It never uses imapclient's Move fallback, which expunges: mailin never
// deletes mail.
func (s *session) mark(ctx context.Context, uid uint32, folder string) error {
	set := imap.UIDSetNum(imap.UID(uid))
	if s.move {
		return s.guard(ctx, fmt.Sprintf("move uid %d to %s", uid, folder), func(*watchdog) error {
			_, err := s.c.Move(set, folder).Wait()
			return err
		})
	}
	return s.guard(ctx, fmt.Sprintf("flag uid %d", uid), func(*watchdog) error {
		return s.c.Store(set, &imap.StoreFlags{
			Op:     imap.StoreFlagsAdd,
			Silent: true,
			Flags:  []imap.Flag{processedFlag, imap.FlagSeen},
		}, nil).Close()
	})
}
