package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

// feed ingests events written as "kind actor [text]" lines in group g, a
// second apart from t0; "msg" is a message.
type feeder struct {
	t  *testing.T
	a  *app.App
	ws *shequn.Workspace
	n  int
}

func (f *feeder) at(ts time.Time, group, kind, actor, text string) {
	f.t.Helper()
	f.n++
	if kind == "msg" {
		kind = "message"
	}
	in := shequn.EventInput{ID: fmt.Sprintf("e%d", f.n), Platform: "wecom", Community: group, CommunityName: "群" + group,
		Actor: actor, ActorName: actor, Kind: kind, TS: ts.UTC().Format(time.RFC3339), Text: text}
	// Straight into the pipeline, as a connector delivers: the tests'
	// clocks stay put while events happen over weeks.
	ev, err := shequn.ParseEvent(in)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.a.Pipeline.Ingest(context.Background(), f.ws, []shequn.Event{ev}); err != nil {
		f.t.Fatal(err)
	}
}

func outboxTexts(t *testing.T, a *app.App, ws *shequn.Workspace, prefix string) []string {
	t.Helper()
	rows, err := apptest.DB(t, a).FindOutbox(context.Background(), ws.ID, 0, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if strings.HasPrefix(r.IdempotencyKey, prefix) {
			var p struct{ Text string }
			json.Unmarshal([]byte(r.Payload), &p)
			out = append(out, r.Action+":"+p.Text)
		}
	}
	return out
}

func TestWelcomeBatchesJoinsAndNoticesIntroductions(t *testing.T) {
	a, ws := apptest.New(t, "welcome", "Asia/Shanghai")
	ctx := context.Background()
	f := &feeder{t: t, a: a, ws: ws}
	w := shequn.DefaultWelcome
	w.Enabled, w.BatchSeconds, w.Text = true, 60, "欢迎 {name} 加入{group}！{intro}"
	if err := a.SaveWelcome(ctx, ws, owner, 0, &w); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.at(t0, "g1", "join", "小王", "")
	f.at(t0.Add(20*time.Second), "g1", "join", "小李", "") // same window, a later batch
	f.at(t0.Add(30*time.Second), "g2", "join", "Ann", "")
	f.at(t0.Add(90*time.Second), "g1", "join", "小张", "") // next window
	got := outboxTexts(t, a, ws, "welcome:")
	if len(got) != 3 || !strings.Contains(got[0]+got[1]+got[2], "欢迎 小王、小李 加入群g1") || !strings.Contains(strings.Join(got, "|"), "欢迎 小张") {
		t.Fatalf("welcomes: %q", got)
	}
	// A group of its own: disabled there.
	off := w
	off.Enabled = false
	cs, _ := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	if err := a.SaveWelcome(ctx, ws, owner, cs[1].ID, &off); err != nil {
		t.Fatal(err)
	}
	f.at(t0.Add(10*time.Minute), cs[1].ExternalID, "join", "Bob", "")
	if n := len(outboxTexts(t, a, ws, "welcome:")); n != 3 {
		t.Fatalf("a group with welcome off was greeted: %d", n)
	}
	f.at(t0.Add(2*time.Minute), "g1", "msg", "小王", "大家好，我是小王，坐标杭州，做产品经理的")
	f.at(t0.Add(3*time.Minute), "g1", "msg", "小李", "这个群几点上课？")
	var intro int
	apptest.DB(t, a).Write().QueryRow("SELECT count(*) FROM memberships WHERE intro_at IS NOT NULL").Scan(&intro)
	if intro != 1 {
		t.Fatalf("%d introductions recorded, want 1", intro)
	}
	if err := a.SaveWelcome(ctx, ws, owner, 0, &shequn.WelcomeSettings{Enabled: true}); shequn.ErrorCode(err) != shequn.EINVALID {
		t.Fatalf("empty text: %v", err)
	}
	// A join delivered late, after its window's welcome went out, gets a
	// welcome of its own (delivered twice, still one).
	if _, err := apptest.DB(t, a).Write().Exec(`UPDATE outbox SET status = 'sent' WHERE idempotency_key LIKE 'welcome:%'`); err != nil {
		t.Fatal(err)
	}
	late, err := shequn.ParseEvent(shequn.EventInput{ID: "late-join", Platform: "wecom", Community: "g1", Actor: "小赵", ActorName: "小赵", Kind: "join",
		TS: t0.Add(40 * time.Second).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := a.Pipeline.Ingest(ctx, ws, []shequn.Event{late}); err != nil {
			t.Fatal(err)
		}
	}
	got = outboxTexts(t, a, ws, "welcome:")
	if n := strings.Count(strings.Join(got, "|"), "欢迎 小赵"); n != 1 || len(got) != 4 {
		t.Fatalf("a late join's welcome: %q", got)
	}
}

func TestIsIntro(t *testing.T) {
	for text, want := range map[string]bool{
		"大家好，我是小王，坐标杭州，做产品经理的":                            true,
		"Hi everyone, my name is Ann and I'm from Berlin": true,
		"自我介绍一下：老张，深圳，做跨境电商":                              true,
		"今天的课几点开始？":                                       false,
		"好的":                                              false,
		"我是不是来晚了?":                                        false,
	} {
		if got := app.IsIntro(text); got != want {
			t.Errorf("IsIntro(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestRulesOnEvents(t *testing.T) {
	a, ws := apptest.New(t, "rules", "UTC")
	ctx := context.Background()
	f := &feeder{t: t, a: a, ws: ws}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	apptest.WithClock(a, t0)
	rules := []*shequn.Automation{
		{Name: "join DM", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerJoin},
			Actions: []shequn.Action{{Kind: shequn.DoDM, Text: "{name}，欢迎！群规：{rules}"}, {Kind: shequn.DoTag, Tag: "新人"}}},
		{Name: "price keyword", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerKeyword, Keywords: []string{"价格", "price"}},
			Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "价格请看群公告 / see the pinned note"}, {Kind: shequn.DoNotify, Text: "{name} asked about price"}}},
		{Name: "first message", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerFirstMessage},
			Actions: []shequn.Action{{Kind: shequn.DoAward, Points: 5}}},
		{Name: "off", Kind: shequn.AutomationRule, Enabled: false, Trigger: shequn.Trigger{Kind: shequn.TriggerJoin},
			Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "disabled"}}},
	}
	for _, r := range rules {
		if err := a.SaveAutomation(ctx, ws, owner, r); err != nil {
			t.Fatal(err)
		}
	}
	f.at(t0, "g1", "join", "ann", "")
	f.at(t0.Add(time.Minute), "g1", "msg", "ann", "hello all")
	f.at(t0.Add(2*time.Minute), "g1", "msg", "ann", "what is the PRICE?")
	f.at(t0.Add(3*time.Minute), "g1", "msg", "bob", "价格多少")     // within the 10-minute cooldown: quiet
	f.at(t0.Add(12*time.Minute), "g1", "msg", "bob", "价格到底多少？") // after it: fires again
	got := strings.Join(outboxTexts(t, a, ws, "rule:"), "|")
	for _, want := range []string{"dm:ann，欢迎！群规：", "send:价格请看群公告"} {
		if !strings.Contains(got, want) {
			t.Errorf("outbox %q lacks %q", got, want)
		}
	}
	if strings.Count(got, "send:价格请看群公告") != 2 || strings.Contains(got, "disabled") {
		t.Errorf("outbox %q", got)
	}
	alerts, _ := apptest.DB(t, a).FindAlerts(ctx, ws.ID, shequn.AlertFilter{})
	if len(alerts) != 2 || alerts[0].Kind != shequn.AlertAutomation {
		t.Fatalf("alerts %v", alerts)
	}
	if n := len(outboxTexts(t, a, ws, "alert:")); n != 2 {
		t.Errorf("%d webhook notices, want 2", n)
	}
	ms, _, _ := apptest.DB(t, a).FindMembers(ctx, ws.ID, shequn.MemberFilter{Limit: 10}, shequn.LastDays(t0, ws.Location(), 1))
	for _, m := range ms {
		hist, _ := apptest.DB(t, a).PointsHistory(ctx, ws.ID, m.ID, 100, ws.Location())
		var awarded int64
		for _, e := range hist {
			if e.Reason == "automation: first message" {
				awarded += e.Amount
			}
		}
		if awarded != 5 {
			t.Errorf("%s: awarded %d, want 5 for a first message, once", m.DisplayName, awarded)
		}
		if m.DisplayName == "ann" && !strings.Contains(strings.Join(m.Tags, ","), "新人") {
			t.Errorf("ann not tagged: %v", m.Tags)
		}
	}
}

// Imported history is counted and searched for questions, never acted on.
func TestImportActsOnNothing(t *testing.T) {
	a, ws := apptest.New(t, "import", "UTC")
	ctx := context.Background()
	w := shequn.DefaultWelcome
	w.Enabled = true
	if err := a.SaveWelcome(ctx, ws, owner, 0, &w); err != nil {
		t.Fatal(err)
	}
	rule := &shequn.Automation{Name: "kw", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerKeyword, Keywords: []string{"price"}},
		Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "see the note"}}}
	if err := a.SaveAutomation(ctx, ws, owner, rule); err != nil {
		t.Fatal(err)
	}
	ts := "2020-01-02T10:00:00Z"
	in := []shequn.EventInput{
		{ID: "1", Platform: "irc", Community: "#c", Actor: "ann", ActorName: "ann", Kind: "join", TS: ts},
		{ID: "2", Platform: "irc", Community: "#c", Actor: "ann", ActorName: "ann", Kind: "message", TS: ts, Text: "what is the price?"},
		{ID: "3", Platform: "irc", Community: "#c", Actor: "spam", Kind: "message", TS: ts, Text: "兼职刷单，日结300，加微信 abc8888 详聊"},
		{ID: "4", Platform: "irc", Community: "#c", Actor: "bob", Kind: "message", TS: ts, Text: "积分"},
		{ID: "5", Platform: "irc", Community: "", Actor: "bob", Kind: "message", TS: ts, Text: "invalid: no community"},
	}
	res, err := a.ImportEvents(ctx, ws, in)
	if err != nil || res.Accepted != 4 || res.Invalid != 1 {
		t.Fatalf("import %+v %v", res, err)
	}
	if rows, _ := apptest.DB(t, a).FindOutbox(ctx, ws.ID, 0, "", 10); len(rows) != 0 {
		t.Fatalf("history produced %d outbox rows", len(rows))
	}
	if cs, _ := apptest.DB(t, a).FindCases(ctx, ws.ID, shequn.CaseFilter{}); len(cs) != 0 {
		t.Fatalf("history produced %d moderation cases", len(cs))
	}
	if qs, _ := apptest.DB(t, a).FindQuestions(ctx, ws.ID, shequn.QuestionFilter{}); len(qs) != 1 {
		t.Fatalf("questions %d, want 1", len(qs))
	}
}
