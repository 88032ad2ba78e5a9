package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testHighlights: replies by others and reactions count on the message
// they answer, once however often they are delivered, split over batches
// or not; self-replies, unknown targets and removed spam do not; the
// analytics rebuild recomputes the same counts.
func testHighlights(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	first := []shequn.Event{
		ev("q", "g1", "alice", shequn.EventMessage, at(0), "text", "where is the meetup?"),
		ev("r1", "g1", "bob", shequn.EventMessage, at(1), "text", "in the park", "reply", "q"),
		ev("r2", "g1", "alice", shequn.EventMessage, at(2), "text", "(me again)", "reply", "q"), // self-reply
		ev("x1", "g1", "carol", shequn.EventReaction, at(3), "reply", "r1"),
		ev("x2", "g1", "dave", shequn.EventReaction, at(3), "reply", "r1"),
		ev("x3", "g1", "bob", shequn.EventReaction, at(3), "reply", "r1"), // self-reaction
		ev("n", "g1", "erin", shequn.EventMessage, at(4), "text", "hi", "reply", "never-stored"),
		ev("o", "g2", "frank", shequn.EventMessage, at(5), "text", "other group"),
	}
	MustIngest(t, p, ws, first...)
	MustIngest(t, p, ws, first...) // a replay
	second := []shequn.Event{
		ev("r3", "g1", "carol", shequn.EventMessage, at(6), "text", "thanks", "reply", "q"),
		ev("r4", "g2", "alice", shequn.EventMessage, at(7), "text", "+1", "reply", "o"),
		ev("r5", "g2", "bob", shequn.EventMessage, at(8), "text", "+1", "reply", "o"),
		ev("r6", "g2", "bob", shequn.EventMessage, at(8), "text", "+1", "reply", "o"),
	}
	MustIngest(t, pipeline.New(db), ws, second...) // a fresh pipeline, as after a restart
	MustIngest(t, p, ws, second...)
	want := "replied: o(g2)=3/0 q(g1)=2/0 | reacted: r1(g1)=0/2"
	if got := highlightsOf(t, db, ws.ID, 0); got != want {
		t.Fatalf("highlights\n got %s\nwant %s", got, want)
	}
	g1, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{Query: "Group g1"}, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if len(g1) != 1 {
		t.Fatalf("group g1: %d found", len(g1))
	}
	if got := highlightsOf(t, db, ws.ID, g1[0].ID); got != "replied: q(g1)=2/0 | reacted: r1(g1)=0/2" {
		t.Errorf("one group's highlights: %s", got)
	}
	if _, err := db.RebuildAnalytics(ctx, ws.ID, time.UTC); err != nil {
		t.Fatal(err)
	}
	if got := highlightsOf(t, db, ws.ID, 0); got != want {
		t.Fatalf("after the rebuild\n got %s\nwant %s", got, want)
	}
	outside, err := db.TopMessages(ctx, ws.ID, 0, at(60).UnixMilli(), at(120).UnixMilli(), "replies", 10)
	if err != nil || len(outside) != 0 {
		t.Errorf("a later window: %v %v", outside, err)
	}
}

// highlightsOf writes the top messages of March 2026 as "source(group)=replies/reactions".
func highlightsOf(t *testing.T, db *sqlstore.DB, ws, community int64) string {
	t.Helper()
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	s := ""
	for _, by := range []string{"replies", "reactions"} {
		hs, err := db.TopMessages(context.Background(), ws, community, from, to, by, 10)
		if err != nil {
			t.Fatal(err)
		}
		if by == "replies" {
			s += "replied:"
		} else {
			s += " | reacted:"
		}
		for _, h := range hs {
			s += fmt.Sprintf(" %s(%s)=%d/%d", sourceOf(h.Text), h.Community[len("Group "):], h.Replies, h.Reactions)
		}
	}
	return s
}

// sourceOf names the test's messages by their text.
func sourceOf(text string) string {
	return map[string]string{"where is the meetup?": "q", "in the park": "r1", "other group": "o"}[text]
}
