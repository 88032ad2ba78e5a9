package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/store/sqlstore"
	"github.com/shequn/shequn/internal/web"
)

// WALConfig sizes the WAL benchmark.
type WALConfig struct {
	Duration         time.Duration
	Clients, Readers int
	Batch            int
	Dir              string // where the database goes; a temporary directory when empty
	Limit            int64  // the run fails when the WAL grows past it (0: no limit)
}

// WAL serves shequn on a fresh SQLite database on loopback and loads it
// over HTTP at full speed, with API and console readers, sampling the WAL
// file; it reports the largest size seen and fails past cfg.Limit.
func WAL(ctx context.Context, cfg WALConfig, out io.Writer) (LoadResult, error) {
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "shequn-wal-")
		if err != nil {
			return LoadResult{}, fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	path := filepath.Join(dir, "shequn.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return LoadResult{}, err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := a.EnsureWorkspace(ctx, "bench", "bench", "Asia/Shanghai"); err != nil {
		return LoadResult{}, err
	}
	token, _, err := a.CreateToken(ctx, "bench", "load")
	if err != nil {
		return LoadResult{}, err
	}
	const email, password = "bench@shequn.local", "bench-password"
	if _, err := a.CreateOperator(ctx, "bench", email, "bench", password, shequn.RoleViewer); err != nil {
		return LoadResult{}, err
	}
	url, stop, err := serveLoopback(a)
	if err != nil {
		return LoadResult{}, err
	}
	defer stop()
	res, err := Load(ctx, LoadConfig{URL: url, Token: token, Clients: cfg.Clients, Readers: cfg.Readers,
		Duration: cfg.Duration, Batch: cfg.Batch, WAL: path + "-wal", Email: email, Password: password, Seed: 1}, out)
	if err != nil {
		return res, err
	}
	st := db.WAL()
	fmt.Fprintf(out, "wal: %d TRUNCATE checkpoints, %d deferred by readers; database %.0f MB\n", st.Truncations, st.Busy, float64(fileSize(path))/(1<<20))
	if cfg.Limit > 0 && res.MaxWAL > cfg.Limit {
		return res, fmt.Errorf("the WAL reached %.1f MB, over the %.0f MB limit", float64(res.MaxWAL)/(1<<20), float64(cfg.Limit)/(1<<20))
	}
	return res, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// serveLoopback serves a's API and console on a free loopback port and
// returns its base URL and a function that stops it.
func serveLoopback(a *app.App) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: httpapi.New(a, web.New(a)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
