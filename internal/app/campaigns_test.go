package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
)

// A task campaign (送): Ann invites five people into the campaign's group
// during it — one was there before (not new), one leaves within the hold
// window, one is blocklisted — and one into another group. After the hold
// her two stayers are confirmed; stage 1 (2 helps) pays 50 points once,
// however many ticks run; stage 2 (3) is not reached.
func TestTaskCampaign(t *testing.T) {
	a, ws := apptest.New(t, "fission", "UTC")
	ctx := context.Background()
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ev := func(id, group, actor, kind string, at time.Time, inviter string) shequn.EventInput {
		return shequn.EventInput{ID: id, Platform: "wecom", Community: group, CommunityName: group, Actor: actor, ActorName: actor, Kind: kind,
			TS: at.Format(time.RFC3339), Inviter: inviter}
	}
	before := []shequn.EventInput{ev("a0", "g1", "ann", "join", start.Add(-48*time.Hour), ""), ev("o0", "g2", "old", "join", start.Add(-24*time.Hour), ""),
		ev("x0", "g1", "spam", "join", start.Add(-24*time.Hour), "")}
	if _, err := a.ImportEvents(ctx, ws, before); err != nil {
		t.Fatal(err)
	}
	g1 := groupNamed(t, a, ws, "g1")
	c := &shequn.Campaign{Name: "邀请 3 人得好礼", CommunityIDs: []int64{g1.ID}, NewOnly: true, Start: start, End: start.Add(7 * 24 * time.Hour), Cost: 30000,
		Stages: []shequn.Stage{{Threshold: 2, Points: 50, Label: "小礼"}, {Threshold: 3, Points: 100, Label: "大礼"}}}
	if err := a.SaveCampaign(ctx, ws, owner, c); err != nil {
		t.Fatal(err)
	}
	if c.HoldHours != shequn.DefaultHoldHours || c.Kind != shequn.CampaignTask {
		t.Fatalf("defaults: %+v", c)
	}
	day := start.Add(24 * time.Hour)
	during := []shequn.EventInput{
		ev("j1", "g1", "bea", "join", day, "ann"), ev("j2", "g1", "cai", "join", day, "ann"),
		ev("j3", "g1", "old", "join", day, "ann"), // seen in g2 before the start
		ev("j4", "g1", "dan", "join", day, "ann"), ev("l4", "g1", "dan", "leave", day.Add(5*time.Hour), ""),
		ev("j5", "g2", "eve", "join", day, "ann"), // not a campaign group
	}
	if _, err := a.ImportEvents(ctx, ws, during); err != nil {
		t.Fatal(err)
	}
	ms, _, err := a.FindMembers(ctx, ws, shequn.MemberFilter{Query: "spam"}, shequn.DayRange{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("spam: %v %v", ms, err)
	}
	if _, err := apptest.DB(t, a).Write().ExecContext(ctx, "INSERT INTO blocklist (workspace_id, member_id, reason, created_at) VALUES (?, ?, 'ads', 0)", ws.ID, ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportEvents(ctx, ws, []shequn.EventInput{ev("x1", "g1", "spam", "leave", day, ""), ev("x2", "g1", "spam", "join", day.Add(time.Hour), "ann")}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{day.Add(time.Hour), day.Add(2 * time.Hour), day.Add(80 * time.Hour), day.Add(81 * time.Hour)} {
		if err := a.RunCampaigns(ctx, ws, at); err != nil {
			t.Fatal(err)
		}
	}
	progress, err := a.CampaignProgress(ctx, ws, c.ID)
	if err != nil || len(progress) != 1 {
		t.Fatalf("progress: %+v %v", progress, err)
	}
	p := progress[0]
	if p.Name != "ann" || p.Confirmed != 2 || p.Held != 0 || p.Voided != 3 || p.Reached != 1 {
		t.Errorf("Ann's progress: %+v", p)
	}
	helps, _ := a.CampaignHelps(ctx, ws, c.ID, p.MemberID)
	reasons := map[string]int{}
	for _, h := range helps {
		reasons[h.Status+":"+h.Reason]++
	}
	if want := "map[confirmed::2 voided:blocklisted:1 voided:left_within_hold:1 voided:not_new:1]"; fmt.Sprint(reasons) != want {
		t.Errorf("the ledger: %v, want %s", reasons, want)
	}
	f, err := a.CampaignFigures(ctx, ws, c.ID)
	if err != nil || f.Participants != 1 || f.Confirmed != 2 || f.Voided != 3 || f.KFactor != 2 || f.CostPerMember != 15000 {
		t.Errorf("figures: %+v %v", f, err)
	}
	balance, _, err := a.MemberPoints(ctx, ws, p.MemberID, 10)
	if err != nil || balance != 50 {
		t.Errorf("Ann's balance %d (%v), want 50 once", balance, err)
	}
	// Ann asks for her progress in the group
	msg := ev("p1", "g1", "ann", "message", day.Add(82*time.Hour), "")
	msg.Text = "进度"
	if _, err := a.IngestEvents(ctx, ws, []shequn.EventInput{msg}); err != nil {
		t.Fatal(err)
	}
	var reply string
	if err := apptest.DB(t, a).Write().QueryRowContext(ctx, "SELECT payload FROM outbox WHERE idempotency_key LIKE 'cmd:%'").Scan(&reply); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply, "已确认 2 人") || !strings.Contains(reply, "再邀请 1 人得「大礼」") || !strings.Contains(reply, `2 confirmed`) {
		t.Errorf("the progress reply: %s", reply)
	}
	for _, bad := range []shequn.Campaign{
		{Name: "x", Start: start, End: start, Stages: c.Stages},
		{Name: "x", Start: start, End: start.Add(time.Hour), Stages: []shequn.Stage{{Threshold: 3}, {Threshold: 2}}},
		{Name: "x", Start: start, End: start.Add(time.Hour), Stages: c.Stages, CommunityIDs: []int64{99999}},
		{Name: "x", Kind: "bargain", Start: start, End: start.Add(time.Hour), Stages: c.Stages},
	} {
		if err := a.SaveCampaign(ctx, ws, owner, &bad); shequn.ErrorCode(err) != shequn.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if err := a.SaveCampaign(ctx, ws, viewer, &shequn.Campaign{Name: "x"}); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Errorf("a viewer saved a campaign: %v", err)
	}
}

// Fraud signals: a farm inviting six people in five minutes (burst), some
// with default names who never write (silent), goes to review; a
// default-named invitee who writes, invited alone, is confirmed. Review
// confirms one and voids another as fraud; only confirmed helps pay.
func TestCampaignFraudSignals(t *testing.T) {
	a, ws := apptest.New(t, "fraud", "UTC")
	ctx := context.Background()
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ev := func(id, actor, name, kind string, at time.Time, inviter string) shequn.EventInput {
		return shequn.EventInput{ID: id, Platform: "wecom", Community: "g1", CommunityName: "g1", Actor: actor, ActorName: name, Kind: kind,
			TS: at.Format(time.RFC3339), Inviter: inviter, Text: "你好大家"}
	}
	in := []shequn.EventInput{ev("f0", "farm", "农场主", "join", start.Add(-time.Hour), ""), ev("h0", "host", "Host", "join", start.Add(-time.Hour), "")}
	day := start.Add(24 * time.Hour)
	for i := range 6 {
		name := fmt.Sprintf("微信用户%d", i)
		if i%2 == 1 {
			name = fmt.Sprintf("Amy%d", i)
		}
		in = append(in, ev(fmt.Sprint("fj", i), fmt.Sprint("sock", i), name, "join", day.Add(time.Duration(i)*time.Minute), "farm"))
	}
	in = append(in, ev("hj", "real", "微信用户", "join", day, "host"), ev("hm", "real", "微信用户", "message", day.Add(time.Hour), ""))
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	c := &shequn.Campaign{Name: "x", Start: start, End: start.Add(7 * 24 * time.Hour), Stages: []shequn.Stage{{Threshold: 1, Points: 10}}}
	if err := a.SaveCampaign(ctx, ws, owner, c); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{day.Add(2 * time.Hour), day.Add(80 * time.Hour)} {
		if err := a.RunCampaigns(ctx, ws, at); err != nil {
			t.Fatal(err)
		}
	}
	helps, _ := a.CampaignHelps(ctx, ws, c.ID, 0)
	var review []shequn.Help
	for _, h := range helps {
		switch h.InviteeName {
		case "微信用户":
			if h.Status != shequn.HelpConfirmed || fmt.Sprint(h.Signals) != "[default_name]" {
				t.Errorf("the writer with a default name: %+v", h)
			}
		default:
			if h.Status != shequn.HelpReview || h.Score < shequn.ReviewScore || h.Signals[0] != shequn.SignalBurst {
				t.Errorf("a farm help: %+v", h)
			}
			review = append(review, h)
		}
	}
	if len(review) != 6 {
		t.Fatalf("%d helps in review, want 6", len(review))
	}
	if err := a.ReviewHelp(ctx, ws, owner, c.ID, review[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := a.ReviewHelp(ctx, ws, owner, c.ID, review[1].ID, false); err != nil {
		t.Fatal(err)
	}
	if err := a.ReviewHelp(ctx, ws, owner, c.ID, review[1].ID, true); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Errorf("reviewing a settled help again: %v", err)
	}
	if err := a.ReviewHelp(ctx, ws, viewer, c.ID, review[2].ID, true); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Errorf("a viewer reviewed: %v", err)
	}
	if err := a.RunCampaigns(ctx, ws, day.Add(81*time.Hour)); err != nil {
		t.Fatal(err)
	}
	progress, _ := a.CampaignProgress(ctx, ws, c.ID)
	for _, p := range progress {
		if p.Name == "农场主" && (p.Confirmed != 1 || p.Held != 4 || p.Voided != 1 || p.Reached != 1) {
			t.Errorf("the farm's progress: %+v", p)
		}
	}
}
