package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testMemberCounts: each group's count of active members, kept by the
// batches, equals the memberships counted one by one after every batch of
// a random stream of joins, leaves, kicks, bans and messages, out of time
// order, with events delivered twice.
func testMemberCounts(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "counts", "UTC")
	p := pipeline.New(db)
	rng := rand.New(rand.NewPCG(7, 13))
	kinds := []shequn.EventKind{shequn.EventJoin, shequn.EventJoin, shequn.EventLeave, shequn.EventKick, shequn.EventBan, shequn.EventMessage, shequn.EventMessage}
	var sent []shequn.Event
	for batch := range 30 {
		var evs []shequn.Event
		for range 1 + rng.IntN(30) {
			if len(sent) > 0 && rng.IntN(8) == 0 {
				evs = append(evs, sent[rng.IntN(len(sent))]) // delivered again
				continue
			}
			kind := kinds[rng.IntN(len(kinds))]
			group, actor := fmt.Sprint("g", rng.IntN(3)), fmt.Sprint("u", rng.IntN(25))
			at := t0.Add(time.Duration(rng.IntN(600)) * time.Minute) // any order
			var opts []string
			if kind == shequn.EventKick || kind == shequn.EventBan {
				actor, opts = "admin", []string{"target", fmt.Sprint("u", rng.IntN(25))}
			}
			e := ev(fmt.Sprintf("c%d-%d", batch, len(sent)), group, actor, kind, at, append(opts, "text", "hello there")...)
			sent = append(sent, e)
			evs = append(evs, e)
		}
		MustIngest(t, p, ws, evs...)
		kept, err := db.MemberCounts(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		cs, _, err := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			_, n, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{CommunityID: c.ID, Status: shequn.StatusActive, Limit: 1}, shequn.DayRange{})
			if err != nil || kept[c.ID] != n {
				t.Fatalf("batch %d: %s has %d active members, kept %d (%v)", batch, c.Name, n, kept[c.ID], err)
			}
		}
	}
}

// testMemberSearch: a search matches a part of a name or a whole platform
// id, and counts its matches up to the cap.
func testMemberSearch(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "search", "UTC")
	var evs []shequn.Event
	for i := range shequn.SearchCountCap + 5 {
		evs = append(evs, ev(fmt.Sprint("s", i), "g1", fmt.Sprint("u", i), shequn.EventJoin, t0.Add(time.Duration(i)*time.Second), "name", fmt.Sprint("Member ", i)))
	}
	MustIngest(t, pipeline.New(db), ws, evs...)
	for _, tc := range []struct {
		query string
		total int
		first string
	}{
		{"member", shequn.SearchCountCap + 1, "Member 1004"}, // capped; newest first
		{"u7", 1, "Member 7"},                                // a whole id, not u70…
		{"MEMBER 100", 6, "Member 1004"},                     // a part of a name, any case
		{"u", 0, ""},
	} {
		ms, total, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Query: tc.query, Limit: 10}, shequn.DayRange{})
		if err != nil || total != tc.total || (total > 0 && (len(ms) == 0 || ms[0].DisplayName != tc.first)) {
			t.Fatalf("search %q: %d members, first %v (%v), want %d, %q", tc.query, total, ms, err, tc.total, tc.first)
		}
	}
}
