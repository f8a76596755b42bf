package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"retkoop/app/auth"
	"retkoop/app/store"
)

// App holds every dependency of the HTTP handlers and the workers. The
// database is reached only through scoped handles (store.CoopScope,
// store.ADScope) or the named cross-tenant ones (System, Auth).
type App struct {
	Cfg        *Config
	DB         *store.DB
	render     *Renderer
	Log        *slog.Logger
	Now        func() time.Time
	idThrottle *auth.Throttle
	ipThrottle *auth.Throttle
	HashParams auth.Params
	sessionTTL time.Duration
	bookViews  viewCache // rendered book lists (bookcache.go)
}

// New builds the application around an open, migrated database.
func New(cfg *Config, db *store.DB, log *slog.Logger) (*App, error) {
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return &App{
		Cfg: cfg, DB: db, render: r, Log: log, Now: time.Now,
		idThrottle: auth.NewThrottle(5, 15*time.Minute),
		ipThrottle: auth.NewThrottle(30, 15*time.Minute),
		HashParams: auth.DefaultParams,
		sessionTTL: 12 * time.Hour,
	}, nil
}

// Handler returns the complete HTTP handler: the gin router wrapped in Go's
// cross-origin protection (Sec-Fetch-Site / Origin checks), which refuses a
// state-changing request coming from another site, login included.
func (a *App) Handler() http.Handler {
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

// Serve listens on the configured address until ctx is cancelled, then shuts
// down gracefully (in-flight requests get 15 s), then stops the workers.
func (a *App) Serve(ctx context.Context, workers ...func(context.Context)) error {
	srv := &http.Server{
		Addr:              a.Cfg.Addr,
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	a.Log.Info("listening", "addr", ln.Addr().String(), "base_url", a.Cfg.BaseURL.String())
	wctx, stopWorkers := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); w(wctx) }()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopWorkers()
		wg.Wait()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.Log.Error("shutdown", "error", err)
	}
	stopWorkers()
	wg.Wait()
	return nil
}
