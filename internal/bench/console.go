package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// ConsoleConfig sizes the console benchmark.
type ConsoleConfig struct {
	Data string // SQLite data directory, reused when it holds the workspace; a temporary one when empty
	DB   string // PostgreSQL URL; overrides Data
	// The workspace built when missing: groups, people and events over a
	// year ending today.
	Communities, Members, Events int
	Runs                         int    // timed requests per page
	Workspace                    string // its slug
	Only                         string // when set, only the pages whose path contains it
	Seed                         uint64
}

// PageTiming is one page's figures.
type PageTiming struct {
	Path          string
	P50, P95, Max time.Duration
}

// ConsoleResult is what the console benchmark measured.
type ConsoleResult struct {
	Events   int64
	Pages    []PageTiming
	Resident int64 // peak resident bytes of this process while pages were served
}

// Slowest is the page with the highest p95.
func (r ConsoleResult) Slowest() PageTiming {
	var s PageTiming
	for _, p := range r.Pages {
		if p.P95 >= s.P95 {
			s = p
		}
	}
	return s
}

const (
	consoleEmail, consolPw = "bench-console@shequn.local", "bench-console-password"
)

// Console builds (or reuses) a large workspace, serves it on loopback and
// requests every console page and API read cfg.Runs times each after one
// warm-up, printing p50/p95/max per page and, last, one summary line.
func Console(ctx context.Context, cfg ConsoleConfig, out io.Writer) (ConsoleResult, error) {
	if cfg.Runs <= 0 || cfg.Events <= 0 || cfg.Communities <= 0 || cfg.Members <= 0 {
		return ConsoleResult{}, shequn.Errorf(shequn.EINVALID, "runs, events, communities and members must be positive")
	}
	dsn, cleanup, err := consoleStore(cfg)
	if err != nil {
		return ConsoleResult{}, err
	}
	defer cleanup()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return ConsoleResult{}, err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	_, n, err := consoleWorkspace(ctx, a, cfg, out)
	if err != nil {
		return ConsoleResult{}, err
	}
	// as serve does every few minutes on PostgreSQL: fresh statistics, and
	// dead rows reclaimed where the server's autovacuum is off
	if m, err := db.Maintain(ctx); err != nil {
		return ConsoleResult{}, err
	} else if len(m.Analyzed)+len(m.Vacuumed) > 0 {
		fmt.Fprintf(out, "maintenance: analyzed %d tables, vacuumed %d\n", len(m.Analyzed), len(m.Vacuumed))
	}
	if err := storageReport(ctx, db, n, out); err != nil {
		return ConsoleResult{}, err
	}
	debug.FreeOSMemory()
	token, err := consoleAccess(ctx, a, cfg.Workspace)
	if err != nil {
		return ConsoleResult{}, err
	}
	url, stop, err := serveLoopback(a)
	if err != nil {
		return ConsoleResult{}, err
	}
	defer stop()
	l := &loader{cfg: LoadConfig{URL: url, Token: token, Email: consoleEmail, Password: consolPw,
		Client: &http.Client{Timeout: 5 * time.Minute}}}
	if err := l.login(ctx); err != nil {
		return ConsoleResult{}, err
	}
	paths, err := consolePages(ctx, l)
	if err != nil {
		return ConsoleResult{}, err
	}
	res := ConsoleResult{Events: n}
	for _, p := range paths {
		if !strings.Contains(p, cfg.Only) {
			continue
		}
		t, err := timePage(ctx, l, p, cfg.Runs)
		if err != nil {
			return res, err
		}
		res.Pages = append(res.Pages, t)
		res.Resident = max(res.Resident, resident())
		fmt.Fprintf(out, "  %-52s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", p, ms(t.P50), ms(t.P95), ms(t.Max))
	}
	var all []time.Duration
	for _, p := range res.Pages {
		all = append(all, p.P50)
	}
	fmt.Fprintf(out, "resident memory while serving: %.0f MB\n", float64(res.Resident)/(1<<20))
	s := res.Slowest()
	fmt.Fprintf(out, "console: pages %d p50 %.1f ms p95 %.1f ms max %.1f ms slowest %s\n", len(res.Pages),
		ms(quantile(all, 0.5)), ms(s.P95), ms(maxOf(res.Pages)), s.Path)
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func maxOf(ps []PageTiming) time.Duration {
	var m time.Duration
	for _, p := range ps {
		m = max(m, p.Max)
	}
	return m
}

// consoleStore returns the store to open: the PostgreSQL URL, the given
// data directory or a temporary one (removed by cleanup).
func consoleStore(cfg ConsoleConfig) (string, func(), error) {
	if cfg.DB != "" {
		return cfg.DB, func() {}, nil
	}
	if cfg.Data != "" {
		if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
			return "", nil, fmt.Errorf("data directory: %w", err)
		}
		return filepath.Join(cfg.Data, "shequn.db"), func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "shequn-console-")
	if err != nil {
		return "", nil, fmt.Errorf("temp dir: %w", err)
	}
	return filepath.Join(tmp, "shequn.db"), func() { os.RemoveAll(tmp) }, nil
}

// simEventsPerGroupDay is what the simulator writes per group and day at
// scale 1 (measured: 1,484,872 events for 200 groups over 120 days).
const simEventsPerGroupDay = 62

// consoleWorkspace returns the bench workspace and its event count,
// simulating it through the pipeline when it holds no events yet.
func consoleWorkspace(ctx context.Context, a *app.App, cfg ConsoleConfig, out io.Writer) (*shequn.Workspace, int64, error) {
	ws, err := a.EnsureWorkspace(ctx, cfg.Workspace, cfg.Workspace, "Asia/Shanghai")
	if err != nil {
		return nil, 0, err
	}
	o, err := a.Overview(ctx, ws, shequn.DayRange{From: "0000-00-00", To: "9999-99-99"})
	if err != nil {
		return nil, 0, err
	}
	if o.Events > 0 {
		fmt.Fprintf(out, "reusing workspace %s: %d events\n", ws.Slug, o.Events)
		_, _, err := a.RecomputeStandings(ctx, ws) // as serve does within a minute
		return ws, int64(o.Events), err
	}
	start := time.Now()
	// the whole year, its message volume scaled so that it holds about
	// cfg.Events (the simulator writes ~62 events per group and day at
	// scale 1), so that every window of the console has its share
	scale := float64(cfg.Events) / (simEventsPerGroupDay * float64(cfg.Communities) * 365)
	n, err := a.Simulate(ctx, ws, sim.Config{Seed: cfg.Seed, Communities: cfg.Communities, Members: cfg.Members, Days: 365,
		End: time.Now(), Location: ws.Location(), Scale: scale}, app.BulkBatch)
	if err != nil {
		return nil, 0, err
	}
	if _, _, err := a.RecomputeStandings(ctx, ws); err != nil {
		return nil, 0, err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "built workspace %s: %d events in %v (%.0f ev/s, every stage)\n", ws.Slug, n, took.Round(time.Second), float64(n)/took.Seconds())
	return ws, int64(n), nil
}

// consoleAccess makes the bench's operator (once) and a fresh API token.
func consoleAccess(ctx context.Context, a *app.App, slug string) (string, error) {
	_, err := a.CreateOperator(ctx, slug, consoleEmail, "bench", consolPw, shequn.RoleViewer)
	if err != nil && shequn.ErrorCode(err) != shequn.ECONFLICT {
		return "", err
	}
	token, _, err := a.CreateToken(ctx, slug, "console bench "+time.Now().Format(time.RFC3339Nano))
	return token, err
}

// consolePages lists every console page and API read, with the ids of a
// busy group and of the most active member filled in.
func consolePages(ctx context.Context, l *loader) ([]string, error) {
	var comms struct {
		Communities []struct{ ID int64 } `json:"communities"`
	}
	if err := l.get(ctx, "/api/v1/communities", &comms); err != nil {
		return nil, err
	}
	var mems struct {
		Members []struct{ ID int64 } `json:"members"`
	}
	if err := l.get(ctx, "/api/v1/members?sort=messages&limit=1", &mems); err != nil {
		return nil, err
	}
	if len(comms.Communities) == 0 || len(mems.Members) == 0 {
		return nil, errors.New("console bench: the workspace has no groups or members")
	}
	c, m := strconv.FormatInt(comms.Communities[0].ID, 10), strconv.FormatInt(mems.Members[0].ID, 10)
	pages := []string{
		"/", "/communities", "/communities/" + c,
		"/members", "/members?sort=messages", "/members?sort=active", "/members?sort=name", "/members?q=a",
		"/members?community=" + c, "/members?tier=core", "/members?tier=lurker", "/members?platform=telegram", "/members?offset=5000",
		"/members/" + m, "/leaderboards", "/tiers", "/rewards",
		"/moderation", "/moderation/log", "/moderation/rules", "/moderation/blocklist",
		"/questions", "/alerts", "/outbox", "/calendar", "/challenges", "/broadcasts", "/automations", "/connectors", "/team",
		"/api/v1/stats/overview", "/api/v1/stats/daily", "/api/v1/communities", "/api/v1/communities/" + c,
		"/api/v1/members", "/api/v1/members?sort=messages", "/api/v1/members?community=" + c + "&status=active", "/api/v1/members?q=a",
		"/api/v1/members/" + m, "/api/v1/members/" + m + "/points", "/api/v1/leaderboards",
		"/api/v1/moderation/cases", "/api/v1/moderation/precision", "/api/v1/questions", "/api/v1/alerts", "/api/v1/outbox",
		"/api/v1/calendar", "/api/v1/challenges", "/api/v1/broadcasts", "/api/v1/segments", "/api/v1/redemptions",
	}
	return pages, nil
}

// timePage requests path once to warm caches, then runs times.
func timePage(ctx context.Context, l *loader, path string, runs int) (PageTiming, error) {
	if err := l.get(ctx, path, nil); err != nil {
		return PageTiming{}, err
	}
	lat := make([]time.Duration, 0, runs)
	for range runs {
		t := time.Now()
		if err := l.get(ctx, path, nil); err != nil {
			return PageTiming{}, err
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	return PageTiming{Path: path, P50: quantile(lat, 0.5), P95: quantile(lat, 0.95), Max: lat[len(lat)-1]}, nil
}

// resident is this process's resident set size in bytes (Linux), or 0.
func resident() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// storageReport prints the bytes per event of the store's tables and
// indexes, and the largest of them (with PostgreSQL's dead rows).
func storageReport(ctx context.Context, db *sqlstore.DB, events int64, out io.Writer) error {
	sizes, err := db.Sizes(ctx)
	if err != nil {
		return err
	}
	var total int64
	for _, s := range sizes {
		total += s.Bytes
	}
	per := func(b int64) float64 { return float64(b) / float64(max(events, 1)) }
	fmt.Fprintf(out, "store: %d events, %.0f MB in tables and indexes, %.0f bytes per event\n", events, float64(total)/(1<<20), per(total))
	for _, s := range sizes[:min(len(sizes), 12)] {
		dead := ""
		if s.DeadRows > 0 {
			dead = fmt.Sprintf("  (%d dead rows)", s.DeadRows)
		}
		fmt.Fprintf(out, "  %-36s %8.1f MB %6.1f B/event%s\n", s.Name, float64(s.Bytes)/(1<<20), per(s.Bytes), dead)
	}
	return nil
}
