package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
	"github.com/shequn/shequn/internal/web"
)

const analyticsUsage = "usage: shequn analytics rebuild|summary [--workspace SLUG] …"

func analyticsCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return shequn.Errorf(shequn.EINVALID, analyticsUsage)
	}
	switch args[0] {
	case "rebuild":
		return analyticsRebuild(ctx, args[1:], env)
	case "summary":
		return analyticsSummary(ctx, args[1:], env)
	}
	return shequn.Errorf(shequn.EINVALID, analyticsUsage)
}

// analyticsRebuild recomputes the analytics rollup from the event log.
func analyticsRebuild(ctx context.Context, args []string, env Env) error {
	fs := newFlags("analytics rebuild", env)
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	return withStore(ctx, fs, args, env, func(a *app.App, _ *sqlstore.DB) error {
		ws, err := workspaceNamed(ctx, a, *slug)
		if err != nil {
			return err
		}
		n, err := a.RebuildAnalytics(ctx, ws)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "analytics: rebuilt from %d messages\n", n)
		return nil
	})
}

// analyticsSummary prints the summary of a period as JSON, as the API's
// /api/v1/analytics/summary does.
func analyticsSummary(ctx context.Context, args []string, env Env) error {
	fs := newFlags("analytics summary", env)
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: 27 days before --to)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default: today)")
	community := fs.Int64("community", 0, "one group's id")
	platform := fs.String("platform", "", "one platform's groups")
	return withStore(ctx, fs, args, env, func(a *app.App, _ *sqlstore.DB) error {
		ws, err := workspaceNamed(ctx, a, *slug)
		if err != nil {
			return err
		}
		win, err := a.AnalyticsPeriod(ws, *from, *to)
		if err != nil {
			return err
		}
		s, err := a.ActivitySummary(ctx, ws, shequn.AnalyticsFilter{CommunityID: *community, Platform: *platform}, win)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}

// workspaceNamed finds the workspace named by slug, or the only one.
func workspaceNamed(ctx context.Context, a *app.App, slug string) (*shequn.Workspace, error) {
	name, err := pickWorkspace(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	return a.FindWorkspace(ctx, name)
}

const reportUsage = "usage: shequn report weekly [--workspace SLUG] [--week 2026-W47] [--format json|html|text] [--lang zh|en]"

// reportCmd prints a weekly report: the one kept when it was made on
// Monday, else computed now.
func reportCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "weekly" {
		return shequn.Errorf(shequn.EINVALID, reportUsage)
	}
	fs := newFlags("report weekly", env)
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	week := fs.String("week", "", "ISO week, e.g. 2026-W47 (default: last full week)")
	format := fs.String("format", "json", "json, html (a page that stands alone) or text (the chat summary)")
	lang := fs.String("lang", "", "zh or en (default: the report settings' language)")
	return withStore(ctx, fs, args[1:], env, func(a *app.App, _ *sqlstore.DB) error {
		if *format != "json" && *format != "html" && *format != "text" {
			return shequn.Errorf(shequn.EINVALID, "format %q: want json, html or text", *format)
		}
		ws, err := workspaceNamed(ctx, a, *slug)
		if err != nil {
			return err
		}
		rep, err := a.WeeklyReport(ctx, ws, *week)
		if err != nil {
			return err
		}
		if *lang == "" {
			set, err := a.ReportSettings(ctx, ws)
			if err != nil {
				return err
			}
			*lang = set.Lang
		}
		switch *format {
		case "html":
			return web.RenderReport(env.Stdout, ws, rep, *lang)
		case "text":
			_, err := fmt.Fprintln(env.Stdout, app.ReportText(rep, *lang))
			return err
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	})
}
