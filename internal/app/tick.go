package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// Tick runs, for every workspace, the due scheduled sends, the check-in
// reminders and (every DetectEvery) the detectors. Each step of each
// workspace runs on its own: a failure is reported and the others go on.
func (a *App) Tick(ctx context.Context, now time.Time) error {
	wss, err := a.db.FindWorkspaces(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, ws := range wss {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, a.tickWorkspace(ctx, ws, now)...)
	}
	return errors.Join(errs...)
}

func (a *App) tickWorkspace(ctx context.Context, ws *shequn.Workspace, now time.Time) []error {
	var errs []error
	fail := func(step string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("workspace %s: %s: %w", ws.Slug, step, err))
		}
	}
	_, _, err := a.RunSchedules(ctx, ws, now)
	fail("schedules", err)
	_, err = a.RemindCheckins(ctx, ws, now)
	fail("reminders", err)
	_, err = a.MakeWeeklyReport(ctx, ws, now)
	fail("weekly report", err)
	fail("join ways", a.SyncJoinWays(ctx, ws, now))
	fail("campaigns", a.RunCampaigns(ctx, ws, now))
	if last, ok := a.detected.Load(ws.ID); ok && now.Sub(last.(time.Time)) < DetectEvery {
		return errs
	}
	if err := a.Detect(ctx, ws, now); err != nil {
		fail("detectors", err)
		return errs
	}
	fail("lifecycles", a.UpdateLifecycles(ctx, ws, now))
	a.detected.Store(ws.ID, now)
	return errs
}
