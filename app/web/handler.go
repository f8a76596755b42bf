// Package web holds the HTTP side of retkoop: the route table, the
// middleware (sessions, CSRF, tenant scopes), one handler file per noun
// (h_*.go, handlers named show…/create…/update…/delete…), the view
// builders that turn store rows into page data (*view.go, *form.go) and the
// renderer of the embedded templates.
package web

import (
	"net/http"
	"time"

	"retkoop/app/auth"
	"retkoop/app/service"
	"retkoop/app/worker"
)

// Handler holds every dependency of the HTTP handlers: the shared services
// (embedded: a.DB, a.Cfg, a.Now, a.CloseBook…), the workers a page may
// trigger, the renderer, the login throttles and the book view cache.
type Handler struct {
	*service.Service
	work       *worker.Worker
	render     *Renderer
	idThrottle *auth.Throttle
	ipThrottle *auth.Throttle
	sessionTTL time.Duration
	bookViews  viewCache // rendered book lists (bookcache.go)
}

// New builds the handlers on the shared services and workers.
func New(s *service.Service, w *worker.Worker) (*Handler, error) {
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return &Handler{
		Service: s, work: w, render: r,
		idThrottle: auth.NewThrottle(5, 15*time.Minute),
		ipThrottle: auth.NewThrottle(30, 15*time.Minute),
		sessionTTL: 12 * time.Hour,
	}, nil
}

// SessionTTL is how long an idle session lasts.
func (a *Handler) SessionTTL() time.Duration { return a.sessionTTL }

// ResetBookViews empties the rendered book lists (benchmarks of the cold path).
func (a *Handler) ResetBookViews() { a.bookViews.reset() }

// HTTPHandler returns the complete HTTP handler: the gin router wrapped in
// Go's cross-origin protection (Sec-Fetch-Site / Origin checks), which
// refuses a state-changing request coming from another site, login included.
func (a *Handler) HTTPHandler() http.Handler {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(a.Cfg.BaseURL.Scheme + "://" + a.Cfg.BaseURL.Host); err != nil {
		a.Log.Warn("trusted origin", "error", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Requête refusée : elle ne provient pas de ce site (protection CSRF)."))
	}))
	return cop.Handler(a.Router())
}
