package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/web"
)

// newConsole serves a workspace with simulated history on a real server.
func newConsole(t *testing.T) (*httptest.Server, *app.App) {
	t.Helper()
	a, _ := newConsoleApp(t)
	srv := httptest.NewServer(httpapi.New(a, web.New(a)))
	t.Cleanup(srv.Close)
	return srv, a
}

// newConsoleApp is a workspace "demo" with an owner (ops@example.com) and
// 30 days of simulated history in 8 groups.
func newConsoleApp(t testing.TB) (*app.App, *shequn.Workspace) {
	t.Helper()
	ctx := context.Background()
	a, ws := apptest.New(t, "demo", "Asia/Shanghai")
	if _, err := a.CreateOperator(ctx, "demo", "ops@example.com", "Ops", "correct horse", shequn.RoleOwner); err != nil {
		t.Fatal(err)
	}
	var batch []shequn.Event
	err := sim.Run(sim.Config{Seed: 7, Communities: 8, Members: 400, Days: 30, End: time.Now(), Location: ws.Location()}, func(e shequn.Event) error {
		batch = append(batch, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pipeline.Ingest(ctx, ws, batch); err != nil {
		t.Fatal(err)
	}
	return a, ws
}

func TestConsolePagesWithoutBrowser(t *testing.T) {
	srv, _ := newConsole(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/members")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /members: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader("email=ops@example.com&password=correct+horse"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, _ := client.Do(req); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site login: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/login", strings.NewReader("email=ops@example.com&password=wrong"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := client.Do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	for _, p := range []string{"/static/vendor/htmx.min.js", "/static/vendor/echarts.min.js", "/static/vendor/pico.min.css", "/static/app.js"} {
		if resp, err := http.Get(srv.URL + p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s not embedded: %v", p, err)
		}
	}
}

// chromium finds Debian's Chromium; the browser tests skip, saying so,
// where it is not installed (.ci/run installs it).
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("SHEQUN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Skip("chromium not found: install Debian's chromium (apt-get install chromium) to run the console browser tests")
	return ""
}

func browser(t *testing.T) context.Context { return browserFor(t, 90*time.Second) }

// browserFor starts Chromium for a test that may take up to d.
func browserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	// Chromium's own helpers may still write to the profile just after it
	// exits, so the profile is not a t.TempDir (whose removal would fail).
	profile, err := os.MkdirTemp("", "shequn-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	tctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc() // kills the browser and waits for it
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return tctx
}

func TestConsoleInBrowser(t *testing.T) {
	srv, _ := newConsole(t)
	ctx := browser(t)
	var overviewText, members, zhNav, memberName, rowsAfter string
	var polled bool
	var shot []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "ops@example.com"),
		chromedp.SendKeys(`input[name=password]`, "correct horse"),
		chromedp.Click(`#login-submit`),
		chromedp.WaitVisible(`#overview-cards`),
		chromedp.WaitVisible(`body[data-charts-ready="1"]`),
		chromedp.WaitVisible(`#chart-messages canvas`),
		chromedp.Text(`main`, &overviewText),
		chromedp.Text(`[data-stat=members]`, &members),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("overview: %v", err)
	}
	if !strings.Contains(overviewText, "Messages per day") || members == "0" || members == "" {
		t.Fatalf("overview text: members=%q\n%.500s", members, overviewText)
	}
	saveShot(t, "overview.png", shot)
	// members: search through htmx without a page load
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/members"),
		chromedp.WaitVisible(`.member-row`),
		chromedp.Text(`.member-row td a`, &memberName),
	)
	if err != nil {
		t.Fatalf("members: %v", err)
	}
	query := strings.TrimRight(memberName, "0123456789")
	err = chromedp.Run(ctx,
		chromedp.SendKeys(`#member-search`, memberName),
		chromedp.Sleep(50*time.Millisecond),
		chromedp.WaitVisible(`#member-rows`),
		chromedp.Poll(`document.querySelectorAll(".member-row").length >= 1 && location.search.includes("q=")`, &polled),
		chromedp.Text(`#member-rows tbody`, &rowsAfter),
	)
	if err != nil {
		t.Fatalf("member search: %v", err)
	}
	if !strings.Contains(rowsAfter, memberName) || query == "" {
		t.Fatalf("search for %q shows %q", memberName, rowsAfter)
	}
	// member page, then Chinese
	err = chromedp.Run(ctx,
		chromedp.Click(`.member-row td a`),
		chromedp.WaitVisible(`#memberships`),
		chromedp.Text(`#member-name`, &memberName),
		chromedp.Click(`#lang-toggle`),
		chromedp.WaitVisible(`html[lang="zh-CN"] #memberships`), // the same page, now in Chinese
		chromedp.Click(`header nav a[href="/"]`),
		chromedp.WaitVisible(`#overview-cards`),
		chromedp.Text(`header nav`, &zhNav),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("member page / language: %v", err)
	}
	if !strings.Contains(zhNav, "总览") || !strings.Contains(zhNav, "成员") {
		t.Fatalf("Chinese navigation: %q", zhNav)
	}
	saveShot(t, "overview-zh.png", shot)
}

// saveShot keeps the screenshot in the test's output directory, or in
// SHEQUN_SCREENSHOTS when set (the README's picture is made that way).
func saveShot(t *testing.T, name string, png []byte) {
	dir := os.Getenv("SHEQUN_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if len(png) < 10_000 {
		t.Fatalf("screenshot %s is only %d bytes", name, len(png))
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// login returns a client holding a session cookie for email.
func login(t *testing.T, srv *httptest.Server, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv.URL+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %v %v", email, resp.StatusCode, err)
	}
	return client
}

func TestEditCommunity(t *testing.T) {
	srv, a := newConsole(t)
	if _, err := a.CreateOperator(context.Background(), "demo", "viewer@example.com", "", "just looking", shequn.RoleViewer); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"kind": {"core"}, "stage": {"mature"}, "structure": {"pyramid"}, "capacity": {"500"}, "tags": {"vip，北京, x"}, "benchmark": {"on"}, "rules": {"不发广告"}}
	tests := []struct {
		name, email, password string
		form                  url.Values
		status                int
	}{
		{"viewer refused", "viewer@example.com", "just looking", form, http.StatusForbidden},
		{"bad stage", "ops@example.com", "correct horse", url.Values{"stage": {"zombie"}}, http.StatusUnprocessableEntity},
		{"bad capacity", "ops@example.com", "correct horse", url.Values{"stage": {"new"}, "capacity": {"lots"}}, http.StatusUnprocessableEntity},
		{"owner saves", "ops@example.com", "correct horse", form, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := login(t, srv, tt.email, tt.password).PostForm(srv.URL+"/communities/1", tt.form)
			if err != nil || resp.StatusCode != tt.status {
				t.Fatalf("status %v %v, want %d", resp.StatusCode, err, tt.status)
			}
		})
	}
	c, err := apptest.DB(t, a).FindCommunityByID(context.Background(), 1, 1)
	if err != nil || c.Kind != "core" || c.Stage != "mature" || c.Capacity != 500 || !c.Benchmark || strings.Join(c.Tags, "|") != "vip|北京|x" || c.Rules != "不发广告" {
		t.Fatalf("saved community = %+v %v", c, err)
	}
	resp, _ := login(t, srv, "ops@example.com", "correct horse").Get(srv.URL + "/communities/1?lang=zh")
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "核心用户") || !strings.Contains(string(body), "金字塔") {
		t.Fatalf("community page does not show the saved settings in Chinese")
	}
}

func TestModerationConsoleInBrowser(t *testing.T) {
	srv, a := newConsole(t)
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	spam := shequn.Event{SourceID: "ad-1", Platform: "wecom", Community: "wr-ads", CommunityName: "广告测试群", Actor: "ad-man", ActorName: "推广员",
		Kind: shequn.EventMessage, TS: time.Now(), Text: "兼职刷单，日结300，加微信 abc8888 详聊"}
	if _, err := a.Pipeline.Ingest(context.Background(), ws, []shequn.Event{spam}); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	var verdict, status string
	var shot []byte
	err := chromedp.Run(ctx,
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/moderation/test"),
		chromedp.WaitVisible(`#test-text`),
		chromedp.SendKeys(`#test-text`, "加 微 信：ｖｉｐ８８８ 领取免费课程"),
		chromedp.Click(`#test-submit`),
		chromedp.WaitVisible(`#verdict`),
		chromedp.Text(`#verdict`, &verdict),
		chromedp.Navigate(srv.URL+"/moderation"),
		chromedp.WaitVisible(`.case-row`),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("moderation pages: %v", err)
	}
	if !strings.HasPrefix(verdict, "Spam") {
		t.Fatalf("test box verdict = %q", verdict)
	}
	saveShot(t, "moderation.png", shot)
	cs, _ := apptest.DB(t, a).FindCases(context.Background(), ws.ID, shequn.CaseFilter{Status: shequn.CaseOpen})
	var adCase *shequn.ModerationCase
	for _, c := range cs {
		if c.SourceID == "ad-1" {
			adCase = c
		}
	}
	if adCase == nil {
		t.Fatalf("no case for the ad among %d open cases", len(cs))
	}
	row := fmt.Sprintf("#case-%d", adCase.ID)
	err = chromedp.Run(ctx,
		chromedp.Click(fmt.Sprintf("#overturn-%d", adCase.ID)),
		chromedp.WaitVisible(row+" .case-overturned"),
		chromedp.Text(row+" .status", &status),
	)
	if err != nil {
		t.Fatalf("overturn: %v", err)
	}
	if got, _ := apptest.DB(t, a).FindCaseByID(context.Background(), ws.ID, adCase.ID); got.Status != shequn.CaseOverturned || status != "overturned" {
		t.Fatalf("case after overturn: %s / %q", got.Status, status)
	}
}

func TestModerationRulesForm(t *testing.T) {
	srv, a := newConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	member, _ := a.MemberNamed(context.Background(), ws, "alice1")
	if member == nil {
		ms, _, _ := apptest.DB(t, a).FindMembers(context.Background(), ws.ID, shequn.MemberFilter{Sort: "messages", Limit: 1}, shequn.DayRange{})
		member = &ms[0].Member
	}
	form := url.Values{"action": {"warn"}, "warn_limit": {"2"}, "classifier_threshold": {"0.85"}, "keywords": {"刷单\n日结|0.5"},
		"regexes": {"vx\\d+"}, "deny_domains": {"bad.top"}, "exempt": {"owner", "admin"}, "on_keyword": {"on"}, "on_regex": {"on"},
		"flood_count": {"5"}, "flood_seconds": {"10"}, "allow_members": {"#7\n12\n" + member.DisplayName + " #" + fmt.Sprint(member.ID)}}
	resp, err := client.PostForm(srv.URL+"/moderation/rules", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("save: %v %v %s", resp.StatusCode, err, regexpFind(`role="alert">[^<]*`, string(b)))
	}
	r, err := apptest.DB(t, a).FindModerationRule(context.Background(), ws.ID, 0)
	if err != nil || r.Action != "warn" || r.WarnLimit != 2 || len(r.Regexes) != 1 || !slices.Contains(r.Disabled, "classifier") || slices.Contains(r.Disabled, "keyword") ||
		!slices.Equal(r.AllowMembers, []int64{7, 12, member.ID}) {
		t.Fatalf("saved rule = %+v %v", r, err)
	}
	// a community override, then the fallback for another community
	form.Set("community_id", "1")
	form.Set("action", "kick")
	if resp, err := client.PostForm(srv.URL+"/moderation/rules", form); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save override: %v", err)
	}
	if r, _ := a.ModerationRule(context.Background(), ws, 1); r.Action != "kick" || r.CommunityID != 1 {
		t.Fatalf("override = %+v", r)
	}
	if r, _ := a.ModerationRule(context.Background(), ws, 2); r.Action != "warn" {
		t.Fatalf("fallback = %+v", r)
	}
	// Refused: the form comes back as typed, the error beside its input.
	form.Set("community_id", "0")
	for field, bad := range map[string]string{"regexes": "(unclosed", "allow_members": "nobody-is-called-this", "warn_limit": "two"} {
		typed := url.Values{}
		for k, v := range form {
			typed[k] = v
		}
		typed.Set(field, bad)
		resp, _ := client.PostForm(srv.URL+"/moderation/rules", typed)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), bad) || !strings.Contains(string(body), `id="err-`+field+`"`) {
			t.Fatalf("%s %q: %d, want 422 with the value kept and the error beside it", field, bad, resp.StatusCode)
		}
	}
	for _, p := range []string{"/moderation", "/moderation/log?status=open&detector=contact", "/moderation/rules", "/moderation/rules?community=1", "/moderation/blocklist", "/moderation/test?lang=zh", "/outbox", "/outbox?status=pending&lang=zh"} {
		resp, err := client.Get(srv.URL + p)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, resp.StatusCode, err)
		}
	}
}

func TestTiersInConsole(t *testing.T) {
	srv, a := newConsole(t)
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	if _, _, err := a.RecomputeStandings(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
	client := login(t, srv, "ops@example.com", "correct horse")
	get := func(path string) string {
		resp, err := client.Get(srv.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/members?tier=lurker&lang=zh")
	if !strings.Contains(page, `tier-lurker`) || strings.Contains(page, `tier-core"`) {
		t.Fatalf("lurker filter shows other tiers")
	}
	ms, _, _ := apptest.DB(t, a).FindMembers(context.Background(), ws.ID, shequn.MemberFilter{Sort: "messages", Limit: 1}, shequn.LastDays(time.Now(), ws.Location(), 30))
	page = get(fmt.Sprintf("/members/%d", ms[0].ID))
	if !strings.Contains(page, `id="tier-why"`) || !strings.Contains(page, "Active days in the window") || !strings.Contains(page, `id="points-history"`) || !strings.Contains(page, `id="badges"`) {
		t.Fatalf("member page lacks the tier explanation, points or badges")
	}
	resp, err := client.PostForm(srv.URL+"/segments", url.Values{"name": {"潜水成员"}, "filter": {"tier=lurker"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/members?tier=lurker" {
		t.Fatalf("save segment: %v %v", resp.StatusCode, err)
	}
	if resp, _ := client.PostForm(srv.URL+"/segments", url.Values{"name": {"潜水成员"}, "filter": {"tier=core"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate segment: %d", resp.StatusCode)
	}
	if page := get("/members"); !strings.Contains(page, `href="/members?tier=lurker"`) {
		t.Fatal("saved segment not listed")
	}
	if resp, _ := client.PostForm(srv.URL+"/points/rule", url.Values{"message": {"3"}, "reply": {"4"}, "daily_cap": {"30"}, "min_length": {"2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("points rule: %d", resp.StatusCode)
	}
	if r, _ := apptest.DB(t, a).FindPointsRule(context.Background(), ws.ID); r.Message != 3 || r.DailyCap != 30 {
		t.Fatalf("points rule = %+v", r)
	}
}

func TestIncentivePages(t *testing.T) {
	srv, a := newConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	resp, err := client.PostForm(srv.URL+"/rewards", url.Values{"name": {"定制马克杯"}, "kind": {"physical"}, "cost": {"5"}, "stock": {"3"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create reward: %v %v", resp.StatusCode, err)
	}
	if resp, _ := client.PostForm(srv.URL+"/rewards", url.Values{"name": {"x"}, "kind": {"physical"}, "cost": {"lots"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad cost: %d", resp.StatusCode)
	}
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	board, _ := apptest.DB(t, a).Leaderboard(context.Background(), ws.ID, "M"+time.Now().In(ws.Location()).Format("2006-01"), 0, 1)
	if len(board) == 0 {
		t.Fatal("the simulated month has no leaderboard")
	}
	// From the member's page: a grant posted twice (a double click) counts
	// once; a bad amount comes back with the reason kept; a redemption on
	// the member's behalf.
	top := board[0].MemberID
	before, _, _ := apptest.DB(t, a).Balance(context.Background(), ws.ID, top)
	grant := url.Values{"amount": {"7"}, "reason": {"协助组织线下活动"}, "key": {"k-grant"}}
	for range 2 {
		if resp, _ := client.PostForm(srv.URL+fmt.Sprintf("/members/%d/points", top), grant); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("grant: %d", resp.StatusCode)
		}
	}
	if after, _, _ := apptest.DB(t, a).Balance(context.Background(), ws.ID, top); after != before+7 {
		t.Fatalf("balance %d after a grant of 7 posted twice, was %d", after, before)
	}
	resp, _ = client.PostForm(srv.URL+fmt.Sprintf("/members/%d/points", top), url.Values{"amount": {"seven"}, "reason": {"kept reason"}, "key": {"k2"}})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `value="kept reason"`) || !strings.Contains(string(body), `id="err-amount"`) {
		t.Fatalf("bad amount: %d", resp.StatusCode)
	}
	if resp, _ := client.PostForm(srv.URL+fmt.Sprintf("/members/%d/redeem", top), url.Values{"reward": {"1"}, "delivery": {"杭州"}, "key": {"k-redeem"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("redeem for a member: %d", resp.StatusCode)
	}
	rds, _ := apptest.DB(t, a).FindRedemptions(context.Background(), ws.ID, "", 10)
	if len(rds) != 1 || rds[0].MemberID != top || rds[0].Delivery != "杭州" {
		t.Fatalf("redemptions %+v", rds)
	}
	rd := rds[0]
	if resp, _ := client.PostForm(srv.URL+fmt.Sprintf("/redemptions/%d/fulfil", rd.ID), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fulfil: %d", resp.StatusCode)
	}
	for path, want := range map[string]string{
		"/leaderboards":                     board[0].Name,
		"/leaderboards?period=week&lang=zh": "排行榜",
		"/rewards":                          "定制马克杯",
		fmt.Sprintf("/members/%d", board[0].MemberID): `id="member-level"`,
	} {
		resp, err := client.Get(srv.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	if rs, _ := apptest.DB(t, a).FindRedemptions(context.Background(), ws.ID, shequn.RedemptionFulfilled, 10); len(rs) != 1 {
		t.Fatalf("fulfilled = %d", len(rs))
	}
}

// traced runs browser actions and, when one fails, says which one (its
// number in the list) and what the page was then.
func traced(t *testing.T, ctx context.Context, actions ...chromedp.Action) error {
	t.Helper()
	for i, a := range actions {
		start := time.Now()
		err := chromedp.Run(ctx, a)
		if d := time.Since(start); d > 5*time.Second {
			t.Logf("browser action %d (%T) took %v", i+1, a, d.Round(time.Millisecond))
		}
		if err != nil {
			var url string
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
			chromedp.Run(lctx, chromedp.Location(&url))
			cancel()
			return fmt.Errorf("action %d of %d (%T) at %s: %w", i+1, len(actions), a, url, err)
		}
	}
	return nil
}

func regexpFind(expr, s string) string { return regexp.MustCompile(expr).FindString(s) }

// TestTeamInConsole: an owner adds an operator (who can then log in to
// the same workspace) and makes an API token shown once, which works
// until it is revoked; a viewer sees the team but may not change it.
func TestTeamInConsole(t *testing.T) {
	srv, a := newConsole(t)
	owner := login(t, srv, "ops@example.com", "correct horse")
	add := url.Values{"email": {"intern@example.com"}, "name": {"实习生"}, "password": {"intern-pass-1"}, "role": {"viewer"}}
	if resp, err := owner.PostForm(srv.URL+"/team/operators", add); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add operator: %v %v", resp.StatusCode, err)
	}
	resp, _ := owner.PostForm(srv.URL+"/team/operators", url.Values{"email": {"not-an-email"}, "name": {"typed"}, "password": {"x"}, "role": {"viewer"}})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `value="typed"`) || !strings.Contains(string(body), `id="err-email"`) {
		t.Fatalf("bad e-mail: %d", resp.StatusCode)
	}
	intern := login(t, srv, "intern@example.com", "intern-pass-1")
	page := get(t, intern, srv.URL+"/team")
	if !strings.Contains(page, "实习生") || strings.Contains(page, `id="token-form"`) {
		t.Fatal("the viewer's team page")
	}
	if resp, _ := intern.PostForm(srv.URL+"/team/tokens", url.Values{"token_name": {"sneaky"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a viewer made a token: %d", resp.StatusCode)
	}
	resp, _ = owner.PostForm(srv.URL+"/team/tokens", url.Values{"token_name": {"数据同步"}})
	body, _ = io.ReadAll(resp.Body)
	secret := regexpFind(`shq_[a-z0-9]+`, string(body))
	if resp.StatusCode != http.StatusOK || secret == "" {
		t.Fatalf("make a token: %d", resp.StatusCode)
	}
	call := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/stats/overview", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	if call() != http.StatusOK {
		t.Fatal("the new token does not work")
	}
	if strings.Contains(get(t, owner, srv.URL+"/team"), secret) {
		t.Fatal("the token's secret is shown again")
	}
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	toks, _ := a.Tokens(context.Background(), ws)
	if resp, _ := owner.PostForm(srv.URL+fmt.Sprintf("/team/tokens/%d/revoke", toks[len(toks)-1].ID), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if call() != http.StatusUnauthorized {
		t.Fatal("a revoked token still works")
	}
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", u, resp.StatusCode, err)
	}
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestGroupWelcomeInConsole: a group gets its own welcome from its page,
// a bad one comes back as typed, and the group can use the workspace's
// again.
func TestGroupWelcomeInConsole(t *testing.T) {
	srv, a := newConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(context.Background(), "demo")
	own := url.Values{"w_form": {"1"}, "w_enabled": {"on"}, "w_text": {"欢迎 {name} 来到读书会"}, "w_batch_seconds": {"30"}}
	if resp, err := client.PostForm(srv.URL+"/communities/1/welcome", own); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("own welcome: %v %v", resp.StatusCode, err)
	}
	if m, _ := a.Welcome(context.Background(), ws); m[1].Text != "欢迎 {name} 来到读书会" || m[1].BatchSeconds != 30 {
		t.Fatalf("group welcome = %+v", m[1])
	}
	resp, _ := client.PostForm(srv.URL+"/communities/1/welcome", url.Values{"w_form": {"1"}, "w_enabled": {"on"}, "w_text": {""}, "w_intro_prompt": {"typed intro"}, "w_batch_seconds": {"30"}})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `value="typed intro"`) || !strings.Contains(string(body), `id="err-w_text"`) {
		t.Fatalf("empty welcome: %d", resp.StatusCode)
	}
	if resp, _ := client.PostForm(srv.URL+"/communities/1/welcome", url.Values{"w_form": {"1"}, "reset": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if m, _ := a.Welcome(context.Background(), ws); len(m) != 1 {
		t.Fatalf("after reset the group still has its own welcome: %+v", m)
	}
}

// browserLogin logs the browser in as the demo owner and waits for the
// overview.
func browserLogin(base string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible(`input[name=email]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, "ops@example.com", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "correct horse", chromedp.ByQuery),
		chromedp.Click(`#login-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`#overview-cards`, chromedp.ByQuery),
	}
}
