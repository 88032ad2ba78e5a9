package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testHelpLedger: random streams of helps (with replays and second
// inviters), decided after a hold window by whether the invitee stayed,
// give each inviter the confirmed count a brute force gives; payouts raced
// 50 ways pay each member once and never more than the stock.
func testHelpLedger(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "fission", "UTC")
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	c := &shequn.Campaign{WorkspaceID: ws.ID, Kind: shequn.CampaignTask, Name: "邀请有礼", HoldHours: 72, Start: start, End: start.Add(7 * 24 * time.Hour),
		Stages: []shequn.Stage{{Threshold: 3, Points: 10, Stock: 5}, {Threshold: 6, Points: 30}}}
	if err := db.SaveCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		ledgerStream(t, db, ws.ID, c, seed)
	}
	// the same stage raced by 50 members: at most its stock paid, and a
	// member raced against themselves is paid once
	var paid, again atomic.Int64
	var wg sync.WaitGroup
	for m := range 50 {
		wg.Go(func() {
			for range 2 {
				err := db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) error {
					ok, err := tx.PayStage(ctx, c.ID, 0, int64(10_000+m), start)
					if ok {
						paid.Add(1)
					} else if err == nil {
						again.Add(1)
					}
					return err
				})
				if err != nil && !errors.Is(err, sqlstore.ErrOutOfStock) {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, _ := db.FindCampaign(ctx, ws.ID, c.ID)
	if paid.Load() != 5 || got.Stages[0].Paid != 5 {
		t.Fatalf("%d payouts (stage says %d) of a stage with a stock of 5", paid.Load(), got.Stages[0].Paid)
	}
	if again.Load() != 5 {
		t.Errorf("%d second tries found their payout made, want 5", again.Load())
	}
	// editing the campaign keeps what its stages paid
	c.Name = "邀请有礼 2"
	if err := db.SaveCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindCampaign(ctx, ws.ID, c.ID); got.Name != "邀请有礼 2" || got.Stages[0].Paid != 5 || len(got.Stages) != 2 {
		t.Fatalf("after an edit: %+v", got)
	}
}

// ledgerStream adds a random stream of helps for campaign c, each twice
// (a replay) and some with a second inviter, decides them at random times
// and compares each inviter's confirmed count with a brute force.
func ledgerStream(t *testing.T, db *sqlstore.DB, ws int64, c *shequn.Campaign, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 7))
	hold := time.Duration(c.HoldHours) * time.Hour
	type truth struct {
		inviter int64
		joined  time.Time
		stayed  bool
	}
	first := map[int64]truth{}
	base := int64(seed * 1000)
	for i := range 200 {
		invitee := base + int64(rng.IntN(150))
		tr := truth{inviter: base + 500 + int64(rng.IntN(8)), joined: c.Start.Add(time.Duration(rng.IntN(7*24)) * time.Hour), stayed: rng.IntN(4) > 0}
		h := &shequn.Help{CampaignID: c.ID, InviterID: tr.inviter, InviteeID: invitee, Community: 1, Status: shequn.HelpHeld, JoinedAt: tr.joined, DecidedAt: tr.joined}
		for range 2 {
			if _, err := db.AddHelp(ctx, ws, h); err != nil {
				t.Fatal(err)
			}
		}
		if _, seen := first[invitee]; !seen {
			first[invitee] = tr
			joinStayed(t, db, ws, invitee, tr.joined, tr.stayed, hold, i)
		}
	}
	// decide in three steps, as ticks would
	end := c.End.Add(hold)
	for _, at := range []time.Time{c.Start.Add(3 * 24 * time.Hour), c.Start.Add(6 * 24 * time.Hour), end} {
		due, err := db.DueHelps(ctx, ws, c.ID, at.Add(-hold), hold)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range due {
			h := d.Help
			h.Status, h.Reason = shequn.HelpConfirmed, ""
			if !d.Stayed {
				h.Status, h.Reason = shequn.HelpVoided, shequn.VoidLeft
			}
			for range 2 { // two runs deciding at once: the second changes nothing
				if _, err := db.DecideHelp(ctx, ws, &h, at); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	want := map[int64]int{}
	for _, tr := range first {
		if tr.stayed {
			want[tr.inviter]++
		}
	}
	progress, err := db.CampaignProgress(ctx, ws, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progress {
		if p.MemberID < base || p.MemberID >= base+1000 {
			continue
		}
		if p.Confirmed != want[p.MemberID] || p.Held != 0 {
			t.Errorf("seed %d: inviter %d confirmed %d (held %d), brute force %d", seed, p.MemberID, p.Confirmed, p.Held, want[p.MemberID])
		}
		delete(want, p.MemberID)
	}
	for m, n := range want {
		if n > 0 {
			t.Errorf("seed %d: inviter %d missing (%d confirmed)", seed, m, n)
		}
	}
}

// joinStayed writes the invitee's membership of group 1: still active,
// or left an hour before the hold window ended.
func joinStayed(t *testing.T, db *sqlstore.DB, ws, member int64, joined time.Time, stayed bool, hold time.Duration, i int) {
	t.Helper()
	status, left := "active", any(nil)
	if !stayed {
		status, left = "left", joined.Add(hold-time.Hour).UnixMilli()
	}
	q := fmt.Sprintf("INSERT INTO memberships (workspace_id, community_id, member_id, status, joined_at, left_at) VALUES (%d, 1, %d, '%s', %d, ", ws, member, status, joined.UnixMilli())
	if left == nil {
		q += "NULL)"
	} else {
		q += fmt.Sprint(left) + ")"
	}
	if _, err := db.Write().ExecContext(context.Background(), q); err != nil {
		t.Fatalf("membership %d: %v", i, err)
	}
}
