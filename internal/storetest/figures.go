package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// figureEvents is two weeks of four groups: members who write, who only
// react, who join and stay quiet, on several days.
func figureEvents() []shequn.Event {
	var out []shequn.Event
	n := 0
	add := func(group, actor string, kind shequn.EventKind, day int) {
		n++
		out = append(out, ev(fmt.Sprint("f", n), group, actor, kind, t0.Add(time.Duration(day)*24*time.Hour+time.Duration(n)*time.Minute), "text", "hello there"))
	}
	for day := range 14 {
		for i := range 12 {
			actor := fmt.Sprint("m", i)
			group := fmt.Sprint("g", (i+day)%4)
			switch {
			case i%5 == 4: // reacts only
				add(group, actor, shequn.EventReaction, day)
			case (i+day)%3 == 0 || (i == 7 && day == 13):
				for range 1 + i%4 + day%2 { // members differ in messages and last day
					add(group, actor, shequn.EventMessage, day)
				}
			case day == 0:
				add(group, actor, shequn.EventJoin, day) // quiet
			}
		}
	}
	return out
}

// testKeptFigures checks that every figure kept precomputed (members'
// 30-day figures, groups' active members, closed days' active members)
// equals the one added up from the days, for every sort and filter.
func testKeptFigures(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	MustIngest(t, pipeline.New(db), ws, figureEvents()...)
	win := shequn.DayRange{From: "2026-03-03", To: "2026-03-14"}
	cs, _, err := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, win)
	if err != nil || len(cs) != 4 {
		t.Fatalf("communities %d %v", len(cs), err)
	}
	var filters []shequn.MemberFilter
	for _, sort := range []string{"messages", "active", "recent", "name"} {
		for _, f := range []shequn.MemberFilter{{}, {CommunityID: cs[1].ID}, {CommunityID: cs[2].ID, Status: shequn.StatusActive}, {Query: "m1"}} {
			for _, page := range [][2]int{{50, 0}, {3, 0}, {3, 5}, {4, 9}, {2, 7}, {3, 11}, {5, 12}, {3, 16}} {
				f.Sort, f.Limit, f.Offset = sort, page[0], page[1]
				filters = append(filters, f)
			}
		}
	}
	type result struct {
		Members   []*shequn.MemberSummary
		Totals    []int
		Groups    []*shequn.CommunitySummary
		Overview  shequn.Overview
		Days      []shequn.DayStats
		Timelines [][]*shequn.StoredEvent
	}
	read := func() result {
		var r result
		for _, f := range filters {
			ms, total, err := db.FindMembers(ctx, ws.ID, f, win)
			if err != nil {
				t.Fatal(err)
			}
			r.Members, r.Totals = append(r.Members, ms...), append(r.Totals, total)
		}
		if r.Groups, _, err = db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, win); err != nil {
			t.Fatal(err)
		}
		if r.Overview, err = db.Overview(ctx, ws.ID, win); err != nil {
			t.Fatal(err)
		}
		if r.Days, err = db.WorkspaceDays(ctx, ws.ID, shequn.DayRange{From: "2026-02-20", To: "2026-03-20"}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	live := read()
	if live.Overview.ActiveMembers == 0 || len(live.Days) != 14 {
		t.Fatalf("the sample is empty: %+v, %d days", live.Overview, len(live.Days))
	}
	refresh := func() {
		if err := db.RefreshMemberActivity(ctx, ws.ID, win, t0); err != nil {
			t.Fatal(err)
		}
		if err := db.RefreshClosedDays(ctx, ws.ID, shequn.DayRange{From: "2026-02-20", To: "2026-03-13"}); err != nil {
			t.Fatal(err)
		}
	}
	refresh()
	if diff := cmp.Diff(live, read()); diff != "" {
		t.Fatalf("kept figures differ from live ones (-live +kept):\n%s", diff)
	}
	// a late event on a closed day: kept again once refreshed
	MustIngest(t, pipeline.New(db), ws, ev("late", "g0", "newcomer", shequn.EventMessage, t0.Add(24*time.Hour)))
	refresh()
	days, err := db.WorkspaceDays(ctx, ws.ID, shequn.DayRange{From: "2026-03-03", To: "2026-03-03"})
	if err != nil || len(days) != 1 || days[0].ActiveMembers != live.Days[1].ActiveMembers+1 {
		t.Fatalf("late event: %+v %v, want %d active", days, err, live.Days[1].ActiveMembers+1)
	}
}
