package app_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

var owner = &shequn.Operator{Role: shequn.RoleOwner}

// communities creates n groups by a join each and sets zone, kind and tags
// by index: zones cycle through five (two with DST), even ones are
// customer groups, every third is tagged vip.
func communities(t *testing.T, a *app.App, ws *shequn.Workspace, n int, at time.Time) []*shequn.Community {
	t.Helper()
	ctx := context.Background()
	zones := []string{"Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kolkata", ""}
	var in []shequn.EventInput
	for i := range n {
		in = append(in, shequn.EventInput{ID: fmt.Sprintf("j%d", i), Platform: []string{"wecom", "telegram"}[i%2], Community: fmt.Sprintf("g%d", i),
			CommunityName: fmt.Sprintf("群%d", i), Actor: "u1", Kind: "join", TS: at.Format(time.RFC3339)})
	}
	if _, err := a.IngestEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	cs, err := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	if err != nil || len(cs) != n {
		t.Fatalf("communities: %v, %d", err, len(cs))
	}
	for i, c := range cs {
		kind := []string{shequn.KindCustomer, shequn.KindProspect}[i%2]
		tz := zones[i%len(zones)]
		upd := shequn.CommunityUpdate{Kind: &kind, TimeZone: &tz}
		if i%3 == 0 {
			upd.Tags = []string{"vip"}
		}
		if cs[i], err = a.UpdateCommunity(ctx, ws, c.ID, upd); err != nil {
			t.Fatal(err)
		}
	}
	return cs
}

// TestSOPTemplateOn500Communities applies one template to 500 groups over
// four days that include New York's spring-forward, ticking the scheduler
// every twenty minutes (every other tick twice), and checks the outbox holds exactly
// the expected sends: right groups, right local times, quiet hours
// honoured, nothing twice.
func TestSOPTemplateOn500Communities(t *testing.T) {
	a, ws := apptest.New(t, "sop", "Asia/Shanghai")
	ctx := context.Background()
	start := time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC) // a Friday
	clock := apptest.WithClock(a, start)
	cs := communities(t, a, ws, 500, start.Add(-time.Hour))
	sop := &shequn.Automation{Name: "客户群日常 SOP", Kind: shequn.AutomationSOP, Enabled: true,
		Selector:   shequn.Selector{Kinds: []string{shequn.KindCustomer}},
		QuietHours: shequn.QuietHours{Start: "22:00", End: "07:30"},
		Vars:       map[string]map[string]string{"*": {"host": "小助手"}},
		Steps: []shequn.Step{
			{Name: "早报", Cron: "0 8 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早安！今天是{日期}。—— {host}"}}},
			{Name: "打卡提醒", Cron: "30 21 * * 1-5", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "今天打卡了吗？"}}},
			{Name: "周报", Cron: "0 23 * * 0", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "本周回顾"}}}, // in quiet hours: Monday 07:30
		}}
	sop.Vars[strconv.FormatInt(cs[0].ID, 10)] = map[string]string{"host": "班主任王老师"}
	if err := a.SaveAutomation(ctx, ws, owner, sop); err != nil {
		t.Fatal(err)
	}
	end := start.Add(4 * 24 * time.Hour)
	for tick := 0; clock.Now().Before(end); tick++ {
		clock.Add(20 * time.Minute)
		for range 1 + tick%2 { // every other tick twice: nothing twice
			if _, _, err := a.RunSchedules(ctx, ws, clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := apptest.DB(t, a).FindOutbox(ctx, ws.ID, 0, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	// Expected, computed from wall clocks by hand: every customer group,
	// each local date whose sends fall in [start, end+PlanAhead).
	want := map[string]time.Time{} // community|text prefix|due → due
	for _, c := range cs {
		if c.Kind != shequn.KindCustomer {
			continue
		}
		loc := c.Location(ws.Location())
		for d := -1; d <= 5; d++ {
			day := start.In(loc).AddDate(0, 0, d)
			y, m, dd := day.Date()
			add := func(h, min int, text string, due time.Time) {
				at := time.Date(y, m, dd, h, min, 0, 0, loc)
				if !at.Before(start) && at.Before(end.Add(app.PlanAhead)) {
					want[fmt.Sprintf("%d|%s|%s", c.ID, text, due.UTC().Format(time.RFC3339))] = due
				}
			}
			add(8, 0, "早安", time.Date(y, m, dd, 8, 0, 0, 0, loc))
			if wd := time.Date(y, m, dd, 12, 0, 0, 0, loc).Weekday(); wd >= time.Monday && wd <= time.Friday {
				add(21, 30, "打卡", time.Date(y, m, dd, 21, 30, 0, 0, loc))
			} else if wd == time.Sunday {
				add(23, 0, "回顾", time.Date(y, m, dd+1, 7, 30, 0, 0, loc))
			}
		}
	}
	got := map[string]bool{}
	for _, r := range rows {
		text := r.Payload
		kind := map[bool]string{true: "早安"}[strings.Contains(text, "早安")]
		if strings.Contains(text, "打卡") {
			kind = "打卡"
		} else if strings.Contains(text, "回顾") {
			kind = "回顾"
		}
		k := fmt.Sprintf("%d|%s|%s", r.CommunityID, kind, r.DueAt.UTC().Format(time.RFC3339))
		if got[k] {
			t.Errorf("sent twice: %s", k)
		}
		got[k] = true
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected send %s (%s)", k, r.Payload)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missing send %s", k)
		}
	}
	if len(rows) != len(want) || len(want) < 1000 {
		t.Fatalf("%d outbox rows, want %d", len(rows), len(want))
	}
	// Variables: the first group has its own host; the date is local.
	for _, r := range rows {
		if r.CommunityID == cs[0].ID && strings.Contains(r.Payload, "早安") && !strings.Contains(r.Payload, "班主任王老师") {
			t.Errorf("per-community variable not used: %s", r.Payload)
		}
		if r.CommunityID == cs[2].ID && strings.Contains(r.Payload, "早安") && strings.Contains(r.Payload, "小助手") == false {
			t.Errorf("template variable not used: %s", r.Payload)
		}
	}
}

func TestSaveAutomationRejectsBadInput(t *testing.T) {
	a, ws := apptest.New(t, "bad", "UTC")
	ctx := context.Background()
	send := []shequn.Action{{Kind: shequn.DoSend, Text: "hi"}}
	cases := []struct {
		name string
		au   shequn.Automation
	}{
		{"no name", shequn.Automation{Kind: shequn.AutomationSOP, Steps: []shequn.Step{{Cron: "0 8 * * *", Actions: send}}}},
		{"bad kind", shequn.Automation{Name: "x", Kind: "macro"}},
		{"bad cron", shequn.Automation{Name: "x", Kind: shequn.AutomationSOP, Steps: []shequn.Step{{Cron: "0 25 * * *", Actions: send}}}},
		{"no steps", shequn.Automation{Name: "x", Kind: shequn.AutomationSOP}},
		{"bad quiet hours", shequn.Automation{Name: "x", Kind: shequn.AutomationSOP, QuietHours: shequn.QuietHours{Start: "22", End: "8"}, Steps: []shequn.Step{{Cron: "0 8 * * *", Actions: send}}}},
		{"unknown trigger", shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: "moon"}, Actions: send}},
		{"keyword without keywords", shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: shequn.TriggerKeyword}, Actions: send}},
		{"DM on a schedule", shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: shequn.TriggerSchedule, Cron: "@daily"}, Actions: []shequn.Action{{Kind: shequn.DoDM, Text: "hi"}}}},
		{"send without text", shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: shequn.TriggerJoin}, Actions: []shequn.Action{{Kind: shequn.DoSend}}}},
		{"award nothing", shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: shequn.TriggerJoin}, Actions: []shequn.Action{{Kind: shequn.DoAward}}}},
	}
	for _, c := range cases {
		if err := a.SaveAutomation(ctx, ws, owner, &c.au); shequn.ErrorCode(err) != shequn.EINVALID {
			t.Errorf("%s: %v, want EINVALID", c.name, err)
		}
	}
	ok := shequn.Automation{Name: "x", Kind: shequn.AutomationRule, Trigger: shequn.Trigger{Kind: shequn.TriggerJoin}, Actions: send}
	if err := a.SaveAutomation(ctx, ws, &shequn.Operator{Role: shequn.RoleViewer}, &ok); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Errorf("viewer: %v", err)
	}
	if all, _ := apptest.DB(t, a).FindAutomations(ctx, ws.ID); len(all) != 0 {
		t.Errorf("%d automations stored", len(all))
	}
}

// An edit cancels the sends planned from the old version that are not due
// yet and plans them again from the new one; sent ones stay.
func TestEditReplansFutureSends(t *testing.T) {
	a, ws := apptest.New(t, "edit", "UTC")
	ctx := context.Background()
	start := time.Date(2026, 3, 6, 7, 50, 0, 0, time.UTC)
	clock := apptest.WithClock(a, start)
	for _, c := range communities(t, a, ws, 2, start.Add(-time.Hour)) {
		utc := ""
		if _, err := a.UpdateCommunity(ctx, ws, c.ID, shequn.CommunityUpdate{TimeZone: &utc}); err != nil {
			t.Fatal(err)
		}
	}
	au := &shequn.Automation{Name: "morning", Kind: shequn.AutomationSOP, Enabled: true,
		Steps: []shequn.Step{{Name: "m", Cron: "0 8 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "old"}}}}}
	if err := a.SaveAutomation(ctx, ws, owner, au); err != nil {
		t.Fatal(err)
	}
	clock.Add(6 * time.Minute) // 07:56: 08:00 is within PlanAhead
	if n, _, err := a.RunSchedules(ctx, ws, clock.Now()); err != nil || n != 2 {
		t.Fatalf("planned %d, %v", n, err)
	}
	au.Steps[0].Actions[0].Text = "new"
	clock.Add(time.Minute)
	if err := a.SaveAutomation(ctx, ws, owner, au); err != nil {
		t.Fatal(err)
	}
	if n, _, err := a.RunSchedules(ctx, ws, clock.Now()); err != nil || n != 2 {
		t.Fatalf("replanned %d, %v", n, err)
	}
	rows, _ := apptest.DB(t, a).FindOutbox(ctx, ws.ID, 0, "", 100)
	status := map[string]int{}
	for _, r := range rows {
		status[r.Status+":"+map[bool]string{true: "new", false: "old"}[strings.Contains(r.Payload, "new")]]++
	}
	if status["cancelled:old"] != 2 || status["pending:new"] != 2 || len(rows) != 4 {
		t.Fatalf("outbox after edit: %v", status)
	}
}
