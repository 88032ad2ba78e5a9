package cli

import (
	"context"

	"github.com/shequn/shequn/internal/bench"
)

func benchIngest(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench ingest", env)
	events := fs.Int("events", 1_000_000, "events in the generated stream")
	batch := fs.Int("batch", 5000, "events per transaction, for both runs")
	dir := fs.String("dir", "", "where to put the two databases (default: a temporary directory, removed after)")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.Ingest(ctx, bench.IngestConfig{Events: *events, Batch: *batch, Dir: *dir, Seed: *seed}, env.Stdout)
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

func benchSchedule(ctx context.Context, args []string, env Env) error {
	fs := newFlags("bench schedule", env)
	communities := fs.Int("communities", 10_000, "communities")
	dir := fs.String("dir", "", "where to put the outbox database (default: a temporary directory, removed after)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Schedule(ctx, bench.ScheduleConfig{Communities: *communities, Dir: *dir}, env.Stdout)
}
