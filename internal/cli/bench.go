package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/bench"
)

func benchIngest(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench ingest", env)
	events := fs.Int("events", 1_000_000, "events in the generated stream")
	batch := fs.Int("batch", 5000, "events per transaction, for both runs")
	dir := fs.String("dir", "", "where to put the two databases (default: a temporary directory, removed after)")
	seed := fs.Uint64("seed", 1, "random seed")
	pg := fs.String("db", "", "also run the pipeline on this PostgreSQL database (postgres://…), each run in a fresh schema dropped after, and compare")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	_, err := bench.Ingest(ctx, bench.IngestConfig{Events: *events, Batch: *batch, Dir: *dir, Seed: *seed, DB: *pg}, env.Stdout)
	return err
}

func benchLeaderboard(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench leaderboard", env)
	members := fs.Int("members", 1_000_000, "members")
	communities := fs.Int("communities", 1000, "communities")
	entries := fs.Int("entries", 5_000_000, "points entries over 12 months")
	queries := fs.Int("queries", 1000, "leaderboard queries timed")
	dir := fs.String("dir", "", "where to put the database (default: a temporary directory, removed after)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Leaderboard(ctx, bench.LeaderboardConfig{Members: *members, Communities: *communities, Entries: *entries,
		Queries: *queries, Dir: *dir, Seed: 1}, env.Stdout)
}

func benchAnalytics(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench analytics", env)
	members := fs.Int("members", 1_000_000, "members")
	communities := fs.Int("communities", 1000, "groups")
	events := fs.Int("events", 50_000_000, "events whose rollup rows are written")
	days := fs.Int("days", 120, "days of history")
	queries := fs.Int("queries", 100, "reads timed (summary, group summary, cohorts, Pareto and health in turn)")
	dir := fs.String("dir", "", "where to put the SQLite database (default: a temporary directory, removed after); a database it already holds is read again")
	pg := fs.String("db", "", "run on this PostgreSQL database (postgres://…) instead, in a fresh schema dropped after")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	_, err := bench.Analytics(ctx, bench.AnalyticsConfig{Members: *members, Communities: *communities, Events: *events, Days: *days,
		Queries: *queries, Dir: *dir, DB: *pg, Seed: 1}, env.Stdout)
	return err
}

func benchSchedule(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench schedule", env)
	communities := fs.Int("communities", 10_000, "communities")
	dir := fs.String("dir", "", "where to put the outbox database (default: a temporary directory, removed after)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Schedule(ctx, bench.ScheduleConfig{Communities: *communities, Dir: *dir}, env.Stdout)
}

func benchLoad(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench load", env)
	url := fs.String("url", "http://127.0.0.1:8080", "base URL of a running shequn")
	token := fs.String("token", env.Getenv("SHEQUN_TOKEN"), "API token of the workspace to load (or SHEQUN_TOKEN)")
	clients := fs.Int("clients", 8, "concurrent writers")
	readers := fs.Int("readers", 2, "concurrent readers of the read endpoints")
	duration := fs.Duration("duration", time.Minute, "how long to load")
	batch := fs.Int("batch", 500, "events per POST")
	wal := fs.String("wal", "", "SQLite WAL file whose size is sampled (e.g. shequn-data/shequn.db-wal)")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.Load(ctx, bench.LoadConfig{URL: strings.TrimSuffix(*url, "/"), Token: *token, Clients: *clients, Readers: *readers,
		Duration: *duration, Batch: *batch, WAL: *wal, Seed: 1}, env.Stdout)
	return err
}

func benchVisitors(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench visitors", env)
	url := fs.String("url", "http://127.0.0.1:8080", "base URL of a running shequn")
	page := fs.String("page", "/p/demo/camp-2026", "a published landing page's path")
	clients := fs.Int("clients", 16, "concurrent visitors")
	duration := fs.Duration("duration", time.Minute, "how long to load")
	leadEvery := fs.Int("lead-every", 50, "submit a lead every so many views per visitor (0: none)")
	wal := fs.String("wal", "", "SQLite WAL file whose size is sampled (e.g. shequn-data/shequn.db-wal)")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.Visitors(ctx, bench.VisitorsConfig{URL: strings.TrimSuffix(*url, "/"), Page: *page, Clients: *clients, Duration: *duration,
		LeadEvery: *leadEvery, WAL: *wal}, env.Stdout)
	return err
}

func benchFraud(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench fraud", env)
	inviters := fs.Int("inviters", 500, "real members inviting friends")
	fraud := fs.Float64("fraud", 0.2, "share of helpers who are sock puppets of invite farms")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same campaign")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.Fraud(ctx, bench.FraudConfig{Inviters: *inviters, Fraud: *fraud, Seed: *seed}, env.Stdout)
	return err
}

func benchWAL(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench wal", env)
	duration := fs.Duration("duration", 3*time.Minute, "how long to load")
	clients := fs.Int("clients", 8, "concurrent writers")
	readers := fs.Int("readers", 4, "concurrent readers (API and console pages)")
	batch := fs.Int("batch", 500, "events per POST")
	limit := fs.Int64("limit-mb", 256, "fail when the WAL grows past this many MB")
	dir := fs.String("dir", "", "where to put the database (default: a temporary directory, removed after)")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.WAL(ctx, bench.WALConfig{Duration: *duration, Clients: *clients, Readers: *readers, Batch: *batch, Dir: *dir, Limit: *limit << 20}, env.Stdout)
	return err
}

func benchConsole(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench console", env)
	data := fs.String("data", "", "SQLite data directory to build the workspace in or reuse (default: a temporary directory, removed after)")
	db := fs.String("db", "", "PostgreSQL URL (postgres://…); overrides --data")
	slug := fs.String("workspace", "bench", "workspace to measure (built when it has no events)")
	events := fs.Int("events", 10_000_000, "events of the year to build")
	communities := fs.Int("communities", 1000, "groups to build")
	members := fs.Int("members", 200_000, "people to build")
	runs := fs.Int("runs", 20, "timed requests per page")
	only := fs.String("only", "", "measure only the pages whose path contains this")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *profile != "" {
		stop, err := startCPUProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	_, err := bench.Console(ctx, bench.ConsoleConfig{Data: *data, DB: *db, Workspace: *slug, Events: *events, Communities: *communities,
		Members: *members, Runs: *runs, Only: *only, Seed: 1}, env.Stdout)
	return err
}

func runBench(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn bench ingest [--events N] [--batch B]")
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, args[1:], env)
	case "moderation":
		return benchModeration(ctx, args[1:], env)
	case "analytics":
		return benchAnalytics(ctx, args[1:], env)
	case "leaderboard":
		return benchLeaderboard(ctx, args[1:], env)
	case "schedule":
		return benchSchedule(ctx, args[1:], env)
	case "load":
		return benchLoad(ctx, args[1:], env)
	case "wal":
		return benchWAL(ctx, args[1:], env)
	case "fraud":
		return benchFraud(ctx, args[1:], env)
	case "visitors":
		return benchVisitors(ctx, args[1:], env)
	case "console":
		return benchConsole(ctx, args[1:], env)
	}
	return shequn.Errorf(shequn.EINVALID, "unknown benchmark %q (have: ingest, moderation, leaderboard, schedule, load, wal, console, visitors, fraud)", args[0])
}

// startCPUProfile writes a CPU profile to path until the returned function
// is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
