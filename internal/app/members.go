package app

import (
	"context"
	"slices"
	"strings"

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
	// Inviters names the members who invited this one, by id.
	Inviters map[int64]string
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
	m, err := a.db.FindMemberByID(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	p := &MemberProfile{Member: m}
	if p.Identities, err = a.db.FindIdentities(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Memberships, err = a.db.FindMemberships(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Stats, err = a.db.MemberStats(ctx, ws.ID, id, win); err != nil {
		return nil, err
	}
	p.Stats.Communities = 0
	p.Inviters = map[int64]string{}
	for _, ms := range p.Memberships {
		if ms.Status == shequn.StatusActive {
			p.Stats.Communities++
		}
		if ms.InvitedBy != nil {
			if inv, err := a.db.FindMemberByID(ctx, ws.ID, *ms.InvitedBy); err == nil {
				p.Inviters[inv.ID] = inv.DisplayName
			} else if shequn.ErrorCode(err) != shequn.ENOTFOUND {
				return nil, err
			}
		}
	}
	if p.Timeline, err = a.db.MemberTimeline(ctx, ws.ID, id, win, 50); err != nil {
		return nil, err
	}
	if p.Standing, err = a.db.FindStanding(ctx, ws.ID, id); shequn.ErrorCode(err) == shequn.ENOTFOUND {
		p.Standing, err = nil, nil
	} else if err != nil {
		return nil, err
	}
	if p.Balance, _, err = a.db.Balance(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	if p.Lifetime, err = a.db.LifetimeEarned(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	p.Level, p.NextLevelAt = shequn.LevelOf(p.Lifetime)
	if p.Badges, err = a.db.FindBadges(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	p.Points, err = a.db.PointsHistory(ctx, ws.ID, id, 20, ws.Location())
	return p, err
}

// FindMembers lists ws's members matching f, with figures over win.
func (a *App) FindMembers(ctx context.Context, ws *shequn.Workspace, f shequn.MemberFilter, win shequn.DayRange) ([]*shequn.MemberSummary, int, error) {
	if err := checkText("q", f.Query, maxQueryLen); err != nil {
		return nil, 0, err
	}
	return a.db.FindMembers(ctx, ws.ID, f, win)
}

// EachMember calls fn with every member f matches, a chunk at a time
// (for exports).
func (a *App) EachMember(ctx context.Context, ws *shequn.Workspace, f shequn.MemberFilter, win shequn.DayRange, fn func(*shequn.MemberSummary) error) error {
	if err := checkText("q", f.Query, maxQueryLen); err != nil {
		return err
	}
	return a.db.EachMember(ctx, ws.ID, f, win, fn)
}

// FindMember returns a member of ws.
func (a *App) FindMember(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Member, error) {
	return a.db.FindMemberByID(ctx, ws.ID, id)
}

// MemberNamed finds ws's member whose display name is name exactly: not
// found when none is, a conflict when several are (the operator then
// names one by its id).
func (a *App) MemberNamed(ctx context.Context, ws *shequn.Workspace, name string) (*shequn.Member, error) {
	name = strings.TrimSpace(name)
	if err := checkText("name", name, shequn.MaxNameLen); err != nil || name == "" {
		return nil, shequn.Errorf(shequn.ENOTFOUND, "no member is called %q", name)
	}
	ms, _, err := a.db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Query: name, Limit: 50}, shequn.DayRange{})
	if err != nil {
		return nil, err
	}
	var found []*shequn.Member
	for _, m := range ms {
		if m.DisplayName == name {
			found = append(found, &m.Member)
		}
	}
	switch len(found) {
	case 0:
		return nil, shequn.Errorf(shequn.ENOTFOUND, "no member is called %q", name)
	case 1:
		return found[0], nil
	}
	return nil, shequn.Errorf(shequn.ECONFLICT, "%d members are called %q: add the one you mean with its number, as %s #%d", len(found), name, name, found[0].ID)
}
