package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

func alertKinds(t *testing.T, a *app.App, ws *shequn.Workspace) []string {
	t.Helper()
	al, err := apptest.DB(t, a).FindAlerts(context.Background(), ws.ID, shequn.AlertFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range al {
		out = append(out, fmt.Sprintf("%s:%d", x.Kind, x.CommunityID))
	}
	slices.Sort(out)
	return out
}

func TestDetectors(t *testing.T) {
	a, ws := apptest.New(t, "detect", "UTC")
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := apptest.WithClock(a, t0)
	f := &feeder{t: t, a: a, ws: ws}
	// g1: a busy group for two weeks, then silent; a question nobody answers.
	for d := range 14 {
		for i := range 25 {
			f.at(t0.Add(time.Duration(d)*24*time.Hour+time.Duration(i)*time.Minute), "g1", "msg", fmt.Sprintf("u%d", i%5), fmt.Sprintf("day %d message %d about things", d, i))
		}
	}
	last := t0.Add(13*24*time.Hour + 24*time.Minute)
	f.at(last.Add(time.Minute), "g1", "msg", "asker", "how do I reset my password?")
	// g2: a spike of complaints.
	for i := range 8 {
		f.at(last.Add(time.Duration(i)*time.Minute), "g2", "msg", fmt.Sprintf("c%d", i), "这课程就是割韭菜，我要退款")
	}
	f.at(last.Add(9*time.Minute), "g2", "msg", "c9", "ok")
	cs, _ := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	g1, g2 := cs[0], cs[1]
	capacity := 10
	if _, err := a.UpdateCommunity(ctx, ws, g2.ID, shequn.CommunityUpdate{Capacity: &capacity}); err != nil {
		t.Fatal(err)
	}
	rule := &shequn.Automation{Name: "nudge", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerUnanswered, Hours: 1},
		Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "有人能帮 {name} 看看这个问题吗？{question}"}}}
	silence := &shequn.Automation{Name: "wake", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerSilence, Hours: 12},
		Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "大家最近在忙什么？"}}}
	for _, r := range []*shequn.Automation{rule, silence} {
		if err := a.SaveAutomation(ctx, ws, owner, r); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(last.Add(30 * time.Minute))
	if err := a.Detect(ctx, ws, clock.Now()); err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("capacity:%d", g2.ID), fmt.Sprintf("sentiment:%d", g2.ID)}
	if got := alertKinds(t, a, ws); !slices.Equal(got, want) {
		t.Fatalf("after 30 minutes: %v, want %v", got, want)
	}
	clock.Set(last.Add(25 * time.Hour))
	for range 2 { // twice: nothing twice
		if err := a.Detect(ctx, ws, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	want = append(want, fmt.Sprintf("silence:%d", g1.ID), fmt.Sprintf("unanswered:%d", g1.ID))
	slices.Sort(want)
	if got := alertKinds(t, a, ws); !slices.Equal(got, want) {
		t.Fatalf("after a day: %v, want %v", got, want)
	}
	sends := outboxTexts(t, a, ws, "rule:")
	slices.Sort(sends)
	if len(sends) != 2 || sends[0] != "send:大家最近在忙什么？" || sends[1] != "send:有人能帮 asker 看看这个问题吗？how do I reset my password?" {
		t.Fatalf("rule sends %q", sends)
	}
	if n := len(outboxTexts(t, a, ws, "alert:")); n != 4 {
		t.Fatalf("%d webhook notices, want 4", n)
	}
	if err := a.SetAlertStatus(ctx, ws, owner, 1, shequn.AlertAcknowledged); err != nil {
		t.Fatal(err)
	}
	if err := a.SetAlertStatus(ctx, ws, owner, 1, "gone"); shequn.ErrorCode(err) != shequn.EINVALID {
		t.Fatalf("bad status: %v", err)
	}
}

func TestComplaintSpike(t *testing.T) {
	cases := []struct {
		recent, base sqlstore.HourSignal
		want         bool
	}{
		{sqlstore.HourSignal{Messages: 20, Negative: 8}, sqlstore.HourSignal{Messages: 1000, Negative: 20}, true},
		{sqlstore.HourSignal{Messages: 20, Negative: 4}, sqlstore.HourSignal{Messages: 1000, Negative: 20}, false},   // too few
		{sqlstore.HourSignal{Messages: 100, Negative: 10}, sqlstore.HourSignal{Messages: 1000, Negative: 20}, false}, // small share
		{sqlstore.HourSignal{Messages: 20, Negative: 8}, sqlstore.HourSignal{Messages: 1000, Negative: 300}, false},  // this group always complains
	}
	for i, c := range cases {
		if got := app.ComplaintSpike(c.recent, c.base); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}

func TestBroadcastNeedsASecondOperator(t *testing.T) {
	a, ws := apptest.New(t, "bc", "UTC")
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	apptest.WithClock(a, t0)
	communities(t, a, ws, 30, t0)
	alice, _ := a.CreateOperator(ctx, "bc", "alice@x.io", "Alice", "password1", shequn.RoleOperator)
	bob, _ := a.CreateOperator(ctx, "bc", "bob@x.io", "Bob", "password1", shequn.RoleAdmin)
	small, err := a.CreateBroadcast(ctx, ws, alice, "{group}：今晚 8 点直播", shequn.Selector{CommunityIDs: []int64{1, 2}}, 60)
	if err != nil || small.Status != shequn.BroadcastApproved {
		t.Fatalf("small broadcast: %v %v", small, err)
	}
	big, err := a.CreateBroadcast(ctx, ws, alice, "{group}：双十一活动", shequn.Selector{Kinds: []string{shequn.KindCustomer}}, 30)
	if err != nil || big.Status != shequn.BroadcastPending || len(big.CommunityIDs) != 15 {
		t.Fatalf("big broadcast: %+v %v", big, err)
	}
	if n := len(outboxTexts(t, a, ws, "broadcast:")); n != 2 {
		t.Fatalf("%d sends before approval, want the small one's 2", n)
	}
	if _, err := a.DecideBroadcast(ctx, ws, alice, big.ID, true); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Fatalf("self-approval: %v", err)
	}
	if _, err := a.DecideBroadcast(ctx, ws, bob, big.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DecideBroadcast(ctx, ws, bob, big.ID, true); shequn.ErrorCode(err) != shequn.ECONFLICT {
		t.Fatalf("second approval: %v", err)
	}
	rows, _ := apptest.DB(t, a).FindOutbox(ctx, ws.ID, 0, "", 100)
	var dues []time.Time
	for _, r := range rows {
		if strings.HasPrefix(r.IdempotencyKey, fmt.Sprintf("broadcast:%d:", big.ID)) {
			dues = append(dues, r.DueAt)
		}
	}
	slices.SortFunc(dues, time.Time.Compare)
	if len(dues) != 15 || !dues[0].Equal(t0) || !dues[14].Equal(t0.Add(14*30*time.Second)) {
		t.Fatalf("staggered dues %v", dues)
	}
	if _, err := a.CreateBroadcast(ctx, ws, alice, "x", shequn.Selector{Tags: []string{"nope"}}, 0); shequn.ErrorCode(err) != shequn.EINVALID {
		t.Fatalf("empty segment: %v", err)
	}
}
