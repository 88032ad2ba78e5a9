package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/web"
)

// demoSources are the channels the demo's joins come through: its live
// codes, its landing page and two posters.
var demoSources = []string{"newcomers", "salon", "camp-2026", "moments", "poster-spring"}

// demoLanding gives the demo a published landing page over the newcomers
// live code, the visits its channels had (about four views per join), and
// a few leads in each status.
func demoLanding(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	codes, err := a.LiveCodes(ctx, ws)
	if err != nil || len(codes) == 0 {
		return err
	}
	p := &shequn.LandingPage{Slug: "camp-2026", Title: "21 天早起打卡训练营", Lang: "zh", Published: true,
		Blocks: web.StarterBlocks("zh", "21 天早起打卡训练营", codes)}
	if err := a.SaveLandingPage(ctx, ws, nil, p); err != nil {
		return err
	}
	if err := demoVisits(ctx, a, ws, p, codes); err != nil {
		return err
	}
	if err := demoLeads(ctx, a, ws, p); err != nil {
		return err
	}
	return demoCampaign(ctx, a, ws)
}

// demoCampaign runs an invite task (送) over the last month: the
// simulator's invited joins become its helps.
func demoCampaign(ctx context.Context, a *app.App, ws *shequn.Workspace) error {
	now := a.Clock.Now()
	c := &shequn.Campaign{Name: "邀请好友入群 · 3 人得贴纸，10 人得马克杯", NewOnly: true, Start: now.AddDate(0, 0, -30), End: now.AddDate(0, 0, 7),
		Stages: []shequn.Stage{{Threshold: 3, Points: 50, Label: "社群贴纸"}, {Threshold: 10, Points: 300, Label: "定制马克杯", Stock: 20}}}
	if err := a.SaveCampaign(ctx, ws, nil, c); err != nil {
		return err
	}
	return a.RunCampaigns(ctx, ws, now)
}

// demoVisits counts, for each of the last 30 days, the visits of the
// page and the codes: about four views per join of their channel.
func demoVisits(ctx context.Context, a *app.App, ws *shequn.Workspace, p *shequn.LandingPage, codes []*shequn.LiveCode) error {
	rows, err := a.Funnel(ctx, ws, 30)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(7, 11))
	refs := map[string]struct {
		kind string
		id   int64
	}{"camp-2026": {app.CountPage, p.ID}, "moments": {app.CountPage, p.ID}, "poster-spring": {app.CountCode, codes[0].ID}}
	for _, c := range codes {
		refs[c.ChannelState()] = struct {
			kind string
			id   int64
		}{app.CountCode, c.ID}
	}
	for _, r := range rows {
		ref, ok := refs[r.Source]
		if r.Kind != "channel" || !ok {
			continue
		}
		views := r.Joins*4 + rng.IntN(20)
		for d := range 30 {
			day := a.Clock.Now().AddDate(0, 0, -d).In(ws.Location()).Format(time.DateOnly)
			v := views / 30
			if d < views%30 {
				v++
			}
			if err := a.CountDemoVisits(ctx, ws, ref.kind, ref.id, day, r.Source, v, v*9/10); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoLeads leaves a dozen leads (one phone twice) and moves some along.
func demoLeads(ctx context.Context, a *app.App, ws *shequn.Workspace, p *shequn.LandingPage) error {
	names := []string{"王小明", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄蕾", "周杰", "吴敏", "徐蕾", "孙浩"}
	cities := []string{"上海", "北京", "杭州", "深圳", "成都", "广州"}
	sources := []string{"camp-2026", "moments", "moments", "poster-spring"}
	var ids []int64
	for i, n := range names {
		phone := fmt.Sprintf("1%d%09d", 3+i%7, 12345678+i*7919)
		in := app.LeadInput{Name: n, Phone: phone, City: cities[i%len(cities)], Consent: true, IP: fmt.Sprintf("203.0.113.%d", i+1), Source: sources[i%len(sources)]}
		res, err := a.SubmitLead(ctx, ws.Slug, p.Slug, in)
		if err != nil {
			return err
		}
		ids = append(ids, res.Lead.ID)
	}
	if _, err := a.SubmitLead(ctx, ws.Slug, p.Slug, app.LeadInput{Name: names[0], Phone: fmt.Sprintf("13%09d", 12345678), Consent: true, IP: "203.0.113.99"}); err != nil {
		return err
	}
	for i, st := range []string{"contacted", "contacted", "joined", "joined", "converted", "dropped"} {
		if err := a.SetLeadStatus(ctx, ws, nil, ids[i], st); err != nil {
			return err
		}
	}
	return nil
}
