package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/schedule"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// ScheduleConfig sizes the schedule benchmark.
type ScheduleConfig struct {
	Communities int
	Dir         string // where the outbox database goes ("": a temporary directory)
}

var benchZones = []string{"", "Asia/Shanghai", "Asia/Tokyo", "Asia/Kolkata", "Asia/Singapore", "Europe/Berlin", "Europe/London",
	"America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney", "Africa/Lagos"}

// benchTemplates are three SOP templates of the kind the seeds describe:
// a customer-group daily routine, weekly sharing for interest groups, and
// a VIP routine, with quiet hours.
func benchTemplates() []*shequn.Automation {
	send := func(text string) []shequn.Action { return []shequn.Action{{Kind: shequn.DoSend, Text: text}} }
	quiet := shequn.QuietHours{Start: "22:30", End: "07:30"}
	return []*shequn.Automation{
		{ID: 1, Name: "客户群日常", Kind: shequn.AutomationSOP, Enabled: true, QuietHours: quiet,
			Selector: shequn.Selector{Kinds: []string{shequn.KindCustomer}},
			Steps: []shequn.Step{{Name: "早报", Cron: "0 8 * * *", Actions: send("{group} 早安！今天是{日期}{星期}。")},
				{Name: "午间答疑", Cron: "30 12 * * 1-5", Actions: send("午间答疑时间，有问题请 @{host}")},
				{Name: "打卡提醒", Cron: "0 21 * * *", Actions: send("今天打卡了吗？")},
				{Name: "晚安", Cron: "0 23 * * *", Actions: send("晚安，明天见")}}},
		{ID: 2, Name: "兴趣群周分享", Kind: shequn.AutomationSOP, Enabled: true, QuietHours: quiet,
			Selector: shequn.Selector{Kinds: []string{shequn.KindInterest, shequn.KindCore}},
			Steps: []shequn.Step{{Name: "周一话题", Cron: "0 10 * * 1", Actions: send("本周话题：{topic}")},
				{Name: "每日资讯", Cron: "0 9 * * *", Actions: send("今日资讯")},
				{Name: "周五分享", Cron: "0 20 * * 5", Actions: send("周五分享会开始啦")}}},
		{ID: 3, Name: "VIP 关怀", Kind: shequn.AutomationSOP, Enabled: true, QuietHours: quiet,
			Selector: shequn.Selector{Tags: []string{"vip"}},
			Steps: []shequn.Step{{Name: "早安", Cron: "30 7 * * *", Actions: send("{group} 的朋友早上好")},
				{Name: "每两小时", Cron: "0 9-21/2 * * *", Actions: send("整点福利")}}},
	}
}

func benchCommunities(n int) []*shequn.Community {
	kinds := []string{shequn.KindCustomer, shequn.KindInterest, shequn.KindProspect, shequn.KindCore, shequn.KindSupport}
	cs := make([]*shequn.Community, n)
	for i := range cs {
		c := &shequn.Community{ID: int64(i + 1), Platform: []string{"wecom", "telegram", "qq"}[i%3], Name: "群" + strconv.Itoa(i+1),
			Kind: kinds[i%len(kinds)], TimeZone: benchZones[i%len(benchZones)]}
		if i%7 == 0 {
			c.Tags = []string{"vip"}
		}
		cs[i] = c
	}
	return cs
}

// Schedule plans one day of three SOP templates for cfg.Communities groups
// across twelve time zones, then writes the plan to a fresh SQLite outbox.
// The last line is "schedule: N items in X ms" (planning only).
func Schedule(ctx context.Context, cfg ScheduleConfig, out io.Writer) error {
	if cfg.Communities <= 0 {
		return shequn.Errorf(shequn.EINVALID, "communities must be positive")
	}
	cs := benchCommunities(cfg.Communities)
	tpls := benchTemplates()
	for _, t := range tpls {
		t.Vars = map[string]map[string]string{"*": {"host": "群助手", "topic": "本周好书"}}
		for i := 0; i < cfg.Communities; i += 10 {
			t.Vars[strconv.Itoa(i+1)] = map[string]string{"host": "班主任" + strconv.Itoa(i)}
		}
	}
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	var items []shequn.Planned
	p := schedule.NewPlanner(time.UTC)
	for _, t := range tpls {
		got, err := p.Plan(t, cs, day, day.Add(24*time.Hour))
		if err != nil {
			return err
		}
		items = append(items, got...)
	}
	planned := time.Since(start)
	if err := writePlan(ctx, cfg.Dir, items, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "schedule: %d items in %d ms\n", len(items), planned.Milliseconds())
	return nil
}

// writePlan stores the items as outbox rows, as the scheduler does.
func writePlan(ctx context.Context, dir string, items []shequn.Planned, out io.Writer) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "shequn-bench-")
		if err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "schedule.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	rows := make([]*shequn.OutboxItem, len(items))
	for i, it := range items {
		rows[i] = &shequn.OutboxItem{WorkspaceID: 1, IdempotencyKey: it.Key, Platform: it.Platform, CommunityID: it.CommunityID,
			Action: "send", Payload: `{"text":` + strconv.Quote(it.Action.Text) + `}`, DueAt: it.Due}
	}
	start := time.Now()
	if err := db.AddOutbox(ctx, rows); err != nil {
		return err
	}
	fmt.Fprintf(out, "outbox: %d rows written in %d ms\n", len(rows), time.Since(start).Milliseconds())
	return nil
}
