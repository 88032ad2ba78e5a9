package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// RecomputeStandings places every member of ws in a tier and lifecycle
// state from their activity, keeping transitions, and returns the count per
// tier and how many members changed.
func (a *App) RecomputeStandings(ctx context.Context, ws *shequn.Workspace) (map[string]int, int, error) {
	c, err := a.db.FindTierCriteria(ctx, ws.ID)
	if err != nil {
		return nil, 0, err
	}
	now := a.Clock.Now()
	acts, err := a.db.Activities(ctx, ws.ID, shequn.LastDays(now, ws.Location(), c.WindowDays), ws.Location())
	if err != nil {
		return nil, 0, err
	}
	prev, err := a.db.Standings(ctx, ws.ID)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]int{}
	var changes []sqlstore.StandingChange
	badges := map[int64][]string{}
	for id, act := range acts {
		next := shequn.NextStanding(c, prev[id], *act, now)
		counts[next.Tier]++
		for _, b := range shequn.BadgeRules {
			if b.Earn(*act, next.Tier, now) {
				badges[id] = append(badges[id], b.ID)
			}
		}
		p := prev[id]
		if p == nil || p.Tier != next.Tier || p.Lifecycle != next.Lifecycle || fmt.Sprint(p.Reasons) != fmt.Sprint(next.Reasons) {
			changes = append(changes, sqlstore.StandingChange{MemberID: id, Prev: p, Next: next})
		}
	}
	if err := a.db.SaveStandings(ctx, ws.ID, changes, now); err != nil {
		return nil, 0, err
	}
	if err := a.db.AwardBadges(ctx, ws.ID, badges, now); err != nil {
		return nil, 0, err
	}
	if err := a.payInvites(ctx, ws, now); err != nil {
		return nil, 0, err
	}
	if err := a.db.RefreshMemberActivity(ctx, ws.ID, shequn.LastDays(now, ws.Location(), shequn.WindowDays), now); err != nil {
		return nil, 0, err
	}
	if err := a.db.RefreshQuestionFigures(ctx, ws.ID, now.AddDate(0, 0, -shequn.WindowDays), now); err != nil {
		return nil, 0, err
	}
	if err := a.db.RefreshClosedDays(ctx, ws.ID, shequn.LastDays(now.AddDate(0, 0, -1), ws.Location(), shequn.ChartDays)); err != nil {
		return nil, 0, err
	}
	if _, err := a.db.PruneHourSignals(ctx, ws.ID, now.Add(-HourSignalsKept)); err != nil {
		return nil, 0, err
	}
	// the closed days' chat points into the week and month totals
	if err := a.db.FoldChatPoints(ctx, ws.ID, shequn.Day(now.AddDate(0, 0, -1), ws.Location())); err != nil {
		return nil, 0, err
	}
	if err := a.membershipLifecycles(ctx, ws, c, now); err != nil {
		return nil, 0, err
	}
	return counts, len(changes), nil
}

// TierCounts counts ws's members by tier, as last computed.
func (a *App) TierCounts(ctx context.Context, ws *shequn.Workspace) (map[string]int, error) {
	return a.db.TierCounts(ctx, ws.ID)
}

// RecomputeStandingsBy is RecomputeStandings asked by an operator.
func (a *App) RecomputeStandingsBy(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace) (map[string]int, int, error) {
	if err := canEdit(op); err != nil {
		return nil, 0, err
	}
	return a.RecomputeStandings(ctx, ws)
}

// SaveTierCriteria validates and stores a workspace's tier criteria.
func (a *App) SaveTierCriteria(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, c shequn.TierCriteria) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if c.WindowDays < 7 || c.WindowDays > 365 {
		return shequn.Invalid("window_days", "window_days %d: want 7 to 365", c.WindowDays)
	}
	if err := checkRanges(1, c.WindowDays, intField{"core_active_days", c.CoreActiveDays}, intField{"active_days", c.ActiveDays},
		intField{"regular_days", c.RegularDays}); err != nil {
		return err
	}
	if !(c.CoreActiveDays >= c.ActiveDays && c.ActiveDays >= c.RegularDays) {
		return shequn.Invalid("core_active_days", "core_active_days ≥ active_days ≥ regular_days")
	}
	if err := checkRanges(0, 100_000, intField{"core_messages", c.CoreMessages}, intField{"core_invites", c.CoreInvites},
		intField{"newcomer_days", c.NewcomerDays}, intField{"retained_days", c.RetainedDays}, intField{"demotion_hold_days", c.DemotionHoldDays}); err != nil {
		return err
	}
	return a.db.SaveTierCriteria(ctx, ws.ID, c)
}

// SaveSegment validates and saves a member filter.
func (a *App) SaveSegment(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, name, filter string) (*shequn.Segment, error) {
	if op != nil && !op.CanEdit() {
		return nil, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not save segments")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > shequn.MaxNameLen || len(filter) > 2000 {
		return nil, shequn.Invalid("name", "segment name: 1 to %d bytes", shequn.MaxNameLen)
	}
	s := &shequn.Segment{Name: name, Filter: filter}
	return s, a.db.CreateSegment(ctx, ws.ID, s)
}

// payInvites pays inviters, once per invitation, for invitees who stayed
// seven days.
func (a *App) payInvites(ctx context.Context, ws *shequn.Workspace, now time.Time) error {
	rule, err := a.db.FindPointsRule(ctx, ws.ID)
	if err != nil || rule.InviteStays <= 0 {
		return err
	}
	stays, err := a.db.InvitesThatStayed(ctx, ws.ID, now.AddDate(0, 0, -7))
	if err != nil {
		return err
	}
	day, week, month := shequn.Periods(now, ws.Location())
	var es []sqlstore.Earning
	for _, s := range stays {
		es = append(es, sqlstore.Earning{MemberID: s.Inviter, CommunityID: s.Community, Amount: int64(rule.InviteStays),
			Reason: "invitee stayed 7 days", Key: fmt.Sprintf("invite:%d", s.MembershipID), Periods: []string{day, week, month}})
	}
	return a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) error { return tx.PostEarnings(ctx, es) })
}

// markStage notes, once a batch commits, that its workspace's tiers are
// stale, so that serve recomputes them within a minute.
type markStage struct{ dirty *sync.Map }

func (markStage) Name() string { return "mark" }

func (m markStage) Apply(_ context.Context, b *pipeline.Batch) error {
	if len(b.Items) > 0 {
		b.AfterCommit(func() { m.dirty.Store(b.Workspace.ID, true) })
	}
	return nil
}

// TakeStale returns the workspaces with new events since the last call.
func (a *App) TakeStale() []int64 {
	var out []int64
	a.stale.Range(func(k, _ any) bool {
		a.stale.Delete(k)
		out = append(out, k.(int64))
		return true
	})
	return out
}

// membershipLifecycles moves every membership's lifecycle to now.
func (a *App) membershipLifecycles(ctx context.Context, ws *shequn.Workspace, c shequn.TierCriteria, now time.Time) error {
	ms, err := a.db.MembershipActivities(ctx, ws.ID, ws.Location())
	if err != nil {
		return err
	}
	var changes []sqlstore.MembershipLifecycle
	for _, m := range ms {
		var prev *shequn.Standing
		if m.Lifecycle != "" {
			prev = &shequn.Standing{Lifecycle: m.Lifecycle, LifecycleSince: m.Since}
		}
		next := shequn.NextLifecycle(c, prev, m.Activity, now)
		if next != m.Lifecycle {
			changes = append(changes, sqlstore.MembershipLifecycle{ID: m.ID, MemberID: m.MemberID, From: m.Lifecycle, To: next})
		}
	}
	return a.db.SaveMembershipLifecycles(ctx, ws.ID, changes, now)
}

// FindTierCriteria returns ws's tier criteria.
func (a *App) FindTierCriteria(ctx context.Context, ws *shequn.Workspace) (shequn.TierCriteria, error) {
	return a.db.FindTierCriteria(ctx, ws.ID)
}

// FindSegments lists ws's saved member segments.
func (a *App) FindSegments(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Segment, error) {
	return a.db.FindSegments(ctx, ws.ID)
}
