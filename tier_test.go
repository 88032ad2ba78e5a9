package shequn_test

import (
	"testing"
	"time"

	"github.com/shequn/shequn"
)

var now = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return now.AddDate(0, 0, -n) }

func TestComputeTier(t *testing.T) {
	c := shequn.DefaultTierCriteria()
	tests := []struct {
		name string
		a    shequn.Activity
		want string
	}{
		{"core by activity", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(200), ActiveDays: 20, Messages: 120, EverActive: true, LastActive: daysAgo(0)}, shequn.TierCore},
		{"core by invites", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(200), ActiveDays: 7, Messages: 10, InvitesStayed: 6, EverActive: true, LastActive: daysAgo(1)}, shequn.TierCore},
		{"many days, few messages", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(200), ActiveDays: 20, Messages: 30, EverActive: true, LastActive: daysAgo(0)}, shequn.TierActive},
		{"active", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(90), ActiveDays: 6, Messages: 12, EverActive: true, LastActive: daysAgo(2)}, shequn.TierActive},
		{"regular", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(90), ActiveDays: 2, Messages: 3, EverActive: true, LastActive: daysAgo(5)}, shequn.TierRegular},
		{"newcomer", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(3)}, shequn.TierNewcomer},
		{"newcomer who spoke once", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(3), ActiveDays: 1, Messages: 1, EverActive: true, LastActive: daysAgo(1)}, shequn.TierNewcomer},
		{"lurker 潜水", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(60)}, shequn.TierLurker},
		{"dormant", shequn.Activity{ActiveMember: true, FirstJoined: daysAgo(300), EverActive: true, LastActive: daysAgo(45)}, shequn.TierDormant},
		{"churned", shequn.Activity{ActiveMember: false, FirstJoined: daysAgo(300), EverActive: true, LastActive: daysAgo(10), ActiveDays: 20, Messages: 100}, shequn.TierChurned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reasons := shequn.ComputeTier(c, tt.a, now)
			if got != tt.want || len(reasons) < 5 {
				t.Fatalf("tier = %s (%+v), want %s", got, reasons, tt.want)
			}
		})
	}
}

func TestStandingHoldsAndLifecycle(t *testing.T) {
	c := shequn.DefaultTierCriteria()
	joined := now.AddDate(0, 0, -100)
	type step struct {
		at        time.Time
		a         shequn.Activity
		tier      string
		lifecycle string
	}
	active := func(at time.Time, days, msgs int, first time.Time) shequn.Activity {
		return shequn.Activity{ActiveMember: true, FirstJoined: joined, ActiveDays: days, Messages: msgs, EverActive: msgs > 0, FirstActive: first, LastActive: at}
	}
	steps := []step{
		{joined.AddDate(0, 0, 1), shequn.Activity{ActiveMember: true, FirstJoined: joined}, shequn.TierNewcomer, shequn.LifeJoined},
		{joined.AddDate(0, 0, 2), active(joined.AddDate(0, 0, 2), 1, 1, joined.AddDate(0, 0, 2)), shequn.TierNewcomer, shequn.LifeActivated},
		{joined.AddDate(0, 0, 20), active(joined.AddDate(0, 0, 20), 16, 80, joined.AddDate(0, 0, 2)), shequn.TierCore, shequn.LifeRetained},
		// activity drops: the core tier is held for 14 days before a demotion
		{joined.AddDate(0, 0, 25), active(joined.AddDate(0, 0, 25), 3, 5, joined.AddDate(0, 0, 2)), shequn.TierCore, shequn.LifeRetained},
		{joined.AddDate(0, 0, 40), active(joined.AddDate(0, 0, 40), 3, 5, joined.AddDate(0, 0, 2)), shequn.TierRegular, shequn.LifeRetained},
		{joined.AddDate(0, 0, 80), shequn.Activity{ActiveMember: true, FirstJoined: joined, EverActive: true, LastActive: joined.AddDate(0, 0, 40)}, shequn.TierDormant, shequn.LifeDormant},
		{joined.AddDate(0, 0, 95), shequn.Activity{ActiveMember: true, FirstJoined: joined, EverActive: true, LastActive: joined.AddDate(0, 0, 40)}, shequn.TierDormant, shequn.LifeDormant},
		{joined.AddDate(0, 0, 96), active(joined.AddDate(0, 0, 96), 1, 2, joined.AddDate(0, 0, 2)), shequn.TierDormant, shequn.LifeReactivated},
		{joined.AddDate(0, 0, 97), shequn.Activity{ActiveMember: false, FirstJoined: joined, EverActive: true, LastActive: joined.AddDate(0, 0, 96)}, shequn.TierChurned, shequn.LifeChurned},
	}
	var prev *shequn.Standing
	for i, s := range steps {
		got := shequn.NextStanding(c, prev, s.a, s.at)
		if got.Tier != s.tier || got.Lifecycle != s.lifecycle {
			t.Fatalf("step %d: %s/%s, want %s/%s", i, got.Tier, got.Lifecycle, s.tier, s.lifecycle)
		}
		if prev != nil && prev.Lifecycle == got.Lifecycle && !got.LifecycleSince.Equal(prev.LifecycleSince) {
			t.Fatalf("step %d: lifecycle time moved without a transition", i)
		}
		prev = &got
	}
}
