package app

import "context"

// backgroundWorkers returns the loops that run inside `serve` unless
// --web-only is given (mail-in poller, reminder scheduler, outbox sender),
// according to the configuration.
func (a *App) backgroundWorkers() []func(context.Context) {
	var ws []func(context.Context)
	ws = append(ws, a.reminderWorkers(a.logReminder)...) // reminder scheduler, outbox sender (with SMTP)
	ws = append(ws, a.mailinWorkers()...)                // mail-in poller (every configured mailbox)
	return ws
}
