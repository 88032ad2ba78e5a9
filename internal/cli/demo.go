package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/sim"
)

// ensureDemo creates the demo workspace, its history and its operator once.
func ensureDemo(ctx context.Context, a *app.App, env Env) error {
	ws, err := a.EnsureWorkspace(ctx, "demo", "示例工作区 Demo", "Asia/Shanghai")
	if err != nil {
		return err
	}
	if _, err := a.CreateOperator(ctx, "demo", DemoEmail, "Demo", DemoPassword, shequn.RoleOwner); err != nil && shequn.ErrorCode(err) != shequn.ECONFLICT {
		return err
	}
	o, err := a.Overview(ctx, ws, shequn.LastDays(a.Clock.Now(), ws.Location(), 1))
	if err != nil || o.Events > 0 {
		return err
	}
	fmt.Fprintln(env.Stdout, "generating the demo workspace (20 groups, 2,000 people, 90 days)…")
	cfg := sim.Config{Seed: 2026, Communities: 20, Members: 2000, Days: 90, End: a.Clock.Now(), Location: ws.Location(), Scale: 0.8,
		Sources: demoSources}
	n, err := a.Simulate(ctx, ws, cfg, 2000)
	if err != nil {
		return err
	}
	counts, _, err := a.RecomputeStandings(ctx, ws)
	if err != nil {
		return err
	}
	if err := demoGroups(ctx, a, ws); err != nil {
		return err
	}
	if err := demoRoutines(ctx, a, ws); err != nil {
		return err
	}
	if err := demoLiveCodes(ctx, a, ws); err != nil {
		return err
	}
	if err := demoLanding(ctx, a, ws); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo workspace ready: %d events; tiers: %s\n", n, tierLine(counts))
	return nil
}

// demoKinds gives the demo's groups the kinds and tags an operator would
// set, by what their names say.
var demoKinds = []struct {
	words []string
	kind  string
	tags  []string
}{
	{[]string{"会员", "用户", "职场", "Lounge"}, shequn.KindCustomer, []string{"付费"}},
	{[]string{"内测", "KOL", "Beta", "Builders"}, shequn.KindCore, []string{"种子用户"}},
	{[]string{"答疑", "Support"}, shequn.KindSupport, nil},
	{[]string{"同城"}, shequn.KindLocal, []string{"线下"}},
	{[]string{"读书", "打卡", "早起", "摄影", "宝妈", "跑步", "Book", "Running", "Design", "Early"}, shequn.KindInterest, []string{"免费"}},
}

func demoGroups(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	cs, err := a.ListCommunities(ctx, ws)
	if err != nil {
		return err
	}
	for _, c := range cs {
		for _, k := range demoKinds {
			if !slices.ContainsFunc(k.words, func(w string) bool { return strings.Contains(c.Name, w) }) {
				continue
			}
			kind, stage := k.kind, shequn.StageMature
			if c.ID%5 == 0 {
				stage = shequn.StageGrowing
			}
			if _, err := a.UpdateCommunity(ctx, ws, c.ID, shequn.CommunityUpdate{Kind: &kind, Tags: k.tags, Stage: &stage}); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// demoRoutines gives the demo what an operator sets up first: a daily SOP
// for customer groups, a keyword rule, welcomes, a check-in challenge, and
// one run of the detectors.
func demoRoutines(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	sop := &shequn.Automation{Name: "客户群日常 SOP", Kind: shequn.AutomationSOP, Enabled: true, Selector: shequn.Selector{Kinds: []string{shequn.KindCustomer}},
		QuietHours: shequn.QuietHours{Start: "22:30", End: "07:30"}, Vars: map[string]map[string]string{"*": {"host": "小助手"}},
		Steps: []shequn.Step{
			{Name: "早报", Repeat: &shequn.Repeat{Every: shequn.EveryDay, At: "08:00"}, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早安！今天是{日期}{星期}，有问题随时 @{host}"}}},
			{Name: "打卡提醒", Repeat: &shequn.Repeat{Every: shequn.EveryWeekdays, At: "20:30"}, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "今天打卡了吗？发送「打卡 + 今天做了什么」"}}},
			{Name: "周五分享", Repeat: &shequn.Repeat{Every: shequn.EveryWeek, At: "19:00", Weekdays: []int{5}}, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "周五分享会 19:30 开始，欢迎报名分享"}}},
		}}
	rule := &shequn.Automation{Name: "价格咨询", Kind: shequn.AutomationRule, Enabled: true,
		Trigger: shequn.Trigger{Kind: shequn.TriggerKeyword, Keywords: []string{"价格", "多少钱", "price"}},
		Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "价格和优惠请看群公告，或私信群主。Prices are in the pinned note."}}}
	for _, au := range []*shequn.Automation{sop, rule} {
		if err := a.SaveAutomation(ctx, ws, nil, au); err != nil {
			return err
		}
	}
	w := shequn.DefaultWelcome
	w.Enabled = true
	if err := a.SaveWelcome(ctx, ws, nil, 0, &w); err != nil {
		return err
	}
	cs, err := a.ListCommunities(ctx, ws)
	if err != nil || len(cs) == 0 {
		return err
	}
	today := a.Clock.Now().In(ws.Location())
	var groups []int64
	for _, c := range cs {
		if strings.Contains(c.Name, "打卡") || strings.Contains(c.Name, "早起") || strings.Contains(c.Name, "Early") {
			groups = append(groups, c.ID)
		}
	}
	if len(groups) == 0 {
		groups = []int64{cs[0].ID}
	}
	ch := &shequn.Challenge{Title: "21 天早起打卡", CommunityIDs: groups, Goal: 21,
		Start: today.Format(time.DateOnly), End: today.AddDate(0, 0, 27).Format(time.DateOnly), WindowStart: "05:00", WindowEnd: "23:00",
		MinLength: 4, Makeups: 3, ReminderAt: "20:00", DailyPoints: 2, RewardPoints: 100}
	if err := a.SaveChallenge(ctx, ws, nil, ch); err != nil {
		return err
	}
	return a.Detect(ctx, ws, a.Clock.Now())
}

// demoLiveCodes gives the demo two live codes: one over three of its
// groups (the first nearly full, the last expiring tomorrow) and one whose
// only QR has filled up, so that its page shows the fallback.
func demoLiveCodes(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	choices, err := a.Choices(ctx, ws)
	if err != nil || len(choices.Groups) < 3 {
		return err
	}
	groups, counts := choices.Groups, map[int64]int{}
	for _, g := range groups {
		counts[g.ID] = g.Stats.Members
	}
	codes := []struct {
		code    shequn.LiveCode
		targets []shequn.LiveTarget
	}{
		{shequn.LiveCode{Slug: "newcomers", Name: "新人交流群 · 扫码进群", Fallback: "群都满了，请添加客服微信 shequn-help，拉你进新群。", AlertSeats: 50}, []shequn.LiveTarget{
			{CommunityID: groups[0].ID, Label: groups[0].Name, Cap: counts[groups[0].ID] + 3, Held: 1},
			{CommunityID: groups[1].ID, Label: groups[1].Name, Cap: counts[groups[1].ID] + 120, Held: 1},
			{Label: "备用群（未接入）", Cap: 190, Days: 1},
		}},
		{shequn.LiveCode{Slug: "salon", Name: "线下沙龙报名群", Fallback: "本期报名已满，下期开放时会在公众号通知。"}, []shequn.LiveTarget{
			{CommunityID: groups[2].ID, Label: groups[2].Name, Cap: max(1, counts[groups[2].ID])},
		}},
	}
	for _, c := range codes {
		if err := a.SaveLiveCode(ctx, ws, nil, &c.code); err != nil {
			return err
		}
		for i, t := range c.targets {
			qr, err := moderation.EncodeQR(fmt.Sprintf("https://weixin.qq.com/g/demo-%s-%d", c.code.Slug, i+1), 240)
			if err != nil {
				return err
			}
			t.LiveCodeID = c.code.ID
			if err := a.AddLiveTarget(ctx, ws, nil, &t, qr); err != nil {
				return err
			}
		}
	}
	return nil
}
