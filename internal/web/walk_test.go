package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/secret"
	"github.com/shequn/shequn/internal/web"
)

// walkPlatform is a connector's adapter that never connects.
type walkPlatform struct{}

func (walkPlatform) Platform() string                               { return "matrix" }
func (walkPlatform) Send(context.Context, *shequn.OutboxItem) error { return nil }
func (walkPlatform) Run(ctx context.Context, _ shequn.Sink) error   { <-ctx.Done(); return nil }

// walkConsole is a workspace with something on every page: history,
// moderation cases and outbox rows, alerts, an SOP and a rule, a
// challenge, a reward redeemed, a broadcast awaiting approval and a
// connector that keeps failing.
func walkConsole(t *testing.T) (*httptest.Server, *app.App, walkIDs) {
	t.Helper()
	ctx := context.Background()
	a, ws := newConsoleApp(t)
	a.Log = slog.New(slog.DiscardHandler)
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{3}, 32))
	walk := func(*shequn.Connector, string, *slog.Logger) (shequn.Platform, error) { return walkPlatform{}, nil }
	reg := connector.Registry{"matrix": walk, "wecom": walk}
	a.UseConnectors(connector.NewManager(a, apptest.DB(t, a), reg, a.Log))
	cn, err := a.CreateConnector(ctx, ws, nil, "matrix", "社群助手 bot", `{"homeserver":"https://matrix.example.org","user_id":"@bot:example.org"}`, "syt_token")
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, nil, cn.ID, shequn.ConnectorActive)
	apptest.DB(t, a).ConnectorFailed(ctx, cn.ID, "401 M_UNKNOWN_TOKEN: the access token is no longer valid", time.Now())
	sop := &shequn.Automation{Name: "客户群日常 SOP", Kind: shequn.AutomationSOP, Enabled: true, Steps: []shequn.Step{
		{Name: "早报", Repeat: &shequn.Repeat{Every: shequn.EveryDay, At: "08:00"}, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早安"}}},
		{Name: "周五分享", Repeat: &shequn.Repeat{Every: shequn.EveryWeek, At: "19:00", Weekdays: []int{5}}, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "周五分享会"}}}}}
	rule := &shequn.Automation{Name: "周一提醒", Kind: shequn.AutomationRule, Enabled: true,
		Trigger: shequn.Trigger{Kind: shequn.TriggerSchedule, Repeat: &shequn.Repeat{Every: shequn.EveryMonth, At: "10:00", Day: 1}},
		Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "本月活动预告"}}}
	for _, au := range []*shequn.Automation{sop, rule} {
		if err := a.SaveAutomation(ctx, ws, nil, au); err != nil {
			t.Fatal(err)
		}
	}
	cs, _ := a.ListCommunities(ctx, ws)
	today := time.Now().In(ws.Location())
	ch := &shequn.Challenge{Title: "21 天早起打卡", CommunityIDs: []int64{cs[0].ID, cs[1].ID}, Goal: 21, Start: today.AddDate(0, 0, -3).Format(time.DateOnly),
		End: today.AddDate(0, 0, 17).Format(time.DateOnly), WindowStart: "05:00", WindowEnd: "23:00", DailyPoints: 2, RewardPoints: 50}
	if err := a.SaveChallenge(ctx, ws, nil, ch); err != nil {
		t.Fatal(err)
	}
	reward := &shequn.Reward{Name: "定制马克杯", Kind: "physical", Cost: 1}
	if err := a.CreateReward(ctx, ws, nil, reward); err != nil {
		t.Fatal(err)
	}
	board, _ := apptest.DB(t, a).Leaderboard(ctx, ws.ID, "M"+today.Format("2006-01"), 0, 1)
	if len(board) == 0 {
		t.Fatal("no leaderboard")
	}
	if _, err := a.Redeem(ctx, ws, board[0].MemberID, reward.ID, "", "walk-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateBroadcast(ctx, ws, nil, "{group}：今晚 8 点直播，不见不散", shequn.Selector{}, 30); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.RecomputeStandings(ctx, ws); err != nil {
		t.Fatal(err)
	}
	live := &shequn.LiveCode{Slug: "spring", Name: "春季新人群 <i>x</i>", Fallback: "请加客服微信 shequn-help", AlertSeats: 500}
	if err := a.SaveLiveCode(ctx, ws, nil, live); err != nil {
		t.Fatal(err)
	}
	for i, g := range []int64{cs[0].ID, 0} {
		qr, err := moderation.EncodeQR(fmt.Sprintf("https://weixin.qq.com/g/walk%d", i), 240)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.AddLiveTarget(ctx, ws, nil, &shequn.LiveTarget{LiveCodeID: live.ID, CommunityID: g, Label: fmt.Sprintf("新人 %d 群", i+1), Days: 1 + i}, qr); err != nil {
			t.Fatal(err)
		}
	}
	wc, err := a.CreateConnector(ctx, ws, nil, "wecom", "企业微信", `{}`, "s")
	if err != nil {
		t.Fatal(err)
	}
	wecomCode := &shequn.LiveCode{Slug: "vip", Name: "VIP 客户群", Mode: shequn.LiveWeCom, ConnectorID: wc.ID,
		JoinWay: &shequn.JoinWay{Scene: 2, AutoCreateRoom: true, RoomBaseName: "VIP 群", RoomBaseID: 1}}
	if err := a.SaveLiveCode(ctx, ws, nil, wecomCode); err != nil {
		t.Fatal(err)
	}
	page := &shequn.LandingPage{Slug: "spring-camp", Title: "春季训练营 <b>x</b>", Published: true,
		Blocks: web.StarterBlocks("zh", "春季训练营 <b>x</b>", []*shequn.LiveCode{live})}
	if err := a.SaveLandingPage(ctx, ws, nil, page); err != nil {
		t.Fatal(err)
	}
	lead, err := a.SubmitLead(ctx, ws.Slug, page.Slug, app.LeadInput{Name: "王 <i>x</i>", Phone: "13800138000", City: "上海", Consent: true, IP: "192.0.2.1", Source: "moments"})
	if err != nil {
		t.Fatal(err)
	}
	camp := &shequn.Campaign{Name: "邀请 3 人得马克杯 <b>x</b>", NewOnly: true, Start: time.Now().AddDate(0, 0, -60), End: time.Now().AddDate(0, 0, 7),
		Stages: []shequn.Stage{{Threshold: 1, Points: 10, Label: "小礼 <i>x</i>"}, {Threshold: 3, Points: 50, Stock: 10}}}
	if err := a.SaveCampaign(ctx, ws, nil, camp); err != nil {
		t.Fatal(err)
	}
	if err := a.RunCampaigns(ctx, ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	leaders, err := a.CampaignProgress(ctx, ws, camp.ID)
	if err != nil || len(leaders) == 0 {
		t.Fatalf("the walk's campaign has no participants: %v", err)
	}
	if err := a.Detect(ctx, ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(a, web.New(a)))
	t.Cleanup(srv.Close)
	return srv, a, walkIDs{Community: cs[0].ID, Member: board[0].MemberID, Challenge: ch.ID, Automation: sop.ID, Rule: rule.ID, Connector: cn.ID,
		Checkin: app.CheckinLink(ch, board[0].MemberID), LiveCode: live.ID, Join: "/j/" + ws.Slug + "/" + live.Slug,
		Page: page.ID, Lead: lead.Lead.ID, WeComCode: wecomCode.ID, WeComConnector: wc.ID, Campaign: camp.ID,
		Progress: app.ProgressLink(camp.ID, ws.ID, camp.Secret, leaders[0].MemberID), Landing: "/p/" + ws.Slug + "/" + page.Slug}
}

type walkIDs struct {
	Community, Member, Challenge, Automation, Rule, Connector, LiveCode, Page, Lead, WeComCode, WeComConnector, Campaign int64
	Checkin, Join, Landing, Progress                                                                                     string
}

// consolePages is every page of the console (with the ids of things that
// exist), and the public pages members open.
func consolePages(ids walkIDs) []string {
	return []string{"/", "/analytics", fmt.Sprintf("/analytics?community=%d", ids.Community), "/reports/weekly", "/communities", fmt.Sprintf("/communities/%d", ids.Community), "/members", fmt.Sprintf("/members/%d", ids.Member), "/tiers",
		"/moderation", "/moderation?status=", "/moderation/log", "/moderation/rules", "/moderation/blocklist", "/moderation/test", "/outbox",
		"/leaderboards", "/rewards", "/calendar", "/automations", fmt.Sprintf("/automations?edit=%d", ids.Automation),
		fmt.Sprintf("/automations?edit=%d", ids.Rule), "/automations?new=rule", "/challenges", fmt.Sprintf("/challenges?edit=%d", ids.Challenge), fmt.Sprintf("/challenges/%d", ids.Challenge),
		"/questions", "/alerts", "/alerts?status=", "/broadcasts", "/connectors", "/team", fmt.Sprintf("/connectors?edit=%d", ids.Connector),
		"/livecodes", fmt.Sprintf("/livecodes/%d", ids.LiveCode), fmt.Sprintf("/livecodes/%d", ids.WeComCode), "/pages", fmt.Sprintf("/pages/%d", ids.Page), fmt.Sprintf("/pages/%d/preview", ids.Page),
		"/leads", fmt.Sprintf("/leads/%d", ids.Lead), "/funnel", "/funnel?days=7", "/campaigns", fmt.Sprintf("/campaigns/%d", ids.Campaign), ids.Checkin, ids.Join, ids.Landing, ids.Progress}
}

// pageProblems watches a browser tab for what a walk must not meet:
// responses of 400 or more, uncaught exceptions and console errors.
type pageProblems struct {
	mu   sync.Mutex
	list []string
}

func (p *pageProblems) add(s string) {
	p.mu.Lock()
	p.list = append(p.list, s)
	p.mu.Unlock()
}

func (p *pageProblems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

func (p *pageProblems) listen(ctx context.Context) {
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			if e.Response.Status >= 400 {
				p.add(fmt.Sprintf("HTTP %d %s", e.Response.Status, e.Response.URL))
			}
		case *runtime.EventExceptionThrown:
			p.add("exception: " + e.ExceptionDetails.Text + " " + func() string {
				if e.ExceptionDetails.Exception != nil {
					return e.ExceptionDetails.Exception.Description
				}
				return ""
			}())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				p.add("console error: " + strings.Join(args, " "))
			}
		}
	})
}

// pageCheck is what the walk reads from each page.
type pageCheck struct {
	ScrollWidth, Width int
	Widest             string
	Untranslated       []string
	Lang               string
	Squeezed           string
}

// checkJS measures a page: its width against the window's (and the
// element that sticks out furthest), and catalog keys shown as ⟦key⟧.
const checkJS = `(() => {
  const w = window.innerWidth;
  let widest = "", right = w;
  document.querySelectorAll("body *").forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.right > right + 1 && r.width > 0) {
      let inBox = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden") { inBox = true; break; }
      }
      if (!inBox) { right = r.right; widest = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + " " + Math.round(r.right) + "px"; }
    }
  });
  const keys = (document.body.innerText.match(/⟦[^⟧]*⟧/g) || []);
  // A table cell squeezed to a character or two a line (two-character
  // Chinese words stacked one character per line): count its text's line
  // boxes.
  let squeezed = "";
  document.querySelectorAll("td, th").forEach(el => {
    const text = el.innerText.trim();
    if (squeezed || text.length < 2 || text.includes("\n")) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const em = parseFloat(getComputedStyle(el).fontSize) || 16;
    const tops = Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => r.top).sort((a, b) => a - b);
    let lines = 0, last = -1e9;
    tops.forEach(top => { if (top > last + 0.8 * em) { lines++; last = top; } });
    if (lines >= 3 && text.length / lines < 3.5) {
      squeezed = el.tagName.toLowerCase() + " " + JSON.stringify(text.slice(0, 20)) + " on " + lines + " lines";
    }
  });
  return {ScrollWidth: document.documentElement.scrollWidth, Width: w, Widest: widest, Untranslated: keys, Lang: document.documentElement.lang, Squeezed: squeezed};
})()`

// TestEveryPageInBothLanguagesAndSizes walks every console page in
// Chinese and English on a laptop (1366×900) and a phone (390×844): no
// catalog key left untranslated, nothing wider than the screen, no
// response of 400 or more, no script error. It keeps screenshots of the
// overview and the outbox (SHEQUN_SCREENSHOTS=docs keeps them for the
// README).
func TestEveryPageInBothLanguagesAndSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("browser walk: not in -short")
	}
	srv, _, ids := walkConsole(t)
	bctx := browserFor(t, 6*time.Minute)
	var problems pageProblems
	problems.listen(bctx)
	if err := chromedp.Run(bctx, network.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
	if err := traced(t, bctx,
		browserLogin(srv.URL),
	); err != nil {
		t.Fatal(err)
	}
	problems.take()
	sizes := []struct {
		name string
		w, h int64
	}{{"laptop", 1366, 900}, {"phone", 390, 844}}
	shots := map[string]string{"/?lang=zh@laptop": "console-overview-zh.png", "/?lang=en@laptop": "console-overview.png", "/outbox?lang=zh@laptop": "console-outbox-zh.png",
		"/?lang=zh@phone": "console-phone-zh.png", "/connectors?lang=zh@laptop": "console-connectors-zh.png",
		"/analytics?lang=zh@laptop": "console-analytics-zh.png", "/analytics?lang=en@laptop": "console-analytics.png", "/analytics?lang=zh@phone": "console-analytics-phone-zh.png",
		"/reports/weekly?lang=zh@laptop": "console-report-zh.png", "/reports/weekly?lang=en@laptop": "console-report.png",
		fmt.Sprintf("/campaigns/%d?lang=zh@laptop", ids.Campaign): "console-campaign-zh.png"}
	for _, size := range sizes {
		if err := chromedp.Run(bctx, chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateMobile)); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"zh", "en"} {
			for _, page := range consolePages(ids) {
				u := page + map[bool]string{true: "&", false: "?"}[strings.Contains(page, "?")] + "lang=" + lang
				var got pageCheck
				err := chromedp.Run(bctx, chromedp.Navigate(srv.URL+u), chromedp.WaitReady("body", chromedp.ByQuery),
					chromedp.Poll(`document.readyState === "complete" && (!document.querySelector("[data-chart]") || document.body.dataset.chartsReady === "1")`, nil, chromedp.WithPollingTimeout(15*time.Second)),
					chromedp.Evaluate(checkJS, &got))
				where := fmt.Sprintf("%s (%s, %s)", u, lang, size.name)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				for _, p := range problems.take() {
					t.Errorf("%s: %s", where, p)
				}
				if len(got.Untranslated) > 0 {
					t.Errorf("%s: untranslated %v", where, got.Untranslated)
				}
				if got.ScrollWidth > got.Width+1 || got.Widest != "" {
					t.Errorf("%s: the page is %d px wide in a %d px window (%s)", where, got.ScrollWidth, got.Width, got.Widest)
				}
				if got.Squeezed != "" {
					t.Errorf("%s: a table cell squeezed to a character a line: %s", where, got.Squeezed)
				}
				// a landing page speaks its own language (the operator's choice)
				ownLang := strings.HasPrefix(u, ids.Landing) || strings.Contains(u, "/preview")
				if want := map[string]string{"zh": "zh-CN", "en": "en"}[lang]; got.Lang != want && !ownLang {
					t.Errorf("%s: page language %q, want %q", where, got.Lang, want)
				}
				if name, ok := shots[u+"@"+size.name]; ok {
					var png []byte
					if err := chromedp.Run(bctx, chromedp.FullScreenshot(&png, 100)); err != nil {
						t.Fatal(err)
					}
					saveShot(t, name, png)
				}
			}
		}
	}
	if os.Getenv("SHEQUN_SCREENSHOTS") == "" {
		t.Log("set SHEQUN_SCREENSHOTS=DIR to keep the screenshots")
	}
}
