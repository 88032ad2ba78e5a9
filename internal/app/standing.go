package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// RecomputeStandings places every member of ws in a tier and lifecycle
// state from their activity, keeping transitions, and returns the count per
// tier and how many members changed.
func (a *App) RecomputeStandings(ctx context.Context, ws *shequn.Workspace) (map[string]int, int, error) {
	c, err := a.DB.FindTierCriteria(ctx, ws.ID)
	if err != nil {
		return nil, 0, err
	}
	now := a.Clock.Now()
	acts, err := a.DB.Activities(ctx, ws.ID, shequn.LastDays(now, ws.Location(), c.WindowDays), ws.Location())
	if err != nil {
		return nil, 0, err
	}
	prev, err := a.DB.Standings(ctx, ws.ID)
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
	if err := a.DB.SaveStandings(ctx, ws.ID, changes, now); err != nil {
		return nil, 0, err
	}
	if err := a.DB.AwardBadges(ctx, ws.ID, badges, now); err != nil {
		return nil, 0, err
	}
	return counts, len(changes), nil
}

// SaveTierCriteria validates and stores a workspace's tier criteria.
func (a *App) SaveTierCriteria(ctx context.Context, ws *shequn.Workspace, c shequn.TierCriteria) error {
	if c.WindowDays < 7 || c.WindowDays > 365 {
		return shequn.Errorf(shequn.EINVALID, "window_days %d: want 7 to 365", c.WindowDays)
	}
	for name, v := range map[string]int{"core_active_days": c.CoreActiveDays, "active_days": c.ActiveDays, "regular_days": c.RegularDays} {
		if v < 1 || v > c.WindowDays {
			return shequn.Errorf(shequn.EINVALID, "%s %d: want 1 to window_days", name, v)
		}
	}
	if !(c.CoreActiveDays >= c.ActiveDays && c.ActiveDays >= c.RegularDays) {
		return shequn.Errorf(shequn.EINVALID, "core_active_days ≥ active_days ≥ regular_days")
	}
	if c.CoreMessages < 0 || c.CoreInvites < 0 || c.NewcomerDays < 0 || c.RetainedDays < 0 || c.DemotionHoldDays < 0 {
		return shequn.Errorf(shequn.EINVALID, "thresholds must not be negative")
	}
	return a.DB.SaveTierCriteria(ctx, ws.ID, c)
}

// SaveSegment validates and saves a member filter.
func (a *App) SaveSegment(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, name, filter string) (*shequn.Segment, error) {
	if op != nil && !op.CanEdit() {
		return nil, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not save segments")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > shequn.MaxNameLen || len(filter) > 2000 {
		return nil, shequn.Errorf(shequn.EINVALID, "segment name: 1 to %d bytes", shequn.MaxNameLen)
	}
	s := &shequn.Segment{Name: name, Filter: filter}
	return s, a.DB.CreateSegment(ctx, ws.ID, s)
}
