package cli

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

func tiersCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "recompute" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn tiers recompute [--workspace SLUG]")
	}
	fs := newFlags("tiers recompute", env)
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	return withStore(ctx, fs, args[1:], env, func(a *app.App, _ *sqlstore.DB) error {
		ws, err := workspaceNamed(ctx, a, *slug)
		if err != nil {
			return err
		}
		counts, changed, err := a.RecomputeStandings(ctx, ws)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s\n%d members changed tier or lifecycle\n", tierLine(counts), changed)
		return nil
	})
}

func tierLine(counts map[string]int) string {
	total := 0
	for _, n := range counts {
		total += n
	}
	s := ""
	for _, t := range shequn.Tiers {
		s += fmt.Sprintf("%s %d (%.1f%%)  ", t, counts[t], 100*float64(counts[t])/float64(max(total, 1)))
	}
	return s
}

// recomputeEvery recomputes every workspace's tiers now and every
// interval, and those with new events every minute, until ctx ends.
func recomputeEvery(ctx context.Context, a *app.App, interval time.Duration, log *slog.Logger) {
	run := func(only []int64) {
		wss, err := a.Workspaces(ctx)
		if err != nil {
			log.Error("tiers: list workspaces", "err", err)
			return
		}
		for _, ws := range wss {
			if only != nil && !slices.Contains(only, ws.ID) {
				continue
			}
			if _, n, err := a.RecomputeStandings(ctx, ws); err != nil {
				log.Error("tiers: recompute", "workspace", ws.Slug, "err", err)
			} else if n > 0 {
				log.Info("tiers recomputed", "workspace", ws.Slug, "changed", n)
			}
		}
	}
	run(nil)
	full := time.NewTicker(interval)
	defer full.Stop()
	minute := time.NewTicker(time.Minute)
	defer minute.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-full.C:
			a.TakeStale()
			run(nil)
		case <-minute.C:
			if stale := a.TakeStale(); len(stale) > 0 {
				run(stale)
			}
		}
	}
}
