package worker

import "context"

// All returns the loops that run inside `serve` unless
// --web-only is given (mail-in poller, reminder scheduler, outbox sender),
// according to the configuration.
func (a *Worker) All() []func(context.Context) {
	var ws []func(context.Context)
	ws = append(ws, a.ReminderWorkers(a.LogReminder)...) // reminder scheduler, outbox sender (with SMTP)
	ws = append(ws, a.MailinWorkers()...)                // mail-in poller (every configured mailbox)
	return ws
}
