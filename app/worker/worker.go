// Package worker holds the background loops: the mail-in poller and its
// sink (documents filed under their coop, retries), the outbox sender, the
// reminder and digest schedulers. Each loop selects on ctx.Done() and a
// ticker and works under a database lease, so that one process at a time
// does a given job.
package worker

import "retkoop/app/service"

// Worker runs the background jobs on the shared services.
type Worker struct {
	*service.Service
}

// New returns the workers of s.
func New(s *service.Service) *Worker { return &Worker{Service: s} }
