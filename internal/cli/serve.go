package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/metrics"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/platform/matrix"
	"github.com/shequn/shequn/internal/platform/telegram"
	"github.com/shequn/shequn/internal/platform/wecom"
	"github.com/shequn/shequn/internal/proxy"
	"github.com/shequn/shequn/internal/store/sqlstore"
	"github.com/shequn/shequn/internal/web"
)

// Demo login, printed by serve --demo.
const (
	DemoEmail    = "demo@shequn.local"
	DemoPassword = "shequn-demo"
)

// registry is the one list of platform connectors: a new platform is one
// package and one line here.
func registry() connector.Registry {
	return connector.Registry{"matrix": matrix.New, "telegram": telegram.New, "wecom": wecom.New}
}

// serveFlags are serve's settings.
type serveFlags struct {
	store                 storeFlags
	addr, drain, webhook  string
	trusted, metricsToken string
	publicURL             string
	tlsCert, tlsKey       string
	demo                  bool
	tick, figuresAge      time.Duration
}

func (f *serveFlags) parse(args []string, env Env) error {
	fs := newFlags("serve", env)
	f.store.register(fs, env)
	fs.StringVar(&f.addr, "addr", or(env.Getenv("SHEQUN_ADDR"), "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&f.demo, "demo", false, "create a demo workspace (20 groups, 90 days of history) when it is missing")
	fs.StringVar(&f.drain, "outbox", "log", "log: record outbox actions with the log connector until a platform connector exists; off: leave them pending")
	fs.StringVar(&f.webhook, "alert-webhook", env.Getenv("SHEQUN_ALERT_WEBHOOK"), "URL that receives alerts as JSON POSTs (else alerts are only in the inbox)")
	fs.DurationVar(&f.tick, "tick", 30*time.Second, "how often schedules, reminders and detectors run")
	fs.DurationVar(&f.figuresAge, "analytics-max-age", 30*time.Minute, "how old kept analytics figures may be once new events arrived (serve refreshes those read lately every minute; 0: always exact, slower on large histories)")
	fs.StringVar(&f.trusted, "trusted-proxy", env.Getenv("SHEQUN_TRUSTED_PROXY"), "addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For/-Proto are believed")
	fs.StringVar(&f.metricsToken, "metrics-token", env.Getenv("SHEQUN_METRICS_TOKEN"), "bearer token that lets /metrics be read from other machines (else loopback only)")
	fs.StringVar(&f.publicURL, "public-url", env.Getenv("SHEQUN_PUBLIC_URL"), "where members reach this server (https://…), for the private links sent to them")
	fs.StringVar(&f.tlsCert, "tls-cert", env.Getenv("SHEQUN_TLS_CERT"), "certificate file: serve HTTPS (with --tls-key)")
	fs.StringVar(&f.tlsKey, "tls-key", env.Getenv("SHEQUN_TLS_KEY"), "private key file of --tls-cert")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case f.drain != "log" && f.drain != "off":
		return shequn.Errorf(shequn.EINVALID, "--outbox %q: want log or off", f.drain)
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return shequn.Errorf(shequn.EINVALID, "--tls-cert and --tls-key go together")
	case f.tick <= 0:
		return shequn.Errorf(shequn.EINVALID, "--tick must be positive")
	case f.figuresAge < 0:
		return shequn.Errorf(shequn.EINVALID, "--analytics-max-age must not be negative")
	case f.publicURL != "" && !strings.HasPrefix(f.publicURL, "https://") && !strings.HasPrefix(f.publicURL, "http://"):
		return shequn.Errorf(shequn.EINVALID, "--public-url %q: want an http(s) URL", f.publicURL)
	}
	return nil
}

func serve(ctx context.Context, args []string, env Env) error {
	var f serveFlags
	if err := f.parse(args, env); err != nil {
		return err
	}
	trust, err := proxy.Parse(f.trusted)
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "--trusted-proxy: %v", err)
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, db, err := f.store.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a.PublicURL = f.publicURL
	a.SetFiguresMaxAge(f.figuresAge)
	if f.demo {
		if err := ensureDemo(ctx, a, env); err != nil {
			return err
		}
	}
	m := storeMetrics(db)
	a.Pipeline.Observe(m)
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "listen on %s: %v", f.addr, err)
	}
	srv := &http.Server{
		Handler: httpapi.New(a, web.New(a, web.WithTrust(trust), web.WithMetrics(m)),
			httpapi.WithMetrics(m), httpapi.WithMetricsToken(f.metricsToken), httpapi.WithTrust(trust)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if f.tlsCert != "" {
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "shequn %s listening on %s (%s store)\n", shequn.Version, url, db.Dialect)
	if f.demo {
		fmt.Fprintf(env.Stdout, "demo console: %s/  login: %s  password: %s\n", url, DemoEmail, DemoPassword)
	}
	errc := make(chan error, 1)
	go func() {
		if f.tlsCert != "" {
			errc <- srv.ServeTLS(ln, f.tlsCert, f.tlsKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	go recomputeEvery(ctx, a, time.Hour, log)
	go tickEvery(ctx, a, f.tick, log)
	go refreshFiguresEvery(ctx, a, time.Minute, log)
	manager := connector.NewManager(a, db, registry(), log)
	a.UseConnectors(manager)
	go manager.Run(ctx)
	if f.drain == "log" {
		drainUnconnected(ctx, a, db, f.webhook, log)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// storeMetrics is the process's metrics with the store's figures.
func storeMetrics(db *sqlstore.DB) *metrics.Metrics {
	m := metrics.New()
	if db.Dialect == sqlstore.SQLite {
		m.Gauge("shequn_sqlite_wal_bytes", "Size of the SQLite write-ahead log.", func() float64 { return float64(db.WAL().Bytes) })
		m.Gauge("shequn_sqlite_wal_largest_bytes", "Largest size of the SQLite write-ahead log since start.", func() float64 { return float64(db.WAL().Largest) })
		m.Counter("shequn_sqlite_wal_truncations_total", "Checkpoints that emptied the SQLite write-ahead log.", func() float64 { return float64(db.WAL().Truncations) })
		m.Counter("shequn_sqlite_wal_deferred_total", "Emptying checkpoints deferred because readers held the log.", func() float64 { return float64(db.WAL().Busy) })
	}
	return m
}

// drainUnconnected starts the log connector for every platform's rows in
// workspaces without an active connector for it, and the operators' notice
// worker (the alert webhook, or the log connector).
func drainUnconnected(ctx context.Context, a *app.App, db *sqlstore.DB, webhook string, log *slog.Logger) {
	stand := outbox.DefaultConfig()
	stand.Unconnected = true // a workspace's active connector drains its own rows
	stand.Rate, stand.Burst = 200, 200
	go outbox.New(db, &outbox.LogSender{DB: db, PlatformName: sqlstore.AnyPlatform}, stand, a.Clock, log).Run(ctx)
	var ops shequn.Sender = &outbox.LogSender{DB: db, PlatformName: shequn.PlatformOperators}
	if webhook != "" {
		ops = &outbox.WebhookSender{PlatformName: shequn.PlatformOperators, URL: webhook}
	}
	go outbox.New(db, ops, outbox.DefaultConfig(), a.Clock, log).Run(ctx)
}

// refreshFiguresEvery refreshes the kept analytics figures read lately
// (app.RefreshFigures), on its own so that a long refresh on a large
// history does not hold up scheduled sends.
func refreshFiguresEvery(ctx context.Context, a *app.App, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wss, err := a.Workspaces(ctx)
		if err != nil {
			log.Error("analytics figures: list workspaces", "err", err)
			continue
		}
		for _, ws := range wss {
			start := time.Now()
			n, err := a.RefreshFigures(ctx, ws, a.Clock.Now())
			if err != nil && ctx.Err() == nil {
				log.Error("analytics figures", "workspace", ws.Slug, "err", err)
			} else if n > 0 {
				log.Info("analytics figures refreshed", "workspace", ws.Slug, "figures", n, "took", time.Since(start).Round(time.Millisecond))
			}
		}
	}
}

// tickEvery runs the scheduler, reminders and detectors every interval.
func tickEvery(ctx context.Context, a *app.App, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.Tick(ctx, a.Clock.Now()); err != nil && ctx.Err() == nil {
			log.Error("tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
