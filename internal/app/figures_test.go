package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

// Kept analytics figures: read back while the data has not moved, read
// afresh once it has (or served up to FiguresMaxAge old when allowed);
// the tick refreshes only what was read lately, not more often than
// FiguresEvery, and drops what nobody reads.
func TestKeptFigures(t *testing.T) {
	a, ws := apptest.New(t, "figures", "Asia/Shanghai")
	ctx := context.Background()
	db := apptest.DB(t, a)
	now := time.Date(2026, 5, 20, 4, 0, 0, 0, time.UTC) // 12:00 in Shanghai
	c := apptest.WithClock(a, now)
	n := 0
	send := func(actor string, at time.Time) {
		t.Helper()
		n++
		in := []shequn.EventInput{{ID: fmt.Sprint(n), Platform: "qq", Community: "g", CommunityName: "g", Actor: actor, ActorName: actor,
			Kind: "message", TS: at.UTC().Format(time.RFC3339), Text: "hello"}}
		if _, err := a.ImportEvents(ctx, ws, in); err != nil {
			t.Fatal(err)
		}
	}
	messages := func() int {
		t.Helper()
		s, err := a.ComparedSummary(ctx, ws, shequn.AnalyticsFilter{}, shequn.LastDays(c.Now(), ws.Location(), 28), nil)
		if err != nil {
			t.Fatal(err)
		}
		return s.Messages
	}
	refresh := func() int {
		t.Helper()
		got, err := a.RefreshFigures(ctx, ws, c.Now())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	if got := refresh(); got != 0 {
		t.Fatalf("nothing read yet: %d figures computed", got)
	}
	send("ann", now.Add(-time.Hour))
	if got := messages(); got != 1 {
		t.Fatalf("messages %d, want 1", got)
	}
	figs, err := db.ReadFigures(ctx, ws.ID, time.Time{})
	if err != nil || len(figs) != 2 { // this period and the one before
		t.Fatalf("kept after one read: %d %v", len(figs), err)
	}
	send("bob", now.Add(-30*time.Minute))
	if got := messages(); got != 2 {
		t.Fatalf("an event arrived: read %d messages, want 2 (exact by default)", got)
	}

	a.SetFiguresMaxAge(10 * time.Minute)
	send("cat", now.Add(-20*time.Minute))
	if got := messages(); got != 2 {
		t.Fatalf("within the allowed age: %d messages, want the kept 2", got)
	}
	if got := refresh(); got != 6 { // read lately, but computed just now: only the page's missing figures
		t.Fatalf("refresh right away: %d figures, want the page's 6 not kept yet", got)
	}
	c.Set(now.Add(app.FiguresEvery))
	if got := refresh(); got != 2 {
		t.Fatalf("refresh after FiguresEvery: %d figures, want the 2 read whose data moved", got)
	}
	if got := messages(); got != 3 {
		t.Fatalf("after the refresh: %d messages, want 3", got)
	}
	c.Set(now.Add(16 * time.Minute))
	send("dan", now.Add(-10*time.Minute))
	if got := messages(); got != 4 {
		t.Fatalf("older than the allowed age: %d messages, want 4", got)
	}

	// a change the events do not show forgets the kept figures
	ann, err := a.MemberNamed(ctx, ws, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetStaff(ctx, ws, nil, ann.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := messages(); got != 3 {
		t.Fatalf("ann made staff: %d messages, want 3", got)
	}

	// unread for a week: dropped, and nothing is refreshed
	c.Set(now.Add(app.FiguresKept + time.Hour))
	if got := refresh(); got != 0 {
		t.Fatalf("a week unread: %d figures computed", got)
	}
	if figs, err := db.ReadFigures(ctx, ws.ID, time.Time{}); err != nil || len(figs) != 0 {
		t.Fatalf("a week unread: %d figures kept (%v)", len(figs), err)
	}
}

// The tick's lifecycle update reads health kept up to BackgroundAge old
// even after new events, and does not count as an operator's read.
func TestBackgroundReadsOfFigures(t *testing.T) {
	a, ws := apptest.New(t, "lifecycles", "UTC")
	ctx := context.Background()
	db := apptest.DB(t, a)
	now := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)
	c := apptest.WithClock(a, now)
	send := func(id string) {
		t.Helper()
		in := []shequn.EventInput{{ID: id, Platform: "qq", Community: "g", CommunityName: "g", Actor: "ann", ActorName: "ann",
			Kind: "message", TS: c.Now().Add(-time.Minute).Format(time.RFC3339), Text: "hi"}}
		if _, err := a.ImportEvents(ctx, ws, in); err != nil {
			t.Fatal(err)
		}
	}
	computed := func() (time.Time, time.Time) {
		t.Helper()
		figs, err := db.ReadFigures(ctx, ws.ID, time.UnixMilli(0))
		if err != nil || len(figs) != 1 {
			t.Fatalf("kept figures: %+v %v", figs, err)
		}
		return figs[0].ComputedAt, figs[0].ReadAt
	}
	send("1")
	if err := a.UpdateLifecycles(ctx, ws, c.Now()); err != nil {
		t.Fatal(err)
	}
	first, read := computed()
	if !read.Equal(time.UnixMilli(0).UTC()) {
		t.Fatalf("a background read counted as read at %v", read)
	}
	send("2")
	c.Set(now.Add(30 * time.Minute))
	if err := a.UpdateLifecycles(ctx, ws, c.Now()); err != nil {
		t.Fatal(err)
	}
	if again, _ := computed(); !again.Equal(first) {
		t.Fatalf("recomputed after 30 minutes (%v, was %v): want the kept health", again, first)
	}
	c.Set(now.Add(app.BackgroundAge + time.Minute))
	if err := a.UpdateLifecycles(ctx, ws, c.Now()); err != nil {
		t.Fatal(err)
	}
	if again, _ := computed(); !again.After(first) {
		t.Fatal("kept health older than BackgroundAge read by the tick")
	}
	if n, err := a.RefreshFigures(ctx, ws, c.Now()); err != nil || n != 0 {
		t.Fatalf("refresh after background reads only: %d %v, want nothing", n, err)
	}
	computed() // not pruned: computed within the week
}
