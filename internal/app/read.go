package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// MemberProfile is everything the member page shows.
type MemberProfile struct {
	Member      *shequn.Member
	Identities  []*shequn.Identity
	Memberships []*shequn.Membership
	Stats       shequn.MemberStats
	Timeline    []*shequn.StoredEvent
	Standing    *shequn.Standing // nil until tiers are computed
	Balance     int64
	Points      []*shequn.PointsEntry
	Badges      []shequn.Badge
	Level       int   // by lifetime points earned and granted
	NextLevelAt int64 // lifetime points the next level needs (0 at the top)
	Lifetime    int64
}

// Platforms lists the platforms of the member's identities.
func (p *MemberProfile) Platforms() []string {
	var out []string
	for _, i := range p.Identities {
		if !slices.Contains(out, i.Platform) {
			out = append(out, i.Platform)
		}
	}
	return out
}

// MemberProfile loads a member of ws with identities, memberships, figures
// over win and the latest 50 events of the timeline.
func (a *App) MemberProfile(ctx context.Context, ws *shequn.Workspace, id int64, win shequn.DayRange) (*MemberProfile, error) {
	m, err := a.DB.FindMemberByID(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	p := &MemberProfile{Member: m}
	if p.Identities, err = a.DB.FindIdentities(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Memberships, err = a.DB.FindMemberships(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Stats, err = a.DB.MemberStats(ctx, ws.ID, id, win); err != nil {
		return nil, err
	}
	p.Stats.Communities = 0
	for _, ms := range p.Memberships {
		if ms.Status == shequn.StatusActive {
			p.Stats.Communities++
		}
	}
	if p.Timeline, err = a.DB.MemberTimeline(ctx, ws.ID, id, win, 50); err != nil {
		return nil, err
	}
	if p.Standing, err = a.DB.FindStanding(ctx, ws.ID, id); shequn.ErrorCode(err) == shequn.ENOTFOUND {
		p.Standing, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	if p.Balance, _, err = a.DB.Balance(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Lifetime, err = a.DB.LifetimeEarned(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	p.Level, p.NextLevelAt = shequn.LevelOf(p.Lifetime)
	if p.Badges, err = a.DB.FindBadges(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	p.Points, err = a.DB.PointsHistory(ctx, ws.ID, id, 20)
	return p, err
}

// Community kinds, structures and stages an operator may set.
var (
	CommunityKinds      = []string{"", shequn.KindProspect, shequn.KindCustomer, shequn.KindCore, shequn.KindSupport, shequn.KindInterest, shequn.KindLocal}
	CommunityStructures = []string{"", "ring", "pyramid"}
	CommunityStages     = []string{shequn.StageNew, shequn.StageGrowing, shequn.StageMature, shequn.StageDeclining, shequn.StageArchived}
)

// UpdateCommunityAs applies a console operator's change; viewers may not.
func (a *App) UpdateCommunityAs(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, id int64, u shequn.CommunityUpdate) (*shequn.Community, error) {
	if !op.CanEdit() {
		return nil, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not change communities")
	}
	c, err := a.UpdateCommunity(ctx, ws, id, u)
	if err == nil {
		a.Log.Info("community updated", "community", id, "operator", op.ID)
	}
	return c, err
}

// UpdateCommunity validates and applies an operator's change.
func (a *App) UpdateCommunity(ctx context.Context, ws *shequn.Workspace, id int64, u shequn.CommunityUpdate) (*shequn.Community, error) {
	check := func(field string, v *string, allowed []string) error {
		if v != nil && !slices.Contains(allowed, *v) {
			return shequn.Errorf(shequn.EINVALID, "%s %q: want one of %s", field, *v, strings.Join(slices.DeleteFunc(slices.Clone(allowed), func(s string) bool { return s == "" }), ", "))
		}
		return nil
	}
	if err := check("kind", u.Kind, CommunityKinds); err != nil {
		return nil, err
	}
	if err := check("structure", u.Structure, CommunityStructures); err != nil {
		return nil, err
	}
	if err := check("stage", u.Stage, CommunityStages); err != nil {
		return nil, err
	}
	if u.Name != nil && (len(*u.Name) == 0 || len(*u.Name) > shequn.MaxNameLen) {
		return nil, shequn.Errorf(shequn.EINVALID, "name: 1 to %d bytes", shequn.MaxNameLen)
	}
	if u.Capacity != nil && *u.Capacity < 0 {
		return nil, shequn.Errorf(shequn.EINVALID, "capacity: must not be negative")
	}
	if u.TimeZone != nil && *u.TimeZone != "" {
		if _, err := time.LoadLocation(*u.TimeZone); err != nil || len(*u.TimeZone) > 64 {
			return nil, shequn.Errorf(shequn.EINVALID, "time_zone %q: unknown; use an IANA name such as Asia/Shanghai", *u.TimeZone)
		}
	}
	if u.Rules != nil && len(*u.Rules) > shequn.MaxTextLen {
		return nil, shequn.Errorf(shequn.EINVALID, "rules: longer than %d bytes", shequn.MaxTextLen)
	}
	return a.DB.UpdateCommunity(ctx, ws.ID, id, u)
}
