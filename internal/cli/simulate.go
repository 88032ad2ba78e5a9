package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/sim"
)

func simulate(ctx context.Context, args []string, env Env) error {
	fs := newFlags("simulate", env)
	var sf storeFlags
	sf.register(fs, env)
	comms := fs.Int("communities", 20, "number of groups")
	members := fs.Int("members", 2000, "number of people")
	days := fs.Int("days", 90, "days of history, ending today")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same events")
	slug := fs.String("workspace", "default", "workspace slug (created when missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *comms < 1 || *members < 1 || *days < 1 || *days > 3650 {
		return shequn.Errorf(shequn.EINVALID, "communities and members must be at least 1, days 1 to 3650")
	}
	a, db, err := sf.open(ctx, quietLog(env))
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := a.EnsureWorkspace(ctx, *slug, *slug, "Asia/Shanghai")
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := a.Simulate(ctx, ws, sim.Config{Seed: *seed, Communities: *comms, Members: *members, Days: *days, End: a.Clock.Now(), Location: ws.Location()}, app.BulkBatch)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "simulated %d new events into workspace %s in %v\n", n, ws.Slug, time.Since(start).Round(time.Millisecond))
	return nil
}
