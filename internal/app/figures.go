package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Analytics figures are computed once and kept (sqlstore.Figure): a read
// answers from the kept figure while the data it was computed from has
// not moved (exact), or while it is younger than FiguresMaxAge (serve
// allows a few minutes); otherwise it computes the figure and keeps it.
// serve refreshes the figures read lately every minute (RefreshFigures), so that
// the console's pages read kept figures at any size of history.

// Kinds of kept figures.
const (
	figSummary = "summary"
	figCohorts = "cohorts"
	figPareto  = "pareto"
	figHealth  = "health"
	// figHighlights and figInviters are lists of the analytics page.
	figHighlights = "highlights"
	figInviters   = "inviters"
	figSources    = "sources" // the join sources of the filter
	figFunnel     = "funnel"  // the growth funnel's joins over Weeks days
)

// figureRequest is what a kept figure answers; its JSON is the key.
type figureRequest struct {
	Kind   string                 `json:"kind"`
	Day    string                 `json:"day"` // today in the workspace's zone: figures move with it
	Filter shequn.AnalyticsFilter `json:"filter,omitzero"`
	// Members is the segment's filter when one is chosen (a segment edited
	// since asks for another figure).
	Members *shequn.MemberFilter `json:"members,omitempty"`
	Win     shequn.DayRange      `json:"win,omitzero"`
	Weeks   int                  `json:"weeks,omitempty"`
}

// FiguresAsOf records, across the reads of one page, the oldest time its
// figures were computed (zero when all were computed on the read).
type FiguresAsOf struct{ Oldest time.Time }

type asOfKey struct{}

// WithFiguresAsOf returns a context whose analytics reads record into r.
func WithFiguresAsOf(ctx context.Context, r *FiguresAsOf) context.Context {
	return context.WithValue(ctx, asOfKey{}, r)
}

// noteAsOf records that a read answered with a figure computed at t
// whose data has moved since.
func noteAsOf(ctx context.Context, t time.Time) {
	if r, ok := ctx.Value(asOfKey{}).(*FiguresAsOf); ok && (r.Oldest.IsZero() || t.Before(r.Oldest)) {
		r.Oldest = t
	}
}

// BackgroundAge is how old a kept figure the tick's reads accept: the
// lifecycle stages, held for days, need no fresher health than that.
const BackgroundAge = time.Hour

type backgroundKey struct{}

// background marks the tick's reads (lifecycles, the weekly report): they
// do not count as reads, so they keep no figure fresh that nobody looks at.
func background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

func isBackground(ctx context.Context) bool { return ctx.Value(backgroundKey{}) != nil }

type refreshKey struct{}

// refreshing marks a read that recomputes its figure whatever is kept, and
// keeps it as last read at read (RefreshFigures, WarmFigures).
func refreshing(ctx context.Context, read time.Time) context.Context {
	return context.WithValue(ctx, refreshKey{}, read)
}

func (r figureRequest) key() string {
	r.Members = r.Filter.Members
	b, _ := json.Marshal(r)
	return string(b)
}

// kept answers req from its kept figure when that is still good, else
// computes it and keeps it.
func kept[T any](ctx context.Context, a *App, ws *shequn.Workspace, req figureRequest, compute func() (T, error)) (T, error) {
	now := a.Clock.Now()
	req.Day = shequn.Day(now, ws.Location())
	key := req.key()
	version, err := a.db.FiguresVersion(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	if read, ok := ctx.Value(refreshKey{}).(time.Time); ok {
		return keep(ctx, a, ws, key, version, read, compute)
	}
	f, err := a.db.FindFigure(ctx, ws.ID, key)
	if err != nil {
		a.Log.Warn("analytics: kept figure unreadable", "workspace", ws.Slug, "err", err)
	}
	maxAge := a.FiguresMaxAge()
	if isBackground(ctx) {
		maxAge = max(maxAge, BackgroundAge)
	}
	if f != nil && (f.Version == version || maxAge > 0 && now.Sub(f.ComputedAt) < maxAge) {
		var v T
		if err := json.Unmarshal(f.Body, &v); err == nil {
			if !isBackground(ctx) && now.Sub(f.ReadAt) >= time.Hour {
				a.logFigure(ws, a.db.TouchFigure(ctx, ws.ID, key, now))
			}
			if f.Version != version {
				noteAsOf(ctx, f.ComputedAt)
			}
			return v, nil
		}
	}
	read := now
	if isBackground(ctx) {
		read = time.UnixMilli(0)
		if f != nil {
			read = f.ReadAt
		}
	}
	return keep(ctx, a, ws, key, version, read, compute)
}

// keep computes a figure and keeps it as of version.
func keep[T any](ctx context.Context, a *App, ws *shequn.Workspace, key, version string, read time.Time, compute func() (T, error)) (T, error) {
	start := time.Now()
	v, err := compute()
	if err != nil {
		return v, err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return v, err
	}
	fig := sqlstore.Figure{Request: key, Version: version, ComputedAt: a.Clock.Now(), ReadAt: read, Took: time.Since(start), Body: body}
	a.logFigure(ws, a.db.SaveFigure(ctx, ws.ID, fig))
	return v, nil
}

// SetFiguresMaxAge sets how long a kept figure may still be read after its
// data has moved (serve allows a few minutes; 0: exact figures only).
func (a *App) SetFiguresMaxAge(d time.Duration) { a.figuresMaxAge.Store(int64(d)) }

// FiguresMaxAge is how long a kept figure may still be read after its data
// has moved.
func (a *App) FiguresMaxAge() time.Duration { return time.Duration(a.figuresMaxAge.Load()) }

// logFigure reports a kept figure that could not be written: the read
// itself has its answer.
func (a *App) logFigure(ws *shequn.Workspace, err error) {
	if err != nil {
		a.Log.Warn("analytics: keeping a figure", "workspace", ws.Slug, "err", err)
	}
}

// forgetFigures drops ws's kept figures after a change the data version
// does not see (staff flags, weights, groups' settings, a rebuild).
func (a *App) forgetFigures(ctx context.Context, ws *shequn.Workspace) error {
	return a.db.ForgetFigures(ctx, ws.ID)
}

// FiguresRead is how long after its last read a kept figure is still
// refreshed by the tick; FiguresKept how long it is kept unread.
const (
	FiguresRead = 24 * time.Hour
	FiguresKept = 7 * 24 * time.Hour
)

// FiguresEvery is the least time between two refreshes of a figure; a
// figure that takes long to compute waits ten times as long as it took.
const FiguresEvery = 5 * time.Minute

// RefreshFigures recomputes ws's kept figures that were read in the last
// FiguresRead and whose data has moved since (at most one every
// FiguresEvery, or ten times as long as it took), and, when the analytics
// were read at all in the last FiguresKept, today's figures of the
// analytics page. It drops figures unread for FiguresKept and returns how
// many it computed.
func (a *App) RefreshFigures(ctx context.Context, ws *shequn.Workspace, now time.Time) (int, error) {
	version, err := a.db.FiguresVersion(ctx)
	if err != nil {
		return 0, err
	}
	if err := a.db.PruneFigures(ctx, ws.ID, now.Add(-FiguresKept)); err != nil {
		return 0, err
	}
	recent, err := a.db.ReadFigures(ctx, ws.ID, now.Add(-FiguresKept))
	if err != nil {
		return 0, err
	}
	today := shequn.Day(now, ws.Location())
	have := map[string]bool{}
	var due []dueFigure
	lastRead := time.UnixMilli(0)
	for _, f := range recent {
		var req figureRequest
		if f.ReadAt.After(lastRead) {
			lastRead = f.ReadAt
		}
		if json.Unmarshal([]byte(f.Request), &req) != nil || req.Day != today {
			continue
		}
		have[f.Request] = true
		if now.Sub(f.ReadAt) < FiguresRead && f.Version != version && now.Sub(f.ComputedAt) >= max(FiguresEvery, 10*f.Took) {
			due = append(due, dueFigure{req, f.ReadAt})
		}
	}
	if lastRead.UnixMilli() == 0 { // nobody read the analytics lately
		return 0, nil
	}
	for _, req := range a.pageFigures(ws, now) {
		if !have[req.key()] {
			due = append(due, dueFigure{req, lastRead})
		}
	}
	return a.refreshFigures(ctx, ws, due)
}

// WarmFigures computes and keeps the analytics page's figures of today
// (as if read at now) and returns how many it computed.
func (a *App) WarmFigures(ctx context.Context, ws *shequn.Workspace, now time.Time) (int, error) {
	var due []dueFigure
	for _, req := range a.pageFigures(ws, now) {
		due = append(due, dueFigure{req, now})
	}
	return a.refreshFigures(ctx, ws, due)
}

// dueFigure is a figure to compute again, and when it was last read.
type dueFigure struct {
	req  figureRequest
	read time.Time
}

// refreshFigures computes these figures and keeps them.
func (a *App) refreshFigures(ctx context.Context, ws *shequn.Workspace, due []dueFigure) (int, error) {
	n := 0
	for _, d := range due {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if err := a.refreshFigure(refreshing(ctx, d.read), ws, d.req); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// pageFigures are the figures the analytics page reads by default: the
// summary of the last 28 days and of the 28 before, cohorts, Pareto,
// health, highlights, top inviters and the join sources.
func (a *App) pageFigures(ws *shequn.Workspace, now time.Time) []figureRequest {
	day := shequn.Day(now, ws.Location())
	win := shequn.LastDays(now, ws.Location(), AnalyticsDays)
	return []figureRequest{
		{Kind: figSummary, Day: day, Win: win},
		{Kind: figSummary, Day: day, Win: win.Shift(-win.Days())},
		{Kind: figCohorts, Day: day, Weeks: CohortWeeks},
		{Kind: figPareto, Day: day, Win: win},
		{Kind: figHealth, Day: day},
		{Kind: figHighlights, Day: day, Win: win},
		{Kind: figInviters, Day: day, Win: win},
		{Kind: figSources, Day: day},
	}
}

// CohortWeeks is how many join weeks the analytics page shows.
const CohortWeeks = 12

// refreshFigure makes again the read that asks for req (ctx marked
// refreshing: it computes and keeps the figure). A group or segment gone
// since is nothing to compute.
func (a *App) refreshFigure(ctx context.Context, ws *shequn.Workspace, req figureRequest) error {
	var err error
	switch req.Kind {
	case figSummary:
		_, err = a.ActivitySummary(ctx, ws, req.Filter, req.Win)
	case figCohorts:
		_, err = a.Cohorts(ctx, ws, req.Filter, req.Weeks)
	case figPareto:
		_, err = a.Pareto(ctx, ws, req.Filter, req.Win)
	case figHealth:
		_, err = a.keptHealth(ctx, ws)
	case figHighlights:
		_, err = a.Highlights(ctx, ws, req.Filter, req.Win)
	case figInviters:
		_, err = a.TopInviters(ctx, ws, req.Filter, req.Win)
	case figSources:
		_, err = a.JoinSources(ctx, ws)
	case figFunnel:
		_, err = a.Funnel(ctx, ws, req.Weeks)
	}
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil
	}
	return err
}
