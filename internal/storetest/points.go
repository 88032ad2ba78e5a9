package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// pointsWorkspace makes a workspace with n members and returns their ids.
func pointsWorkspace(t testing.TB, a *app.App, db *sqlstore.DB, slug string, n int) (*shequn.Workspace, []int64) {
	ws := &shequn.Workspace{Slug: slug, Name: slug, TimeZone: "UTC"}
	if err := db.CreateWorkspace(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
	var evs []shequn.Event
	for i := 0; i < n; i++ {
		evs = append(evs, ev(fmt.Sprintf("j%d", i), "g1", fmt.Sprintf("m%d", i), shequn.EventJoin, t0))
	}
	if _, err := a.Pipeline.Ingest(context.Background(), ws, evs); err != nil {
		t.Fatal(err)
	}
	ms, _, err := db.FindMembers(context.Background(), ws.ID, shequn.MemberFilter{Sort: "name", Limit: n}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || len(ms) != n {
		t.Fatalf("members: %d %v", len(ms), err)
	}
	ids := make([]int64, n)
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ws, ids
}

// testLedgerProperties posts random grants, deductions, redemptions,
// cancellations and replays: the balance always equals the sum of entries,
// is never negative, and replays change nothing.
func testLedgerProperties(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	var seq atomic.Int64
	rapid.Check(t, func(rt *rapid.T) {
		ws, members := pointsWorkspace(t, a, db, fmt.Sprintf("p%d", seq.Add(1)), 3)
		stock := int64(2)
		reward := &shequn.Reward{Name: "mug", Kind: "virtual", Cost: 30, Stock: &stock}
		if err := a.CreateReward(ctx, ws, nil, reward); err != nil {
			rt.Fatal(err)
		}
		model := map[int64]int64{}
		posted := map[string]bool{}
		var redemptions []int64
		type op func()
		var history []op
		grant := func(m int64, amount int64, key string) op {
			return func() {
				_, _, err := a.AdjustPoints(ctx, nil, ws, m, amount, "test", key)
				switch {
				case posted[key]:
				case amount < 0 && model[m] < -amount:
					if shequn.ErrorCode(err) != shequn.ECONFLICT {
						rt.Fatalf("overdraft %d from %d: %v", amount, model[m], err)
					}
					return
				case err != nil:
					rt.Fatalf("adjust: %v", err)
				default:
					model[m] += amount
					posted[key] = true
				}
			}
		}
		redeem := func(m int64, key string) op {
			return func() {
				rd, err := a.Redeem(ctx, ws, m, reward.ID, "", key)
				switch {
				case posted["redeem:"+key]:
				case err == nil:
					model[m] -= reward.Cost
					posted["redeem:"+key] = true
					redemptions = append(redemptions, rd.ID)
				case shequn.ErrorCode(err) != shequn.ECONFLICT:
					rt.Fatalf("redeem: %v", err)
				}
			}
		}
		cancel := func(i int) op {
			return func() {
				if i >= len(redemptions) {
					return
				}
				id := redemptions[i]
				err := a.CloseRedemption(ctx, ws, nil, id, false)
				key := fmt.Sprintf("refund:%d", id)
				if posted[key] {
					if shequn.ErrorCode(err) != shequn.ECONFLICT {
						rt.Fatalf("second cancel: %v", err)
					}
					return
				}
				if err != nil {
					rt.Fatalf("cancel: %v", err)
				}
				posted[key] = true
				for _, m := range members {
					h, _ := db.PointsHistory(ctx, ws.ID, m, 1, time.UTC)
					if len(h) > 0 && h[0].IdempotencyKey == key {
						model[m] += h[0].Amount
					}
				}
			}
		}
		steps := rapid.IntRange(1, 30).Draw(rt, "steps")
		for s := 0; s < steps; s++ {
			m := members[rapid.IntRange(0, len(members)-1).Draw(rt, "member")]
			var o op
			switch rapid.IntRange(0, 4).Draw(rt, "op") {
			case 0:
				o = grant(m, int64(rapid.IntRange(1, 100).Draw(rt, "amount")), fmt.Sprintf("g%d", rapid.IntRange(0, 9).Draw(rt, "key")))
			case 1:
				o = grant(m, -int64(rapid.IntRange(1, 150).Draw(rt, "amount")), fmt.Sprintf("d%d", rapid.IntRange(0, 9).Draw(rt, "key")))
			case 2:
				o = redeem(m, fmt.Sprintf("r%d", rapid.IntRange(0, 5).Draw(rt, "key")))
			case 3:
				o = cancel(rapid.IntRange(0, 3).Draw(rt, "redemption"))
			default:
				if len(history) == 0 {
					continue
				}
				o = history[rapid.IntRange(0, len(history)-1).Draw(rt, "replay")]
			}
			o()
			history = append(history, o)
			for _, m := range members {
				bal, sum, err := db.Balance(ctx, ws.ID, m)
				if err != nil {
					rt.Fatal(err)
				}
				if bal != sum || bal < 0 || bal != model[m] {
					rt.Fatalf("member %d: balance %d, sum of entries %d, model %d", m, bal, sum, model[m])
				}
			}
		}
		r, _ := db.FindRewardByID(ctx, ws.ID, reward.ID)
		if *r.Stock < 0 || *r.Stock > 2 {
			rt.Fatalf("stock %d", *r.Stock)
		}
	})
}

// testConcurrentRedemptions: 50 members redeem a reward with stock 1 at
// once; exactly one succeeds.
func testConcurrentRedemptions(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	ws, members := pointsWorkspace(t, a, db, "race", 50)
	for _, m := range members {
		if _, _, err := a.AdjustPoints(ctx, nil, ws, m, 100, "seed", fmt.Sprintf("seed-%d", m)); err != nil {
			t.Fatal(err)
		}
	}
	one := int64(1)
	reward := &shequn.Reward{Name: "限量周边", Kind: "physical", Cost: 10, Stock: &one}
	if err := a.CreateReward(ctx, ws, nil, reward); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var ok, outOfStock atomic.Int64
	start := make(chan struct{})
	for _, m := range members {
		wg.Add(1)
		go func(m int64) {
			defer wg.Done()
			<-start
			_, err := a.Redeem(ctx, ws, m, reward.ID, "上海市 某路 1 号", fmt.Sprintf("k-%d", m))
			switch {
			case err == nil:
				ok.Add(1)
			case shequn.ErrorCode(err) == shequn.ECONFLICT:
				outOfStock.Add(1)
			default:
				t.Errorf("redeem: %v", err)
			}
		}(m)
	}
	close(start)
	wg.Wait()
	if ok.Load() != 1 || outOfStock.Load() != 49 {
		t.Fatalf("%d succeeded, %d out of stock", ok.Load(), outOfStock.Load())
	}
	var total int64
	for _, m := range members {
		bal, sum, _ := db.Balance(ctx, ws.ID, m)
		if bal != sum {
			t.Fatalf("member %d: balance %d != entries %d", m, bal, sum)
		}
		total += bal
	}
	if total != 50*100-10 {
		t.Fatalf("total balance %d", total)
	}
	if r, _ := db.FindRewardByID(ctx, ws.ID, reward.ID); *r.Stock != 0 {
		t.Fatalf("stock %d", *r.Stock)
	}
}

// testEarningAndCommands: points for chat by the rule, caps, anti-farming,
// leaderboards, and the bot commands, on every database.
func testEarningAndCommands(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	if err := db.SavePointsRule(ctx, ws.ID, shequn.PointsRule{Message: 2, Reply: 3, DailyCap: 9, MinLength: 3}); err != nil {
		t.Fatal(err)
	}
	msg := func(id, group, actor, text string, at time.Duration, opts ...string) shequn.Event {
		return ev(id, group, actor, shequn.EventMessage, t0.Add(at), append([]string{"text", text}, opts...)...)
	}
	MustIngest(t, a.Pipeline, ws,
		msg("1", "g1", "alice", "hi", 0),                                   // too short
		msg("2", "g1", "alice", "hello all", time.Minute),                  // +2
		msg("3", "g1", "alice", "hello all", 2*time.Minute),                // repeated: 0
		msg("4", "g1", "bob", "morning!", 3*time.Minute),                   // +2
		msg("5", "g2", "bob", "thanks a lot", 4*time.Minute, "reply", "2"), // reply +3
	)
	MustIngest(t, a.Pipeline, ws,
		msg("6", "g1", "alice", "HELLO ALL", 5*time.Minute), // repeated across batches: 0
		msg("7", "g1", "alice", "second thought", 6*time.Minute),
		msg("8", "g1", "alice", "third thought", 7*time.Minute),
		msg("9", "g1", "alice", "fourth thought", 8*time.Minute),
		msg("10", "g1", "alice", "fifth thought", 9*time.Minute),              // cap 9: 2+2+2+2 then 1
		msg("11", "g1", "alice", "sixth thought", 10*time.Minute),             // capped: 0
		msg("12", "g1", "carol", "兼职刷单，日结300，加微信 abc8888 详聊", 11*time.Minute), // moderated: 0
		msg("13", "g1", "alice", "next day here", 24*time.Hour),               // +2 (new day)
	)
	_, _, month := shequn.Periods(t0, time.UTC)
	board, err := db.Leaderboard(ctx, ws.ID, month, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range board {
		got = append(got, fmt.Sprintf("%d:%s:%d", r.Rank, r.Name, r.Points))
	}
	if diff := cmp.Diff([]string{"1:alice:11", "2:bob:5"}, got); diff != "" {
		t.Fatalf("workspace leaderboard (-want +got):\n%s", diff)
	}
	cs, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{Query: "g2"}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if b2, _ := db.Leaderboard(ctx, ws.ID, month, cs[0].ID, 10); len(b2) != 1 || b2[0].Name != "bob" || b2[0].Points != 3 {
		t.Fatalf("g2 leaderboard = %+v", b2)
	}
	alice := membership(t, db, ws, "alice", "g1").MemberID
	if pts, rank, _ := db.Rank(ctx, ws.ID, month, 0, alice); pts != 11 || rank != 1 {
		t.Fatalf("alice rank = %d, %d", pts, rank)
	}
	if bal, sum, _ := db.Balance(ctx, ws.ID, alice); bal != 11 || sum != 11 {
		t.Fatalf("alice balance %d sum %d", bal, sum)
	}
	// Chat points are one entry per day, dated the day the messages were
	// sent, not when they were booked.
	if h, _ := db.PointsHistory(ctx, ws.ID, alice, 2, time.UTC); len(h) != 2 || h[0].Day != "2026-03-03" || h[0].Amount != 2 ||
		h[1].Day != "2026-03-02" || h[1].Amount != 9 {
		t.Fatalf("alice's latest entries = %+v %+v, want the days 2026-03-03 (+2) and 2026-03-02 (+9)", h[0], h[len(h)-1])
	}
	// commands: 积分, 排行, 兑换 (too expensive, then fine), help
	stock := int64(5)
	reward := &shequn.Reward{Name: "贴纸", Kind: "virtual", Cost: 10, Stock: &stock}
	if err := a.CreateReward(ctx, ws, nil, reward); err != nil {
		t.Fatal(err)
	}
	MustIngest(t, a.Pipeline, ws,
		msg("c1", "g1", "bob", "积分", 25*time.Hour),
		msg("c2", "g1", "bob", "/rank", 25*time.Hour),
		msg("c3", "g1", "bob", fmt.Sprintf("兑换 %d", reward.ID), 25*time.Hour),
		msg("c4", "g1", "alice", fmt.Sprintf("redeem %d", reward.ID), 25*time.Hour),
		msg("c5", "g1", "alice", "帮助", 25*time.Hour))
	replies := map[string]string{}
	items, _ := db.FindOutbox(ctx, ws.ID, 0, shequn.OutboxPending, 50)
	for _, o := range items {
		if o.Action == "reply" {
			replies[o.IdempotencyKey] = o.Payload
		}
	}
	checks := map[string]string{"cmd:telegram:c1": "Your points: 5", "cmd:telegram:c2": "1. alice", "cmd:telegram:c3": "Could not redeem",
		"cmd:telegram:c4": "Redeemed", "cmd:telegram:c5": "积分/points"}
	for key, want := range checks {
		if !strings.Contains(replies[key], want) {
			t.Errorf("reply %s = %s, want %q", key, replies[key], want)
		}
	}
	if bal, sum, _ := db.Balance(ctx, ws.ID, alice); bal != 1 || sum != 1 {
		t.Fatalf("alice after redeeming: balance %d sum %d", bal, sum)
	}
	bob := membership(t, db, ws, "bob", "g1").MemberID
	if bal, sum, _ := db.Balance(ctx, ws.ID, bob); bal != 5 || sum != 5 {
		t.Fatalf("bob after a refused redemption: balance %d sum %d", bal, sum)
	}
	if r, _ := db.FindRewardByID(ctx, ws.ID, reward.ID); *r.Stock != 4 {
		t.Fatalf("stock %d", *r.Stock)
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// testStandings recomputes tiers through the app on every database: the
// figures come from the store's aggregates, transitions are kept.
func testStandings(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	var evs []shequn.Event
	evs = append(evs, ev("j-core", "g1", "core", shequn.EventJoin, t0.AddDate(0, 0, -60)))
	for d := 0; d < 20; d++ {
		for k := 0; k < 4; k++ {
			evs = append(evs, ev(fmt.Sprintf("c%d-%d", d, k), "g1", "core", shequn.EventMessage, t0.AddDate(0, 0, -d), "text", "useful answer"))
		}
	}
	evs = append(evs,
		ev("j-lurk", "g1", "lurk", shequn.EventJoin, t0.AddDate(0, 0, -60)),
		ev("j-new", "g1", "new", shequn.EventJoin, t0.AddDate(0, 0, -2)),
		ev("j-old", "g1", "old", shequn.EventJoin, t0.AddDate(0, 0, -90)),
		ev("o1", "g1", "old", shequn.EventMessage, t0.AddDate(0, 0, -80), "text", "hello there"),
		ev("j-gone", "g1", "gone", shequn.EventJoin, t0.AddDate(0, 0, -90)),
		ev("l-gone", "g1", "gone", shequn.EventLeave, t0.AddDate(0, 0, -10)),
		ev("j-guest", "g1", "guest", shequn.EventJoin, t0.AddDate(0, 0, -10), "inviter", "core"),
		ev("j-quick", "g1", "quick", shequn.EventJoin, t0.AddDate(0, 0, -3), "inviter", "core"),
	)
	MustIngest(t, a.Pipeline, ws, evs...)
	a.Clock = fixedClock{t0.Add(time.Hour)}
	counts, changed, err := a.RecomputeStandings(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{shequn.TierCore: 1, shequn.TierLurker: 1, shequn.TierNewcomer: 3, shequn.TierDormant: 1, shequn.TierChurned: 1}
	if diff := cmp.Diff(want, counts); diff != "" || changed != 7 {
		t.Fatalf("tiers (-want +got):\n%s changed %d", diff, changed)
	}
	core := membership(t, db, ws, "core", "g1").MemberID
	s, err := db.FindStanding(ctx, ws.ID, core)
	if err != nil || s.Tier != shequn.TierCore || s.Lifecycle != shequn.LifeRetained || len(s.Reasons) == 0 || !s.Reasons[0].Met {
		t.Fatalf("core standing = %+v %v", s, err)
	}
	if _, changed, _ := a.RecomputeStandings(ctx, ws); changed != 0 {
		t.Fatalf("a second run changed %d", changed)
	}
	// each membership has its own lifecycle
	for actor, want := range map[string]string{"core": shequn.LifeRetained, "lurk": shequn.LifeJoined, "old": shequn.LifeDormant, "gone": shequn.LifeChurned} {
		if m := membership(t, db, ws, actor, "g1"); m.Lifecycle != want {
			t.Errorf("%s membership lifecycle = %q, want %q", actor, m.Lifecycle, want)
		}
	}
	// the inviter was paid once for the invitee who stayed 7 days, not for the one who came 3 days ago
	history, _ := db.PointsHistory(ctx, ws.ID, core, 100, time.UTC)
	paid := 0
	for _, e := range history {
		if strings.HasPrefix(e.IdempotencyKey, "invite:") {
			paid++
			if e.Amount != int64(shequn.DefaultPointsRule().InviteStays) {
				t.Fatalf("invite paid %d", e.Amount)
			}
		}
	}
	if paid != 1 {
		t.Fatalf("invite payments = %d, want 1", paid)
	}
	ms, total, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Tier: shequn.TierLurker}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || total != 1 || ms[0].DisplayName != "lurk" {
		t.Fatalf("lurkers = %d %v", total, err)
	}
	g1 := membership(t, db, ws, "core", "g1").CommunityID
	kept := shequn.LastDays(t0.Add(time.Hour), time.UTC, shequn.WindowDays)
	sameLists(t, db, ws, g1, kept, counts)
	// a member whose tier changes moves in the tier's index too
	prev, err := db.FindStanding(ctx, ws.ID, core)
	if err != nil {
		t.Fatal(err)
	}
	next := *prev
	next.Tier = shequn.TierDormant
	if err := db.SaveStandings(ctx, ws.ID, []sqlstore.StandingChange{{MemberID: core, Prev: prev, Next: next}}, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	counts[shequn.TierCore]--
	counts[shequn.TierDormant]++
	sameLists(t, db, ws, g1, kept, counts)
}

// sameLists checks that the members of each tier, sorted by messages or
// last active day, are listed alike from the tier's index of the figures
// and the general way (with a filter that every member passes: everyone
// is in group g1), and that counts[tier] match.
func sameLists(t *testing.T, db *sqlstore.DB, ws *shequn.Workspace, g1 int64, kept shequn.DayRange, counts map[string]int) {
	t.Helper()
	ctx := context.Background()
	for _, tier := range shequn.Tiers {
		for _, sort := range []string{"messages", "active"} {
			for _, page := range [][2]int{{50, 0}, {1, 0}, {1, 1}, {2, 1}, {1, 3}} {
				f := shequn.MemberFilter{Tier: tier, Sort: sort, Limit: page[0], Offset: page[1]}
				alone, n, err := db.FindMembers(ctx, ws.ID, f, kept)
				if err != nil {
					t.Fatal(err)
				}
				f.CommunityID = g1
				general, m, err := db.FindMembers(ctx, ws.ID, f, kept)
				if err != nil || n != m || n != counts[tier] {
					t.Fatalf("%s by %s: %d and %d members, want %d (%v)", tier, sort, n, m, counts[tier], err)
				}
				if diff := cmp.Diff(names(general), names(alone)); diff != "" {
					t.Fatalf("%s by %s page %v (-general +tier alone):\n%s", tier, sort, page, diff)
				}
			}
		}
	}
}

func names(ms []*shequn.MemberSummary) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.DisplayName
	}
	return out
}

// testBadges: badges are written many to a statement, each kept once with
// the time it was first earned, and offered again without harm.
func testBadges(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "badges", "UTC")
	first, later := t0, t0.Add(time.Hour)
	awards := map[int64][]string{}
	for m := int64(1); m <= 700; m++ { // more rows than one statement holds
		awards[m] = []string{"chatter"}
		if m%2 == 0 {
			awards[m] = append(awards[m], "helper")
		}
	}
	if err := db.AwardBadges(ctx, ws.ID, awards, first); err != nil {
		t.Fatal(err)
	}
	awards[3] = append(awards[3], "helper")
	if err := db.AwardBadges(ctx, ws.ID, awards, later); err != nil {
		t.Fatal(err)
	}
	for m, want := range map[int64][]shequn.Badge{
		2:   {{ID: "chatter", AwardedAt: first}, {ID: "helper", AwardedAt: first}},
		3:   {{ID: "chatter", AwardedAt: first}, {ID: "helper", AwardedAt: later}},
		699: {{ID: "chatter", AwardedAt: first}},
		700: {{ID: "chatter", AwardedAt: first}, {ID: "helper", AwardedAt: first}},
	} {
		got, err := db.FindBadges(ctx, ws.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b shequn.Badge) int { return strings.Compare(a.ID, b.ID) })
		if !slices.EqualFunc(got, want, func(a, b shequn.Badge) bool { return a.ID == b.ID && a.AwardedAt.Equal(b.AwardedAt) }) {
			t.Errorf("member %d badges %v, want %v", m, got, want)
		}
	}
}

// testManyStandings: standings saved many to a statement, across
// statements, each with its transitions, then changed again.
func testManyStandings(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "many-standings", "UTC")
	count := func(q string) int {
		var n int
		if db.Dialect == sqlstore.SQLite {
			q = strings.ReplaceAll(q, "$1", "?")
		}
		if err := db.Write().QueryRowContext(ctx, q, ws.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	changes := make([]sqlstore.StandingChange, 900)
	for i := range changes {
		next := shequn.Standing{Tier: shequn.Tiers[i%len(shequn.Tiers)], TierSince: t0, Lifecycle: shequn.LifeJoined, LifecycleSince: t0,
			Reasons: []shequn.Reason{{Criterion: "messages ever", Want: "≥ 1", Got: fmt.Sprint(i)}}}
		changes[i] = sqlstore.StandingChange{MemberID: int64(i + 1), Next: next}
	}
	if err := db.SaveStandings(ctx, ws.ID, changes, t0); err != nil {
		t.Fatal(err)
	}
	// every member moves one tier on; lifecycles stay
	for i := range changes {
		prev := changes[i].Next
		changes[i].Prev = &prev
		changes[i].Next.Tier = shequn.Tiers[(i+1)%len(shequn.Tiers)]
	}
	if err := db.SaveStandings(ctx, ws.ID, changes, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	counts, err := db.TierCounts(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 900 || counts[shequn.Tiers[1]] != 900/len(shequn.Tiers)+1 {
		t.Fatalf("tier counts %v, want 900 members one tier on", counts)
	}
	if n := count("SELECT count(*) FROM standing_changes WHERE workspace_id = $1"); n != 900*3 {
		t.Fatalf("%d transitions, want 2,700 (tier and lifecycle, then tier)", n)
	}
	s, err := db.FindStanding(ctx, ws.ID, 899)
	if err != nil || s.Tier != shequn.Tiers[899%len(shequn.Tiers)] || len(s.Reasons) != 1 || s.Reasons[0].Got != "898" {
		t.Fatalf("standing of member 899: %+v %v", s, err)
	}
}
