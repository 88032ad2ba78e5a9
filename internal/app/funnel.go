package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// FunnelDays are the periods the funnel may cover.
var FunnelDays = []int{7, 30, 90}

// Funnel returns, over the last days, the funnel of each live code, each
// landing page and each channel (source): views (a visitor once a day) →
// QR shown → leads → joins → stayed 7 days (of the joins at least 7 days
// old) → posted. A WeCom code's joins are those carrying its state; a pool
// code's, the joins into its groups (personal WeChat and QQ tell nobody
// which QR a joiner scanned). A page's and a channel's joins are those
// carrying its source.
func (a *App) Funnel(ctx context.Context, ws *shequn.Workspace, days int) ([]shequn.FunnelRow, error) {
	if !slices.Contains(FunnelDays, days) {
		return nil, shequn.Invalid("days", "days %d: want 7, 30 or 90", days)
	}
	now := a.Clock.Now()
	since := now.AddDate(0, 0, -days)
	loc := ws.Location()
	counts, err := a.db.GrowthCounts(ctx, ws.ID, since.In(loc).Format(time.DateOnly), now.In(loc).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	leads, err := a.db.LeadCounts(ctx, ws.ID, since)
	if err != nil {
		return nil, err
	}
	// the joins read history (memberships and member-days): kept like the
	// analytics figures; visits and leads are small sums read each time
	joins, err := kept(ctx, a, ws, figureRequest{Kind: figFunnel, Weeks: days}, func() ([]joinCount, error) {
		return a.funnelJoins(ctx, ws, since, now)
	})
	if err != nil {
		return nil, err
	}
	codes, err := a.db.FindLiveCodes(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	pages, err := a.db.FindLandingPages(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	f := funnelData{counts: counts, leads: leads, joins: joins}
	var rows []shequn.FunnelRow
	for _, c := range codes {
		rows = append(rows, f.code(c))
	}
	for _, p := range pages {
		rows = append(rows, f.page(p))
	}
	return append(rows, f.channels()...), nil
}

type funnelData struct {
	counts []sqlstore.GrowthCount
	leads  []sqlstore.LeadCount
	joins  []joinCount
}

// joinCount is the joins from one source into one group: those old enough
// to tell whether they stayed 7 days, those that did, and those that
// posted since joining.
type joinCount struct {
	Source                         string
	Community                      int64
	Joins, Matured, Stayed, Posted int
}

// funnelJoins counts the joins since since by source and group, with the
// analytics' definitions: a member stayed d days when they had not left
// by then; posted when active on a day from their join on.
func (a *App) funnelJoins(ctx context.Context, ws *shequn.Workspace, since, now time.Time) ([]joinCount, error) {
	loc := ws.Location()
	joiners, err := a.db.Joiners(ctx, ws.ID, shequn.AnalyticsFilter{}, since.UnixMilli(), now.UnixMilli()+1, since.In(loc).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	const week = 7 * dayMS
	type key struct {
		source    string
		community int64
	}
	by := map[key]*joinCount{}
	today := midnight(now.In(loc))
	for _, j := range joiners {
		k := key{j.Source, j.CommunityID}
		c := by[k]
		if c == nil {
			c = &joinCount{Source: j.Source, Community: j.CommunityID}
			by[k] = c
		}
		c.Joins++
		if j.JoinedAt+week <= now.UnixMilli() {
			c.Matured++
			if j.LeftAt == 0 || j.LeftAt > j.JoinedAt+week {
				c.Stayed++
			}
		}
		if activeBetween(j.Days, midnight(time.UnixMilli(j.JoinedAt).In(loc)), today) {
			c.Posted++
		}
	}
	out := make([]joinCount, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	return out, nil
}

// visits adds the views and showings of counts that match.
func (f funnelData) visits(r *shequn.FunnelRow, match func(sqlstore.GrowthCount) bool) {
	for _, c := range f.counts {
		if match(c) {
			r.Views += c.Views
			r.Shown += c.Shown
		}
	}
}

// joined adds the joins that match.
func (f funnelData) joined(r *shequn.FunnelRow, match func(joinCount) bool) {
	for _, j := range f.joins {
		if match(j) {
			r.Joins += j.Joins
			r.Matured += j.Matured
			r.Stayed += j.Stayed
			r.Posted += j.Posted
		}
	}
}

func (f funnelData) code(c *shequn.LiveCode) shequn.FunnelRow {
	r := shequn.FunnelRow{Kind: "code", ID: c.ID, Name: c.Name, Source: c.ChannelState()}
	f.visits(&r, func(g sqlstore.GrowthCount) bool { return g.Kind == CountCode && g.Ref == c.ID })
	groups := map[int64]bool{}
	for _, t := range c.Targets {
		if t.CommunityID != 0 {
			groups[t.CommunityID] = true
		}
	}
	f.joined(&r, func(j joinCount) bool {
		if c.Mode == shequn.LiveWeCom {
			return j.Source == r.Source
		}
		return groups[j.Community] || j.Source == r.Source
	})
	return r
}

func (f funnelData) page(p *shequn.LandingPage) shequn.FunnelRow {
	r := shequn.FunnelRow{Kind: "page", ID: p.ID, Name: p.Title, Source: p.ChannelState()}
	f.visits(&r, func(g sqlstore.GrowthCount) bool { return g.Kind == CountPage && g.Ref == p.ID })
	for _, l := range f.leads {
		if l.Page == p.ID {
			r.Leads += l.Leads
		}
	}
	f.joined(&r, func(j joinCount) bool { return j.Source == r.Source })
	return r
}

// channels is one row per source seen in visits, leads or joins (joins of
// unknown source left out), most joins first.
func (f funnelData) channels() []shequn.FunnelRow {
	by := map[string]*shequn.FunnelRow{}
	row := func(s string) *shequn.FunnelRow {
		if by[s] == nil {
			by[s] = &shequn.FunnelRow{Kind: "channel", Name: s, Source: s}
		}
		return by[s]
	}
	for _, c := range f.counts {
		r := row(c.Source)
		r.Views += c.Views
		r.Shown += c.Shown
	}
	for _, l := range f.leads {
		row(l.Source).Leads += l.Leads
	}
	for _, j := range f.joins {
		if j.Source == "" || j.Source == "unknown" {
			continue
		}
		r := row(j.Source)
		r.Joins += j.Joins
		r.Matured += j.Matured
		r.Stayed += j.Stayed
		r.Posted += j.Posted
	}
	out := make([]shequn.FunnelRow, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b shequn.FunnelRow) int {
		return cmp.Or(b.Joins-a.Joins, b.Views-a.Views, cmp.Compare(a.Source, b.Source))
	})
	return out
}
