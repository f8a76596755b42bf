package cli

import (
	"context"
	"fmt"
	"sync"

	"retkoop/app"
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
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	// Reply tokens are checked with the secret that signed them.
	if err := rt.cfg.EnsureSecret(); err != nil {
		return err
	}
	a, err := app.New(rt.cfg, rt.db, rt.log)
	if err != nil {
		return err
	}
	a.Now = e.Now
	boxes, err := a.Worker.Mailboxes(ctx)
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
		return a.Worker.PollMail(ctx, boxes, nil, print)
	}
	a.Worker.LogPolling(boxes, rt.cfg.IMAPInterval)
	a.Worker.MailinLoop(rt.cfg.IMAPInterval, print)(ctx)
	return nil
}
