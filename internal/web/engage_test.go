package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

func TestEngagePages(t *testing.T) {
	srv, a := newConsole(t)
	ctx := context.Background()
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(ctx, "demo")
	client := login(t, srv, "ops@example.com", "correct horse")
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(path string, form url.Values) *http.Response {
		t.Helper()
		resp, err := client.PostForm(srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(srv.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, resp.StatusCode, err)
		}
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	sop := url.Values{"kind": {"sop"}, "name": {"早报 SOP"}, "enabled": {"on"}, "kinds": {""}, "quiet_start": {"22:00"}, "quiet_end": {"08:00"},
		"step_name_0": {"早安"}, "step_every_0": {"day"}, "step_at_0": {"09:00"}, "step_text_0": {"{group} 早安，{host}"}, "vars": {"host=小助手\n1:host=王老师"}}
	if resp := post("/automations", sop); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save SOP: %d", resp.StatusCode)
	}
	autos, _ := apptest.DB(t, a).FindAutomations(ctx, ws.ID)
	if len(autos) != 1 || autos[0].Vars["1"]["host"] != "王老师" || autos[0].Vars["*"]["host"] != "小助手" || autos[0].QuietHours.Start != "22:00" {
		t.Fatalf("stored %+v", autos)
	}
	// A refused form comes back with what was typed and the error beside
	// the input at fault (the second row typed is the third row shown).
	for _, bad := range []struct {
		form       url.Values
		input, msg string
	}{
		{url.Values{"kind": {"sop"}, "name": {"typed name"}, "step_every_0": {"cron"}, "step_cron_0": {"0 99 * * *"}, "step_text_0": {"hi"}}, "step_cron_0", "is not valid cron"},
		{url.Values{"kind": {"sop"}, "name": {"typed name"}, "step_every_0": {"day"}, "step_at_0": {"08:00"}, "step_text_0": {"hi"},
			"step_every_2": {"week"}, "step_at_2": {"19:00"}, "step_text_2": {"weekly"}}, "step_weekdays_2", "pick the days of the week"},
		{url.Values{"kind": {"sop"}, "name": {"typed name"}, "step_every_0": {"month"}, "step_at_0": {"08:00"}, "step_day_0": {"40"}, "step_text_0": {"hi"}}, "step_day_0", "want 1 to 31"},
	} {
		resp := post("/automations", bad.form)
		body, _ := io.ReadAll(resp.Body)
		page := string(body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `value="typed name"`) ||
			!strings.Contains(page, `id="err-`+bad.input+`"`) || !strings.Contains(page, bad.msg) {
			t.Fatalf("refused %v: %d, error beside %s saying %q wanted in:\n%s", bad.form, resp.StatusCode, bad.input, bad.msg, page)
		}
	}
	rule := url.Values{"kind": {"rule"}, "name": {"价格"}, "enabled": {"on"}, "trigger": {"keyword"}, "trigger_keywords": {"价格, price"},
		"action_kind_0": {"send"}, "action_text_0": {"请看群公告"}}
	if resp := post("/automations", rule); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save rule: %d", resp.StatusCode)
	}
	if resp := post("/welcome", url.Values{"enabled": {"on"}, "text": {"欢迎 {name}"}, "batch_seconds": {"60"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("welcome: %d", resp.StatusCode)
	}
	today := time.Now().In(ws.Location()).Format(time.DateOnly)
	ch := url.Values{"title": {"早起打卡"}, "sel_group": {"1", "2"}, "start": {today}, "end": {today}, "goal": {"1"}, "window_start": {"00:00"},
		"window_end": {"23:59"}, "min_length": {"2"}, "makeups": {"0"}, "reminder_at": {"20:00"}, "daily_points": {"1"}, "reward_points": {"9"}}
	resp := post("/challenges", ch)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/challenges/") {
		t.Fatalf("challenge: %d", resp.StatusCode)
	}
	if resp := post("/broadcasts", url.Values{"text": {"{group}：今晚直播"}, "stagger": {"10"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("broadcast: %d", resp.StatusCode)
	}
	if err := a.Detect(ctx, ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/calendar": "早报 SOP", "/calendar?lang=zh": "定时内容", "/automations": "价格", "/automations?edit=1": "王老师", "/automations?new=rule&lang=zh": "触发条件",
		"/challenges": "早起打卡", "/challenges/1": "早起打卡", "/questions": "Answer rate", "/questions?lang=zh&status=open": "回答率",
		"/alerts?status=": "Alerts", "/alerts?lang=zh": "提醒", "/broadcasts": "Approved", "/broadcasts?lang=zh": "群发",
	} {
		if page := get(path); !strings.Contains(page, want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	// The mobile page of a signed link, without a login.
	chs, _ := apptest.DB(t, a).FindChallenges(ctx, ws.ID)
	ms, _, _ := apptest.DB(t, a).FindMembers(ctx, ws.ID, shequn.MemberFilter{Limit: 50}, shequn.LastDays(time.Now(), ws.Location(), 30))
	var member int64
	for _, m := range ms {
		if mem, _ := apptest.DB(t, a).FindMemberships(ctx, ws.ID, m.ID); len(mem) > 0 && (mem[0].CommunityID == 1 || mem[0].CommunityID == 2) && mem[0].Status == "active" {
			member = m.ID
			break
		}
	}
	link := srv.URL + app.CheckinLink(chs[0], member)
	anon := &http.Client{}
	r1, err := anon.Get(link + "?lang=zh")
	if err != nil || r1.StatusCode != 200 {
		t.Fatalf("mobile page: %v %v", r1.StatusCode, err)
	}
	r2, err := anon.PostForm(link+"?lang=zh", url.Values{"proof": {"今天早起跑步"}})
	body, _ := io.ReadAll(r2.Body)
	if err != nil || !strings.Contains(string(body), "打卡成功") {
		t.Fatalf("mobile check-in: %v %s", err, body)
	}
	if r3, _ := anon.Get(link[:len(link)-4] + "beef"); r3.StatusCode != http.StatusNotFound {
		t.Fatalf("forged link: %d", r3.StatusCode)
	}
	// Viewers read but do not change.
	if _, err := a.CreateOperator(ctx, "demo", "viewer@example.com", "V", "correct horse", shequn.RoleViewer); err != nil {
		t.Fatal(err)
	}
	viewer := login(t, srv, "viewer@example.com", "correct horse")
	viewer.CheckRedirect = client.CheckRedirect
	if resp, _ := viewer.PostForm(srv.URL+"/automations", rule); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer saved an automation: %d", resp.StatusCode)
	}
}

func TestEngageInBrowser(t *testing.T) {
	srv, a := newConsole(t)
	ctx := context.Background()
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(ctx, "demo")
	if err := a.Detect(ctx, ws, time.Now().Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	open, _ := apptest.DB(t, a).FindAlerts(ctx, ws.ID, shequn.AlertFilter{Status: shequn.AlertOpen})
	if len(open) == 0 {
		t.Fatal("the simulated month raised no alert")
	}
	bctx := browser(t)
	var total, preview, asked, runs, keptName, inlineErr string
	var errShot []byte
	var shot, qshot []byte
	err := traced(t, bctx,
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/automations?new=sop&lang=zh"),
		chromedp.WaitVisible(`#automation-form`),
		chromedp.SendKeys(`#automation-form input[name=name]`, "客户群日常"),
		chromedp.SendKeys(`input[name=step_name_0]`, "早报"),
		chromedp.SetValue(`input[name=step_at_0]`, "08:00"),
		chromedp.SendKeys(`textarea[name=step_text_0]`, "{group} 早安！今天是{日期}"),
		chromedp.Click(`[data-add-step]`),
		chromedp.SendKeys(`input[name=step_name_1]`, "晚间打卡提醒"),
		chromedp.SetValue(`select[name=step_every_1]`, "weekdays"),
		chromedp.SetValue(`input[name=step_at_1]`, "21:30"),
		chromedp.SendKeys(`textarea[name=step_text_1]`, "今天打卡了吗？"),
		// The preview of the next runs follows the schedule as it is picked.
		chromedp.Evaluate(`document.querySelector("input[name=step_at_1]").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.Poll(`(() => { const e = document.querySelector("#runs-step__1"); return e && e.textContent.includes(":") ? e.textContent : null })()`, &runs, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Submit(`#automation-form`),
		chromedp.WaitVisible(`p.ok[role=status]`),
		// A schedule missing its days comes back with the error beside them
		// and everything typed kept.
		// (in Chinese: the operator switches the console's language)
		chromedp.Click(`#lang-toggle`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang=zh-CN]`, chromedp.ByQuery),
		chromedp.Navigate(srv.URL+"/automations?new=sop"),
		chromedp.WaitVisible(`#automation-form`, chromedp.ByQuery),
		chromedp.SendKeys(`#automation-form input[name=name]`, "周会提醒", chromedp.ByQuery),
		chromedp.SetValue(`select[name=step_every_0]`, "week", chromedp.ByQuery),
		chromedp.SetValue(`input[name=step_at_0]`, "19:00", chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name=step_text_0]`, "本周分享会 19:30 开始", chromedp.ByQuery),
		chromedp.Submit(`#automation-form`, chromedp.ByQuery),
		chromedp.WaitVisible(`#err-step_weekdays_0`, chromedp.ByQuery),
		chromedp.Value(`#automation-form input[name=name]`, &keptName, chromedp.ByQuery),
		chromedp.Text(`#err-step_weekdays_0`, &inlineErr, chromedp.ByQuery),
		chromedp.ScrollIntoView(`#editor`, chromedp.ByQuery),
		chromedp.Screenshot(`#editor`, &errShot, chromedp.ByQuery),
		chromedp.Click(`#lang-toggle`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang=en]`, chromedp.ByQuery),
		chromedp.Navigate(srv.URL+"/calendar?lang=zh"),
		chromedp.WaitVisible(`#calendar-total`),
		chromedp.Text(`#calendar-total`, &total),
		chromedp.CaptureScreenshot(&shot),
		chromedp.Navigate(srv.URL+"/broadcasts"),
		chromedp.WaitVisible(`#broadcast-form`),
		chromedp.SendKeys(`#broadcast-form textarea[name=text]`, "{group}: live tonight at 8"),
		chromedp.Click(`#broadcast-form button[type=button]`),
		chromedp.WaitVisible(`#preview strong`),
		chromedp.Text(`#preview`, &preview),
		chromedp.Navigate(srv.URL+"/questions?lang=zh"),
		chromedp.WaitVisible(`#asked`),
		chromedp.Text(`#asked`, &asked),
		chromedp.CaptureScreenshot(&qshot),
		chromedp.Navigate(srv.URL+"/alerts"),
		chromedp.WaitVisible(fmt.Sprintf(`#alert-%d button`, open[0].ID)),
		chromedp.Click(fmt.Sprintf(`#alert-%d button`, open[0].ID)),
		chromedp.WaitNotPresent(fmt.Sprintf(`#alert-%d button`, open[0].ID)),
	)
	if err != nil {
		t.Fatalf("engage pages: %v", err)
	}
	if !strings.Contains(runs, "21:30") || !strings.Contains(runs, "Mon") || strings.Contains(runs, "Sat") {
		t.Errorf("next runs of a weekday step = %q", runs)
	}
	if keptName != "周会提醒" || !strings.Contains(inlineErr, "星期") {
		t.Errorf("refused SOP form: name %q kept, error %q", keptName, inlineErr)
	}
	saveShot(t, "sop-inline-error.png", errShot)
	// 8 groups: 8 mornings a day for a week, plus weekday evenings.
	if total == "" || total == "0" {
		t.Fatalf("calendar total %q", total)
	}
	if !strings.Contains(preview, "8 groups") || !strings.Contains(preview, "live tonight") {
		t.Fatalf("preview %q", preview)
	}
	if asked == "" || asked == "0" {
		t.Fatalf("questions asked %q", asked)
	}
	if got, _ := apptest.DB(t, a).FindAlerts(ctx, ws.ID, shequn.AlertFilter{Status: shequn.AlertAcknowledged}); len(got) != 1 {
		t.Fatalf("%d acknowledged alerts, want 1", len(got))
	}
	saveShot(t, "calendar.png", shot)
	saveShot(t, "questions.png", qshot)
}
