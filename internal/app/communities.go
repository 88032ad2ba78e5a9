package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// FindCommunities lists ws's communities matching f, with figures over win.
func (a *App) FindCommunities(ctx context.Context, ws *shequn.Workspace, f shequn.CommunityFilter, win shequn.DayRange) ([]*shequn.CommunitySummary, int, error) {
	if err := checkText("q", f.Query, maxQueryLen); err != nil {
		return nil, 0, err
	}
	return a.db.FindCommunities(ctx, ws.ID, f, win)
}

// FindCommunity returns a community of ws.
func (a *App) FindCommunity(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Community, error) {
	return a.db.FindCommunityByID(ctx, ws.ID, id)
}

// ListCommunities returns every community of ws.
func (a *App) ListCommunities(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Community, error) {
	return a.db.ListCommunities(ctx, ws.ID)
}

// CommunityEvents returns a community's latest events up to day, with
// their members' names.
func (a *App) CommunityEvents(ctx context.Context, ws *shequn.Workspace, id int64, day string, limit int) ([]*shequn.StoredEvent, error) {
	es, err := a.db.CommunityEvents(ctx, ws.ID, id, day, limit)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, e := range es {
		name, ok := names[e.MemberID]
		if !ok {
			m, err := a.db.FindMemberByID(ctx, ws.ID, e.MemberID)
			switch {
			case err == nil:
				name = m.DisplayName
			case shequn.ErrorCode(err) != shequn.ENOTFOUND:
				return nil, err
			}
			names[e.MemberID] = name
		}
		e.MemberName = name
	}
	return es, nil
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
			return shequn.Invalid(field, "%s %q: want one of %s", field, *v, strings.Join(slices.DeleteFunc(slices.Clone(allowed), func(s string) bool { return s == "" }), ", "))
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
		return nil, shequn.Invalid("name", "name: 1 to %d bytes", shequn.MaxNameLen)
	}
	if u.Capacity != nil && *u.Capacity < 0 {
		return nil, shequn.Invalid("capacity", "capacity: must not be negative")
	}
	if u.TimeZone != nil && *u.TimeZone != "" {
		if _, err := time.LoadLocation(*u.TimeZone); err != nil || len(*u.TimeZone) > 64 {
			return nil, shequn.Invalid("time_zone", "time_zone %q: unknown; use an IANA name such as Asia/Shanghai", *u.TimeZone)
		}
	}
	if err := checkList("tags", u.Tags); err != nil {
		return nil, err
	}
	if u.Theme != nil {
		if err := checkText("theme", *u.Theme, shequn.MaxNameLen); err != nil {
			return nil, err
		}
	}
	if u.Capacity != nil && *u.Capacity > 1_000_000 {
		return nil, shequn.Invalid("capacity", "capacity: at most 1000000")
	}
	if u.Rules != nil && len(*u.Rules) > shequn.MaxTextLen {
		return nil, shequn.Invalid("rules", "rules: longer than %d bytes", shequn.MaxTextLen)
	}
	c, err := a.db.UpdateCommunity(ctx, ws.ID, id, u)
	if err != nil {
		return c, err
	}
	return c, a.forgetFigures(ctx, ws) // names and benchmark flags are in the figures
}

// GroupChoices is what a console picker offers: every group with its
// platform and member count (most active first), and the kinds, tags and
// platforms the groups use.
type GroupChoices struct {
	Groups                 []*shequn.CommunitySummary
	Kinds, Tags, Platforms []string
}

// ByID returns the chosen groups, in the picker's order.
func (g GroupChoices) ByID(ids []int64) []*shequn.CommunitySummary {
	var out []*shequn.CommunitySummary
	for _, c := range g.Groups {
		if slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// Choices lists ws's groups for a picker.
func (a *App) Choices(ctx context.Context, ws *shequn.Workspace) (GroupChoices, error) {
	cs, _, err := a.db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{MembersOnly: true}, shequn.DayRange{})
	if err != nil {
		return GroupChoices{}, err
	}
	g := GroupChoices{Groups: cs}
	seen := map[string]bool{}
	add := func(list *[]string, prefix, v string) {
		if v != "" && !seen[prefix+v] {
			seen[prefix+v] = true
			*list = append(*list, v)
		}
	}
	for _, c := range cs {
		add(&g.Kinds, "k:", c.Kind)
		add(&g.Platforms, "p:", c.Platform)
		for _, t := range c.Tags {
			add(&g.Tags, "t:", t)
		}
	}
	slices.Sort(g.Kinds)
	slices.Sort(g.Tags)
	slices.Sort(g.Platforms)
	return g, nil
}
