package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testCampaignRuns: random event streams — joins through inviters (some
// people seen before the start), leaves at random times, every event
// replayed — run through the ledger by four ticks at once at several
// times; each inviter's confirmed count equals a brute force over the
// events, each reached stage is paid exactly once, and a stage's payouts
// never pass its stock.
func testCampaignRuns(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 2; seed++ {
		ws := MustCreateWorkspace(t, db, fmt.Sprintf("runs%d", seed), "UTC")
		a := app.New(db, nil)
		rng := rand.New(rand.NewPCG(seed, 11))
		start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		c := &shequn.Campaign{Name: "送", NewOnly: true, HoldHours: 72, Start: start, End: start.Add(5 * 24 * time.Hour),
			Stages: []shequn.Stage{{Threshold: 2, Points: 10}, {Threshold: 4, Points: 40, Stock: 3}}}
		events, want := campaignStream(rng, c)
		for range 2 { // every event twice
			if _, err := a.ImportEvents(ctx, ws, events); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.SaveCampaign(ctx, ws, nil, c); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{start.Add(2 * 24 * time.Hour), start.Add(6 * 24 * time.Hour), c.End.Add(73 * time.Hour)} {
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if err := a.RunCampaigns(ctx, ws, at); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
		checkCampaign(t, a, db, ws, c, want)
	}
}

// campaignStream makes joins through 6 inviters over the campaign, some
// by people already in a group before it, some followed by a leave; it
// returns the events and each inviter's confirmed count under the rules.
func campaignStream(rng *rand.Rand, c *shequn.Campaign) ([]shequn.EventInput, map[string]int) {
	ev := func(id, actor, kind string, at time.Time, inviter string) shequn.EventInput {
		return shequn.EventInput{ID: id, Platform: "qq", Community: "g", CommunityName: "g", Actor: actor, ActorName: actor, Kind: kind,
			TS: at.Format(time.RFC3339), Inviter: inviter}
	}
	var out []shequn.EventInput
	for i := range 6 {
		out = append(out, ev(fmt.Sprint("ij", i), fmt.Sprint("inv", i), "join", c.Start.Add(-48*time.Hour), ""))
	}
	want := map[string]int{}
	hold := time.Duration(c.HoldHours) * time.Hour
	for p := range 80 {
		who, inviter := fmt.Sprint("p", p), fmt.Sprint("inv", rng.IntN(6))
		at := c.Start.Add(time.Duration(rng.IntN(5*24*60)) * time.Minute)
		old := rng.IntN(6) == 0
		if old {
			out = append(out, ev("o"+who, who, "join", c.Start.Add(-24*time.Hour), ""), ev("ol"+who, who, "leave", c.Start.Add(-12*time.Hour), ""))
		}
		out = append(out, ev("j"+who, who, "join", at, inviter))
		left := rng.IntN(4) == 0
		if left {
			out = append(out, ev("l"+who, who, "leave", at.Add(time.Duration(1+rng.IntN(int(hold.Hours())-1))*time.Hour), ""))
		}
		if !old && !left {
			want[inviter]++
		}
	}
	return out, want
}

func checkCampaign(t *testing.T, a *app.App, db *sqlstore.DB, ws *shequn.Workspace, c *shequn.Campaign, want map[string]int) {
	t.Helper()
	ctx := context.Background()
	progress, err := a.CampaignProgress(ctx, ws, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, p := range progress {
		got[p.Name] = p.Confirmed
		if p.Held != 0 {
			t.Errorf("%s: %d helps still held after every hold window ended", p.Name, p.Held)
		}
		var points int64
		for i, s := range c.Stages {
			if p.Confirmed >= s.Threshold && (s.Stock == 0 || i == 0) {
				points += s.Points
			}
		}
		balance, _, err := db.Balance(ctx, ws.ID, p.MemberID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Stages[1].Stock > 0 && p.Confirmed >= c.Stages[1].Threshold {
			// stage 2 pays the first 3 to reach it: 10 or 50 points
			if balance != 10 && balance != 50 {
				t.Errorf("%s: balance %d, want 10 or 50", p.Name, balance)
			}
		} else if balance != points {
			t.Errorf("%s: balance %d, want %d (each stage once)", p.Name, balance, points)
		}
	}
	for inv, n := range want {
		if got[inv] != n {
			t.Errorf("%s: %d confirmed, brute force %d", inv, got[inv], n)
		}
	}
	back, _ := db.FindCampaign(ctx, ws.ID, c.ID)
	if back.Stages[1].Paid > back.Stages[1].Stock {
		t.Errorf("stage 2 paid %d, over its stock %d", back.Stages[1].Paid, back.Stages[1].Stock)
	}
}
