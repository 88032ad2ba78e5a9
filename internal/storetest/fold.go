package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testFoldedPoints: leaderboards, ranks and a member's period points are
// the same whether the days' chat points are folded into the week and
// month totals or added up from the days, before and after a fold, with
// late messages of a folded day, in every scope.
func testFoldedPoints(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	folded := MustCreateWorkspace(t, db, "folded", "UTC")
	live := MustCreateWorkspace(t, db, "live", "UTC")
	day := func(n int, at time.Duration) time.Time { return t0.Add(time.Duration(n)*24*time.Hour + at) }
	feed := func(evs ...shequn.Event) {
		MustIngest(t, a.Pipeline, folded, evs...)
		MustIngest(t, a.Pipeline, live, evs...)
	}
	seq := 0
	msg := func(group, actor string, at time.Time, opts ...string) shequn.Event {
		seq++
		return ev(fmt.Sprintf("f%d", seq), group, actor, shequn.EventMessage, at, append([]string{"text", fmt.Sprintf("message number %d", seq)}, opts...)...)
	}
	// Three days of one ISO week and month: ann busy in g1, bob in both,
	// cat catching up later.
	var evs []shequn.Event
	for d := range 3 {
		for i := range 3 + d {
			evs = append(evs, msg("g1", "ann", day(d, time.Duration(i)*time.Minute)))
		}
		evs = append(evs, msg("g2", "bob", day(d, time.Hour)), msg("g1", "bob", day(d, 2*time.Hour)))
	}
	feed(evs...)
	same := func(step string) {
		t.Helper()
		for _, period := range periodsOf(day(0, 0)) {
			for _, group := range []string{"", "g1", "g2"} {
				// short boards too: a member outside a full kept top may
				// climb in on the open days' points
				for _, limit := range []int{1, 2, 10} {
					if got, want := boardTop(t, db, folded, period, group, limit), boardTop(t, db, live, period, group, limit); !cmp.Equal(got, want) {
						t.Fatalf("%s: %s %q top %d folded %v, added up %v", step, period, group, limit, got, want)
					}
				}
			}
		}
	}
	same("before a fold")
	if err := db.FoldChatPoints(ctx, folded.ID, shequn.Day(day(1, 0), time.UTC)); err != nil {
		t.Fatal(err)
	}
	same("days 1-2 folded")
	if err := db.FoldChatPoints(ctx, folded.ID, shequn.Day(day(1, 0), time.UTC)); err != nil {
		t.Fatal(err)
	}
	same("folded twice")
	// Late messages of a folded day, and cat overtaking bob today.
	var more []shequn.Event
	for i := range 8 {
		more = append(more, msg("g2", "cat", day(2, time.Duration(3*60+i)*time.Minute)))
	}
	// dan: a point on a folded day, then eight today, past cat and bob
	more = append(more, msg("g2", "dan", day(0, 6*time.Hour)))
	for i := range 8 {
		more = append(more, msg("g2", "dan", day(2, time.Duration(4*60+i)*time.Minute)))
	}
	feed(append(more, msg("g1", "bob", day(0, 5*time.Hour)), msg("g2", "ann", day(1, 5*time.Hour), "reply", "f1"))...)
	same("late messages")
	if err := db.FoldChatPoints(ctx, folded.ID, shequn.Day(day(2, 0), time.UTC)); err != nil {
		t.Fatal(err)
	}
	same("all folded")
	board := boardOf(t, db, folded, periodsOf(day(0, 0))[1], "")
	if len(board) != 4 || board[0] != "1:ann:"+fmt.Sprint(3+4+5+2) || board[1] != "2:dan:9" || board[2] != "3:cat:8" || board[3] != "4:bob:7" {
		t.Fatalf("month board %v", board)
	}
}

// periodsOf returns the week and month of t (UTC).
func periodsOf(t time.Time) []string {
	_, w, m := shequn.Periods(t, time.UTC)
	return []string{w, m}
}

// boardOf renders a leaderboard (group "" for the workspace) with every
// listed member's rank and points as Rank and PeriodPoints see them.
func boardOf(t *testing.T, db *sqlstore.DB, ws *shequn.Workspace, period, group string) []string {
	t.Helper()
	return boardTop(t, db, ws, period, group, 10)
}

func boardTop(t *testing.T, db *sqlstore.DB, ws *shequn.Workspace, period, group string, limit int) []string {
	t.Helper()
	ctx := context.Background()
	var community int64
	if group != "" {
		community = membership(t, db, ws, "bob", group).CommunityID
	}
	rows, err := db.Leaderboard(ctx, ws.ID, period, community, limit)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		points, rank, err := db.Rank(ctx, ws.ID, period, community, r.MemberID)
		if err != nil || points != r.Points || rank != r.Rank {
			t.Fatalf("%s %s rank of %s: %d, %d (%v), board says %d, %d", ws.Slug, period, r.Name, points, rank, err, r.Points, r.Rank)
		}
		tx, err := db.BeginIngest(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		n, err := tx.Points().PeriodPoints(ctx, period, community, r.MemberID)
		tx.Rollback()
		if err != nil || n != r.Points {
			t.Fatalf("%s period points of %s: %d (%v), board says %d", ws.Slug, r.Name, n, err, r.Points)
		}
		out = append(out, fmt.Sprintf("%d:%s:%d", r.Rank, r.Name, r.Points))
	}
	return out
}
