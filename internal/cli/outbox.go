package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// outboxCmd: shequn outbox drain — perform every due row of a platform
// with the log connector, then stop.
func outboxCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "drain" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn outbox drain [--platform P] [--rate R] [--lease D]")
	}
	fs := newFlags("outbox drain", env)
	platform := fs.String("platform", sqlstore.AnyPlatform, "platform whose rows to perform (* for every platform)")
	rate := fs.Float64("rate", 20, "actions per second")
	lease := fs.Duration("lease", 2*time.Minute, "take again rows claimed longer ago than this (after a crash)")
	return withStore(ctx, fs, args[1:], env, func(a *app.App, db *sqlstore.DB) error {
		if *rate <= 0 || *lease < 0 {
			return shequn.Errorf(shequn.EINVALID, "--rate must be positive and --lease not negative")
		}
		cfg := outbox.DefaultConfig()
		cfg.Rate, cfg.Burst, cfg.Lease = *rate, max(1, int(*rate/10)), *lease // a tenth of a second in hand
		w := outbox.New(db, &outbox.LogSender{DB: db, PlatformName: *platform}, cfg, a.Clock, quietLog(env))
		total := 0
		for {
			n, err := w.Drain(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
			total += n
		}
		fmt.Fprintf(env.Stdout, "performed %d outbox rows of %s\n", total, *platform)
		return nil
	})
}
