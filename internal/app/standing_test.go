package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/sim"
)

// The simulator's workspace shows a believable distribution: a few percent
// core members and many lurkers.
func TestSimulatedTierDistribution(t *testing.T) {
	a, ws := apptest.New(t, "demo", "Asia/Shanghai")
	end := time.Date(2026, 6, 30, 20, 0, 0, 0, time.UTC)
	var evs []shequn.Event
	if err := sim.Run(sim.Config{Seed: 2026, Communities: 12, Members: 1500, Days: 60, End: end, Location: ws.Location()}, func(e shequn.Event) error {
		evs = append(evs, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < len(evs); i += 2000 {
		// As history: tiers need the activity, not the replies and actions.
		if _, err := a.Pipeline.IngestHistory(ctx, ws, evs[i:min(i+2000, len(evs))]); err != nil {
			t.Fatal(err)
		}
	}
	a.Clock = fixed{end}
	counts, _, err := a.RecomputeStandings(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	share := func(tier string) float64 { return float64(counts[tier]) / float64(total) }
	t.Logf("%d members: %v", total, counts)
	if s := share(shequn.TierCore); s < 0.005 || s > 0.08 {
		t.Errorf("core share %.3f: want a few percent", s)
	}
	if s := share(shequn.TierLurker); s < 0.2 {
		t.Errorf("lurker share %.3f: want many lurkers", s)
	}
	if share(shequn.TierCore) >= share(shequn.TierActive) || share(shequn.TierActive) >= share(shequn.TierLurker) {
		t.Errorf("want core < active < lurkers: %v", counts)
	}
}

type fixed struct{ t time.Time }

func (f fixed) Now() time.Time { return f.t }

func TestStaleWorkspaces(t *testing.T) {
	a, ws := apptest.New(t, "w", "UTC")
	if got := a.TakeStale(); len(got) != 0 {
		t.Fatalf("stale before any event: %v", got)
	}
	_, err := a.IngestEvents(context.Background(), ws, []shequn.EventInput{{ID: "1", Platform: "qq", Community: "g", Actor: "a", Kind: "message", TS: "2026-03-02T10:00:00Z"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.TakeStale(); len(got) != 1 || got[0] != ws.ID {
		t.Fatalf("stale = %v", got)
	}
	if got := a.TakeStale(); len(got) != 0 {
		t.Fatalf("stale twice: %v", got)
	}
}
