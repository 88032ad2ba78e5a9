package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
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
	cfg := sim.Config{Seed: 2026, Communities: 20, Members: 2000, Days: 90, End: a.Clock.Now(), Location: ws.Location(), Scale: 0.8}
	n, err := ingestSim(ctx, a, ws, cfg)
	if err != nil {
		return err
	}
	counts, _, err := a.RecomputeStandings(ctx, ws)
	if err != nil {
		return err
	}
	if err := demoRoutines(ctx, a, ws); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo workspace ready: %d events; tiers: %s\n", n, tierLine(counts))
	return nil
}

// demoRoutines gives the demo what an operator sets up first: a daily SOP
// for customer groups, a keyword rule, welcomes, a check-in challenge, and
// one run of the detectors.
func demoRoutines(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	sop := &shequn.Automation{Name: "客户群日常 SOP", Kind: shequn.AutomationSOP, Enabled: true,
		QuietHours: shequn.QuietHours{Start: "22:30", End: "07:30"}, Vars: map[string]map[string]string{"*": {"host": "小助手"}},
		Steps: []shequn.Step{
			{Name: "早报", Cron: "0 8 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早安！今天是{日期}{星期}，有问题随时 @{host}"}}},
			{Name: "打卡提醒", Cron: "30 20 * * 1-5", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "今天打卡了吗？发送「打卡 + 今天做了什么」"}}},
			{Name: "周五分享", Cron: "0 19 * * 5", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "周五分享会 19:30 开始，欢迎报名分享"}}},
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
	ch := &shequn.Challenge{Title: "21 天早起打卡", CommunityIDs: []int64{cs[0].ID, cs[1%len(cs)].ID}, Goal: 21,
		Start: today.Format(time.DateOnly), End: today.AddDate(0, 0, 27).Format(time.DateOnly), WindowStart: "05:00", WindowEnd: "23:00",
		MinLength: 4, Makeups: 3, ReminderAt: "20:00", DailyPoints: 2, RewardPoints: 100}
	if err := a.SaveChallenge(ctx, ws, nil, ch); err != nil {
		return err
	}
	return a.Detect(ctx, ws, a.Clock.Now())
}

// ingestSim feeds a simulation through the real pipeline in batches.
func ingestSim(ctx context.Context, a *app.App, ws *shequn.Workspace, cfg sim.Config) (int, error) {
	const batch = 2000
	buf := make([]shequn.Event, 0, batch)
	total := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		r, err := a.Pipeline.Ingest(ctx, ws, buf)
		total += r.Accepted
		buf = buf[:0]
		return err
	}
	err := sim.Run(cfg, func(e shequn.Event) error {
		buf = append(buf, e)
		if len(buf) == batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return total, err
}
