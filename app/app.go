// Package app is the composition root: it builds the services, the HTTP
// handlers and the background workers on one configuration and database,
// and serves them. The code map in README.md says which package holds what.
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

	"retkoop/app/config"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/web"
	"retkoop/app/worker"
)

// App is the assembled application: the shared services (embedded), the
// HTTP handlers and the background workers.
type App struct {
	*service.Service
	Web    *web.Handler
	Worker *worker.Worker
}

// New builds the application around an open, migrated database.
func New(cfg *config.Config, db *store.DB, log *slog.Logger) (*App, error) {
	s := service.New(cfg, db, log)
	wk := worker.New(s)
	h, err := web.New(s, wk)
	if err != nil {
		return nil, err
	}
	return &App{Service: s, Web: h, Worker: wk}, nil
}

// Handler returns the complete HTTP handler (router, middleware, CSRF).
func (a *App) Handler() http.Handler { return a.Web.HTTPHandler() }

// BackgroundWorkers returns the loops that `serve` runs unless --web-only.
func (a *App) BackgroundWorkers() []func(context.Context) { return a.Worker.All() }

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
