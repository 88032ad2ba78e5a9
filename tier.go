package shequn

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Member tiers, from most to least engaged.
const (
	TierCore     = "core"
	TierActive   = "active"
	TierRegular  = "regular"
	TierNewcomer = "newcomer"
	TierLurker   = "lurker"
	TierDormant  = "dormant"
	TierChurned  = "churned"
)

// Lifecycle states (S2): joined → activated → retained → dormant →
// reactivated or churned.
const (
	LifeJoined      = "joined"
	LifeActivated   = "activated"
	LifeRetained    = "retained"
	LifeDormant     = "dormant"
	LifeReactivated = "reactivated"
	LifeChurned     = "churned"
)

// TierCriteria are a workspace's tunable thresholds, read over the last
// WindowDays (like Discourse's trust levels: windowed and explainable).
type TierCriteria struct {
	WindowDays       int `json:"window_days"`
	CoreActiveDays   int `json:"core_active_days"`
	CoreMessages     int `json:"core_messages"`
	CoreInvites      int `json:"core_invites"` // invites that stayed, an alternative path to core
	ActiveDays       int `json:"active_days"`
	RegularDays      int `json:"regular_days"`
	NewcomerDays     int `json:"newcomer_days"`
	RetainedDays     int `json:"retained_days"`      // activated and still active this long after joining
	DemotionHoldDays int `json:"demotion_hold_days"` // a tier is kept this long before a demotion
}

// DefaultTierCriteria is what a workspace starts with.
func DefaultTierCriteria() TierCriteria {
	return TierCriteria{WindowDays: 30, CoreActiveDays: 15, CoreMessages: 60, CoreInvites: 5, ActiveDays: 6, RegularDays: 2,
		NewcomerDays: 14, RetainedDays: 14, DemotionHoldDays: 14}
}

// Activity is what a member did, as tiers read it.
type Activity struct {
	FirstJoined   time.Time // zero if unknown
	ActiveMember  bool      // in at least one group now
	Messages      int       // in the window
	ActiveDays    int       // in the window
	EverActive    bool      // any message ever
	FirstActive   time.Time // first message day, zero if none
	LastActive    time.Time // last message day, zero if none
	InvitesStayed int       // people they invited who are still in
}

// Reason is one criterion with the figure that met or missed it.
type Reason struct {
	Criterion string `json:"criterion"`
	Want      string `json:"want"`
	Got       string `json:"got"`
	Met       bool   `json:"met"`
}

// ReasonCriteria names every criterion a Reason can carry, in a fixed
// order: stores may keep a reason's place in this list instead of its name,
// so names are only ever appended.
var ReasonCriteria = []string{
	"active days in window", "messages in window", "invites who stayed", "active days for active",
	"active days for regular", "groups joined now", "days since joining", "days since last message", "messages ever",
}

// Standing is a member's tier and lifecycle with why and since when.
type Standing struct {
	Tier           string    `json:"tier"`
	TierSince      time.Time `json:"tier_since"`
	Lifecycle      string    `json:"lifecycle"`
	LifecycleSince time.Time `json:"lifecycle_since"`
	Reasons        []Reason  `json:"reasons"`
}

// Tiers lists the tiers from most to least engaged: the one order for
// ranks, lists and reports.
var Tiers = []string{TierCore, TierActive, TierRegular, TierNewcomer, TierLurker, TierDormant, TierChurned}

// RankTier orders tiers: higher is more engaged (0 for an unknown tier).
func RankTier(t string) int {
	for i, x := range Tiers {
		if x == t {
			return len(Tiers) - i
		}
	}
	return 0
}

func reason(name string, want, got int) Reason {
	return Reason{Criterion: name, Want: fmt.Sprintf("≥ %d", want), Got: fmt.Sprint(got), Met: got >= want}
}

// ComputeTier places a member by the criteria at now and says why.
func ComputeTier(c TierCriteria, a Activity, now time.Time) (string, []Reason) {
	days := func(t time.Time) int { return int(now.Sub(t).Hours() / 24) }
	rs := []Reason{
		reason("active days in window", c.CoreActiveDays, a.ActiveDays),
		reason("messages in window", c.CoreMessages, a.Messages),
		reason("invites who stayed", c.CoreInvites, a.InvitesStayed),
		reason("active days for active", c.ActiveDays, a.ActiveDays),
		reason("active days for regular", c.RegularDays, a.ActiveDays),
	}
	switch {
	case !a.ActiveMember:
		return TierChurned, append(rs, Reason{Criterion: "groups joined now", Want: "≥ 1", Got: "0", Met: false})
	case rs[0].Met && rs[1].Met, rs[2].Met && rs[3].Met:
		return TierCore, rs
	case rs[3].Met:
		return TierActive, rs
	case rs[4].Met:
		return TierRegular, rs
	case !a.FirstJoined.IsZero() && days(a.FirstJoined) < c.NewcomerDays:
		return TierNewcomer, append(rs, Reason{Criterion: "days since joining", Want: fmt.Sprintf("< %d", c.NewcomerDays), Got: fmt.Sprint(days(a.FirstJoined)), Met: true})
	case a.EverActive:
		return TierDormant, append(rs, Reason{Criterion: "days since last message", Want: fmt.Sprintf("≤ %d", c.WindowDays), Got: fmt.Sprint(days(a.LastActive)), Met: false})
	}
	return TierLurker, append(rs, Reason{Criterion: "messages ever", Want: "≥ 1", Got: "0", Met: false})
}

// NextStanding moves a member's standing to now: promotions take effect at
// once, demotions only after the tier was held DemotionHoldDays, and the
// lifecycle advances with the time of each transition kept.
func NextStanding(c TierCriteria, prev *Standing, a Activity, now time.Time) Standing {
	tier, reasons := ComputeTier(c, a, now)
	s := Standing{Tier: tier, TierSince: now, Reasons: reasons}
	if prev != nil {
		s.Lifecycle, s.LifecycleSince = prev.Lifecycle, prev.LifecycleSince
		switch {
		case prev.Tier == tier:
			s.TierSince = prev.TierSince
		case RankTier(tier) < RankTier(prev.Tier) && tier != TierChurned && now.Sub(prev.TierSince) < time.Duration(c.DemotionHoldDays)*24*time.Hour:
			s.Tier, s.TierSince = prev.Tier, prev.TierSince // held steady
		}
	}
	life := lifecycle(c, prev, a, now)
	if s.Lifecycle != life {
		s.Lifecycle, s.LifecycleSince = life, now
	}
	return s
}

func lifecycle(c TierCriteria, prev *Standing, a Activity, now time.Time) string {
	windowStart := now.AddDate(0, 0, -c.WindowDays)
	recent := !a.LastActive.IsZero() && !a.LastActive.Before(windowStart)
	switch {
	case !a.ActiveMember:
		return LifeChurned
	case !a.EverActive:
		return LifeJoined
	case recent && prev != nil && (prev.Lifecycle == LifeDormant || prev.Lifecycle == LifeReactivated):
		return LifeReactivated
	case recent && !a.FirstJoined.IsZero() && a.LastActive.Sub(a.FirstJoined) >= time.Duration(c.RetainedDays)*24*time.Hour:
		return LifeRetained
	case recent:
		return LifeActivated
	}
	return LifeDormant
}

// Badge is an achievement a member keeps once earned.
type Badge struct {
	ID        string    `json:"id"`
	AwardedAt time.Time `json:"awarded_at"`
}

// BadgeRules are the built-in badges and when they are earned.
var BadgeRules = []struct {
	ID   string
	Earn func(a Activity, tier string, now time.Time) bool
}{
	{"first_words", func(a Activity, _ string, _ time.Time) bool { return a.EverActive }},
	{"active_7", func(a Activity, _ string, _ time.Time) bool { return a.ActiveDays >= 7 }},
	{"chatty_100", func(a Activity, _ string, _ time.Time) bool { return a.Messages >= 100 }},
	{"inviter_5", func(a Activity, _ string, _ time.Time) bool { return a.InvitesStayed >= 5 }},
	{"core", func(_ Activity, tier string, _ time.Time) bool { return tier == TierCore }},
	{"veteran_180", func(a Activity, _ string, now time.Time) bool {
		return !a.FirstJoined.IsZero() && now.Sub(a.FirstJoined) >= 180*24*time.Hour
	}},
}

// Segment is a saved member filter.
type Segment struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Filter string `json:"filter"` // query string of the members list
}

// NextLifecycle is the lifecycle state a member (or membership) is in at
// now, given the previous one.
func NextLifecycle(c TierCriteria, prev *Standing, a Activity, now time.Time) string {
	return lifecycle(c, prev, a, now)
}

// SegmentMembers reads a segment's filter (the members list's query
// string) as a member filter.
func SegmentMembers(filter string) MemberFilter {
	v, _ := url.ParseQuery(filter)
	c, _ := strconv.ParseInt(v.Get("community"), 10, 64)
	return MemberFilter{Query: v.Get("q"), Platform: v.Get("platform"), Tier: v.Get("tier"), Status: v.Get("status"), CommunityID: c}
}
