package cli

import (
	"context"
	"fmt"
	"sync"

	"retkoop/app/worker"
	"retkoop/mailin"
)

const mailinUsage = "mailin [--once]"

// cmdMailin polls every configured mailbox: once with --once (one JSON
// line per message handled on stdout, the contract's line), else every
// RETKOOP_IMAP_INTERVAL until SIGINT/SIGTERM. Logs go to stderr.
func cmdMailin(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "mailin", mailinUsage)
	once := fs.Bool("once", false, "un seul passage sur chaque boîte, puis fin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("argument inattendu « %s »", fs.Arg(0))
	}
	// Reply tokens are signed and checked with the secret.
	rt, err := openSigning(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	a := worker.New(rt.svc)
	boxes, err := a.Mailboxes(ctx)
	if err != nil {
		return err
	}
	if len(boxes) == 0 {
		return worker.ErrNoMailbox
	}
	var mu sync.Mutex
	print := func(r mailin.Result) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(e.Stdout, r.JSON())
	}
	if *once {
		return a.PollMail(ctx, boxes, nil, print)
	}
	a.LogPolling(boxes, rt.cfg.IMAPInterval)
	a.MailinLoop(rt.cfg.IMAPInterval, print)(ctx)
	return nil
}
