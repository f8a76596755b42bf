package app

import "context"

// backgroundWorkers returns the loops that run inside `serve` unless
// --web-only is given (mail-in poller, reminder scheduler, outbox sender),
// according to the configuration.
func (a *App) backgroundWorkers() []func(context.Context) {
	var ws []func(context.Context)
	return ws
}
