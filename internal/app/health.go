package app

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/shequn/shequn"
)

// HealthDays is the window of the health score.
const HealthDays = 28

// groupFigures are the raw figures of one group's health.
type groupFigures struct {
	members, active, messages, replies, joins, leaves int
	newcomers, stayed7, questions, cases              int
	waits                                             []int64
	counts, week                                      map[int64]int // messages per member: 28 days, 7 days
	spark                                             []int
}

// GroupHealth scores every group of ws over the last 28 days against the
// others, worst first; each group's lifecycle stage is the one held (a
// newly measured stage shows once it has held for shequn.LifecycleHold).
func (a *App) GroupHealth(ctx context.Context, ws *shequn.Workspace) ([]shequn.GroupHealth, error) {
	out, err := a.keptHealth(ctx, ws)
	if err != nil {
		return nil, err
	}
	held, err := a.db.Lifecycles(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	now := a.Clock.Now()
	for i := range out {
		g := &out[i]
		g.Measured = g.Lifecycle
		g.Lifecycle = held[g.CommunityID].Next(g.Measured, now).Stage
		if g.Measured == g.Lifecycle {
			g.Measured = ""
		}
		g.Total()
	}
	return out, nil
}

// UpdateLifecycles measures every group's lifecycle stage now and keeps
// the held states (the detectors' tick calls it).
func (a *App) UpdateLifecycles(ctx context.Context, ws *shequn.Workspace, now time.Time) error {
	out, err := a.keptHealth(background(ctx), ws)
	if err != nil {
		return err
	}
	held, err := a.db.Lifecycles(ctx, ws.ID)
	if err != nil {
		return err
	}
	changed := map[int64]shequn.LifecycleState{}
	for _, g := range out {
		if next := held[g.CommunityID].Next(g.Lifecycle, now); next != held[g.CommunityID] {
			changed[g.CommunityID] = next
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return a.db.SaveLifecycles(ctx, ws.ID, changed)
}

// keptHealth is measureHealth, kept (see kept).
func (a *App) keptHealth(ctx context.Context, ws *shequn.Workspace) ([]shequn.GroupHealth, error) {
	return kept(ctx, a, ws, figureRequest{Kind: figHealth}, func() ([]shequn.GroupHealth, error) { return a.measureHealth(ctx, ws) })
}

// measureHealth scores every group, with its lifecycle stage as measured
// now, worst first.
func (a *App) measureHealth(ctx context.Context, ws *shequn.Workspace) ([]shequn.GroupHealth, error) {
	// measured as of today's start, so that a day's figures do not move
	// while the data does not
	loc := ws.Location()
	now := midnight(a.Clock.Now().In(loc))
	win := shequn.LastDays(now, loc, HealthDays)
	groups, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	figs, err := a.groupFigures(ctx, ws, win, now)
	if err != nil {
		return nil, err
	}
	weights, err := a.HealthWeights(ctx, ws)
	if err != nil {
		return nil, err
	}
	firsts, err := a.db.FirstDays(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	out := make([]shequn.GroupHealth, len(groups))
	for i, c := range groups {
		g := figs[c.ID]
		if g == nil {
			g = &groupFigures{spark: make([]int, HealthDays)}
		}
		out[i] = shequn.GroupHealth{CommunityID: c.ID, Name: c.Name, Platform: c.Platform, Benchmark: c.Benchmark,
			Members: g.members, Active: g.active, Messages: g.messages, Spark: g.spark,
			Lifecycle: lifecycle(firstSeen(c, firsts[c.ID], loc), g, now), SingleVoice: singleVoice(g.week)}
		out[i].Parts = healthParts(g, weights)
	}
	scoreParts(out, figs, groups)
	for i := range out {
		out[i].Total()
	}
	slices.SortStableFunc(out, func(x, y shequn.GroupHealth) int { return x.Score - y.Score })
	return out, nil
}

// groupFigures reads every group's figures from the rollups.
func (a *App) groupFigures(ctx context.Context, ws *shequn.Workspace, win shequn.DayRange, now time.Time) (map[int64]*groupFigures, error) {
	all := shequn.AnalyticsFilter{}
	figs := map[int64]*groupFigures{}
	get := func(id int64) *groupFigures {
		g := figs[id]
		if g == nil {
			g = &groupFigures{counts: map[int64]int{}, week: map[int64]int{}, spark: make([]int, HealthDays)}
			figs[id] = g
		}
		return g
	}
	totals, err := a.db.PosterTotals(ctx, ws.ID, all, win, true)
	if err != nil {
		return nil, err
	}
	for _, p := range totals {
		g := get(p.CommunityID)
		g.active++
		g.messages += p.Messages
		g.replies += p.Replies
		g.counts[p.MemberID] = p.Messages
	}
	week, err := a.db.PosterTotals(ctx, ws.ID, all, shequn.DayRange{From: win.Shift(HealthDays - 7).From, To: win.To}, true)
	if err != nil {
		return nil, err
	}
	for _, p := range week {
		get(p.CommunityID).week[p.MemberID] = p.Messages
	}
	flows, err := a.db.GroupFlows(ctx, ws.ID, all, win)
	if err != nil {
		return nil, err
	}
	first, _ := time.Parse(time.DateOnly, win.From)
	for _, f := range flows {
		g := get(f.CommunityID)
		g.joins, g.leaves = g.joins+f.Joins, g.leaves+f.Leaves
		if d, err := time.Parse(time.DateOnly, f.Day); err == nil {
			if i := int(d.Sub(first).Hours() / 24); i >= 0 && i < HealthDays {
				g.spark[i] += f.Messages
			}
		}
	}
	members, err := a.db.GroupMembers(ctx, ws.ID, all)
	if err != nil {
		return nil, err
	}
	for id, n := range members {
		get(id).members = n
	}
	return figs, a.groupNewcomers(ctx, ws, now, get)
}

// groupNewcomers adds the newcomers of 7 to 35 days ago and whether they
// stayed a week, the questions and the moderation cases of 28 days.
func (a *App) groupNewcomers(ctx context.Context, ws *shequn.Workspace, now time.Time, get func(int64) *groupFigures) error {
	nowMS := now.UnixMilli() // today's start
	joiners, err := a.db.Joiners(ctx, ws.ID, shequn.AnalyticsFilter{}, nowMS-35*dayMS, nowMS-7*dayMS, "")
	if err != nil {
		return err
	}
	for _, j := range joiners {
		g := get(j.CommunityID)
		g.newcomers++
		if j.LeftAt == 0 || j.LeftAt > j.JoinedAt+7*dayMS {
			g.stayed7++
		}
	}
	qs, err := a.db.QuestionWaits(ctx, ws.ID, shequn.AnalyticsFilter{}, nowMS-(HealthDays-1)*dayMS, nowMS+dayMS)
	if err != nil {
		return err
	}
	for _, q := range qs {
		g := get(q.CommunityID)
		g.questions++
		if q.Wait >= 0 {
			g.waits = append(g.waits, q.Wait)
		}
	}
	cases, err := a.db.GroupCases(ctx, ws.ID, nowMS-(HealthDays-1)*dayMS, nowMS+dayMS)
	if err != nil {
		return err
	}
	for id, n := range cases {
		get(id).cases = n
	}
	return nil
}

// healthParts returns a group's components with their raw values.
func healthParts(g *groupFigures, weights map[string]int) []shequn.HealthPart {
	counts := make([]int, 0, len(g.counts))
	for _, n := range g.counts {
		counts = append(counts, n)
	}
	c := shequn.Concentrate(counts)
	part := func(name string, v float64, missing bool) shequn.HealthPart {
		return shequn.HealthPart{Name: name, Value: v, Weight: weights[name], Missing: missing}
	}
	return []shequn.HealthPart{
		part(shequn.HealthActivation, shequn.Ratio(g.active, g.members), g.members == 0),
		part(shequn.HealthNewcomers, shequn.Ratio(g.stayed7, g.newcomers), g.newcomers == 0),
		part(shequn.HealthGrowth, shequn.Ratio(g.joins-g.leaves, max(g.members, 1)), false),
		part(shequn.HealthAnswers, shequn.Ratio(len(g.waits), g.questions), g.questions == 0),
		part(shequn.HealthBalance, 1-c.TopShare, g.messages == 0),
		part(shequn.HealthConversation, shequn.Ratio(g.replies, g.messages), g.messages == 0),
		part(shequn.HealthClean, max(0, 1-shequn.Ratio(g.cases, max(g.messages, 1))), false),
	}
}

// scoreParts scores every component against the groups that have it; the
// answers' score is the mean of the answered share's and the speed's.
func scoreParts(out []shequn.GroupHealth, figs map[int64]*groupFigures, groups []*shequn.Community) {
	for k := range shequn.HealthOrder {
		var idx []int
		var vals, speed []float64
		for i := range out {
			if out[i].Parts[k].Missing {
				continue
			}
			idx = append(idx, i)
			vals = append(vals, out[i].Parts[k].Value)
			if shequn.HealthOrder[k] == shequn.HealthAnswers {
				g := figs[groups[i].ID]
				speed = append(speed, -shequn.Median(g.waits))
			}
		}
		scores := shequn.Percentiles(vals)
		if speed != nil {
			fast := shequn.Percentiles(speed)
			for j := range scores {
				scores[j] = (scores[j] + fast[j]) / 2
			}
		}
		for j, i := range idx {
			out[i].Parts[k].Score = scores[j]
		}
	}
}

// singleVoice reports whether one member wrote more than half of a
// week's messages (and there were at least 10).
func singleVoice(week map[int64]int) bool {
	total, top := 0, 0
	for _, n := range week {
		total += n
		top = max(top, n)
	}
	return total >= 10 && 2*top > total
}

// firstSeen is when a group was first seen: created, or its first day of
// activity when earlier (imported history).
func firstSeen(c *shequn.Community, firstDay string, loc *time.Location) time.Time {
	if d, err := time.ParseInLocation(time.DateOnly, firstDay, loc); err == nil && d.Before(c.CreatedAt) {
		return d
	}
	return c.CreatedAt
}

// lifecycle places a group in its lifecycle from when it was first seen
// and its last 28 days.
func lifecycle(first time.Time, g *groupFigures, now time.Time) string {
	weeks := [4]int{}
	for i, n := range g.spark {
		weeks[i/7] += n
	}
	switch {
	case now.Sub(first) < 14*24*time.Hour:
		return shequn.LifecycleLaunch
	case weeks[2]+weeks[3] == 0:
		return shequn.LifecycleDormant
	case g.leaves > g.joins && g.leaves >= 3, weeks[0] > weeks[1] && weeks[1] > weeks[2] && weeks[2] > weeks[3]:
		return shequn.LifecycleDeclining
	case g.joins-g.leaves > g.members/20 && weeks[3] >= weeks[2]:
		return shequn.LifecycleGrowth
	}
	return shequn.LifecycleMature
}

// HealthWeights returns ws's weights of the health components: its own,
// else the defaults.
func (a *App) HealthWeights(ctx context.Context, ws *shequn.Workspace) (map[string]int, error) {
	w, err := a.db.HealthWeights(ctx, ws.ID)
	if err != nil || w != nil {
		return w, err
	}
	return maps.Clone(shequn.HealthWeights), nil
}

// SaveHealthWeights sets ws's weights of the health components.
func (a *App) SaveHealthWeights(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, w map[string]int) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := shequn.CheckHealthWeights(w); err != nil {
		return err
	}
	if err := a.db.SaveHealthWeights(ctx, ws.ID, w); err != nil {
		return err
	}
	return a.forgetFigures(ctx, ws)
}
