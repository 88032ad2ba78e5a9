package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/platform/matrix"
	"github.com/shequn/shequn/internal/platform/telegram"
	"github.com/shequn/shequn/internal/platform/wecom"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/web"
)

// outboxPlatforms are drained by the log connector until real connectors
// take over their platforms.
var outboxPlatforms = []string{"wecom", "qq", "telegram", "matrix", "discord", "slack", "webhook"}

// Demo login, printed by serve --demo.
const (
	DemoEmail    = "demo@shequn.local"
	DemoPassword = "shequn-demo"
)

func serve(ctx context.Context, args []string, env Env) error {
	fs := newFlags("serve", env)
	var sf storeFlags
	sf.register(fs, env)
	addr := fs.String("addr", or(env.Getenv("SHEQUN_ADDR"), "127.0.0.1:8080"), "listen address")
	demo := fs.Bool("demo", false, "create a demo workspace (20 groups, 90 days of history) when it is missing")
	drain := fs.String("outbox", "log", "log: record outbox actions with the log connector until a platform connector exists; off: leave them pending")
	webhook := fs.String("alert-webhook", env.Getenv("SHEQUN_ALERT_WEBHOOK"), "URL that receives alerts as JSON POSTs (else alerts are only in the inbox)")
	tick := fs.Duration("tick", 30*time.Second, "how often schedules, reminders and detectors run")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	if *demo {
		if err := ensureDemo(ctx, a, env); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "listen on %s: %v", *addr, err)
	}
	srv := &http.Server{
		Handler:           httpapi.New(a, web.New(a)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "shequn %s listening on %s (%s store)\n", shequn.Version, url, a.DB.Dialect)
	if *demo {
		fmt.Fprintf(env.Stdout, "demo console: %s/  login: %s  password: %s\n", url, DemoEmail, DemoPassword)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go recomputeEvery(ctx, a, time.Hour, log)
	go tickEvery(ctx, a, *tick, log)
	registry := connector.Registry{"matrix": matrix.New, "telegram": telegram.New, "wecom": wecom.New}
	a.ConnectorTest = func(ctx context.Context, c *shequn.Connector) (string, error) {
		return connector.Test(ctx, a, registry, c)
	}
	manager := connector.NewManager(a, registry, log)
	a.Hooks = manager.Hook
	go manager.Run(ctx)
	switch *drain {
	case "log":
		stand := outbox.DefaultConfig()
		stand.Unconnected = true // a workspace's active connector drains its own rows
		for _, p := range outboxPlatforms {
			go outbox.New(a.DB, &outbox.LogSender{DB: a.DB, PlatformName: p}, stand, a.Clock, log).Run(ctx)
		}
		var ops shequn.Sender = &outbox.LogSender{DB: a.DB, PlatformName: app.OperatorsPlatform}
		if *webhook != "" {
			ops = &outbox.WebhookSender{PlatformName: app.OperatorsPlatform, URL: *webhook}
		}
		go outbox.New(a.DB, ops, outbox.DefaultConfig(), a.Clock, log).Run(ctx)
	case "off":
	default:
		return shequn.Errorf(shequn.EINVALID, "--outbox %q: want log or off", *drain)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// ensureDemo creates the demo workspace, its history and its operator once.
func ensureDemo(ctx context.Context, a *app.App, env Env) error {
	ws, err := a.EnsureWorkspace(ctx, "demo", "示例工作区 Demo", "Asia/Shanghai")
	if err != nil {
		return err
	}
	if _, err := a.DB.FindOperatorByEmail(ctx, DemoEmail); shequn.ErrorCode(err) == shequn.ENOTFOUND {
		if _, err := a.CreateOperator(ctx, "demo", DemoEmail, "Demo", DemoPassword, shequn.RoleOwner); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	o, err := a.DB.Overview(ctx, ws.ID, shequn.LastDays(a.Clock.Now(), ws.Location(), 1))
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
	cs, err := a.DB.ListCommunities(ctx, ws.ID)
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

func simulate(ctx context.Context, args []string, env Env) error {
	fs := newFlags("simulate", env)
	var sf storeFlags
	sf.register(fs, env)
	comms := fs.Int("communities", 20, "number of groups")
	members := fs.Int("members", 2000, "number of people")
	days := fs.Int("days", 90, "days of history, ending today")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same events")
	slug := fs.String("workspace", "default", "workspace slug (created when missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *comms < 1 || *members < 1 || *days < 1 || *days > 3650 {
		return shequn.Errorf(shequn.EINVALID, "communities and members must be at least 1, days 1 to 3650")
	}
	a, err := sf.open(ctx, quietLog(env))
	if err != nil {
		return err
	}
	defer a.DB.Close()
	ws, err := a.EnsureWorkspace(ctx, *slug, *slug, "Asia/Shanghai")
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := ingestSim(ctx, a, ws, sim.Config{Seed: *seed, Communities: *comms, Members: *members, Days: *days, End: a.Clock.Now(), Location: ws.Location()})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "simulated %d new events into workspace %s in %v\n", n, ws.Slug, time.Since(start).Round(time.Millisecond))
	return nil
}

func runBench(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn bench ingest [--events N] [--batch B]")
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, args[1:], env)
	case "moderation":
		return benchModeration(ctx, args[1:], env)
	case "leaderboard":
		return benchLeaderboard(ctx, args[1:], env)
	case "schedule":
		return benchSchedule(ctx, args[1:], env)
	}
	return shequn.Errorf(shequn.EINVALID, "unknown benchmark %q (have: ingest, moderation, leaderboard, schedule)", args[0])
}

// tickEvery runs the scheduler, reminders and detectors every interval.
func tickEvery(ctx context.Context, a *app.App, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.Tick(ctx, a.Clock.Now()); err != nil && ctx.Err() == nil {
			log.Error("tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
