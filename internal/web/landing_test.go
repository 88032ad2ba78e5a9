package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/moderation"
)

// TestLandingPagesInConsole: a page is made from the starter, edited
// (script in every text field stays text), refused with bad input, and
// its leads are listed masked; a viewer sees a lead's phone masked and
// cannot export a person's data.
func TestLandingPagesInConsole(t *testing.T) {
	srv, a := newConsole(t)
	ctx := context.Background()
	if _, err := a.CreateOperator(ctx, "demo", "viewer@example.com", "", "just looking", shequn.RoleViewer); err != nil {
		t.Fatal(err)
	}
	client := login(t, srv, "ops@example.com", "correct horse")
	resp, err := client.PostForm(srv.URL+"/pages", url.Values{"title": {"训练营 <script>alert(1)</script>"}, "slug": {"camp"}, "lang": {"zh"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", resp.StatusCode, err)
	}
	edit := resp.Header.Get("Location")
	if resp, _ := client.PostForm(srv.URL+"/pages", url.Values{"title": {"x"}, "slug": {"camp"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a taken slug: %d", resp.StatusCode)
	}
	_, body, _ := fetchPage(t, client, srv.URL+edit)
	n := strings.Count(body, `class="block"`)
	if n != 5 || strings.Contains(body, "<script>alert(1)") {
		t.Fatalf("the starter page has %d blocks (want 5: no live code yet) or shows a script", n)
	}
	evil := `"><script>alert(1)</script>`
	form := url.Values{"op": {"save"}, "title": {"训练营" + evil}, "slug": {"camp"}, "lang": {"zh"}, "state": {"camp"}, "published": {"1"}, "blocks": {"3"},
		"b0_kind": {"hero"}, "b0_title": {"标题" + evil}, "b0_text": {"正文" + evil}, "b0_button": {"报名" + evil}, "b0_link": {"#form"},
		"b1_kind": {"faq"}, "b1_title": {"问答" + evil}, "b1_items": {"问" + evil + " | 答" + evil},
		"b2_kind": {"form"}, "b2_title": {"表单" + evil}, "b2_fields": {"name", "phone"}, "b2_consent": {"同意" + evil}}
	if resp, err := client.PostForm(srv.URL+edit, form); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %v %v", resp.StatusCode, err)
	}
	status, public, _ := fetchPage(t, &http.Client{}, srv.URL+"/p/demo/camp")
	if status != 200 || strings.Contains(public, "<script>alert(1)") || strings.Count(public, "&lt;script&gt;alert(1)&lt;/script&gt;") < 7 {
		t.Fatalf("public page %d: script not escaped in every field (%d escaped)", status, strings.Count(public, "&lt;script&gt;"))
	}
	for _, tt := range []struct {
		name, key, value, says string
	}{
		{"javascript link", "b0_link", "javascript:alert(1)", "link"},
		{"no consent text", "b2_consent", "", "consent"},
		{"bad slug", "slug", "../admin", "slug"},
		{"bad state", "state", "朋友圈", "state"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(tt.key, tt.value)
		resp, err := client.PostForm(srv.URL+edit, f)
		if err != nil {
			t.Fatal(err)
		}
		b := readAll(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, tt.says) {
			t.Errorf("%s: %d", tt.name, resp.StatusCode)
		}
	}
	// add, move and delete blocks with the editor's buttons: each post
	// carries the blocks as the editor shows them after the one before
	post := func(op string, order ...string) {
		t.Helper()
		var images []string
		if ps, _ := a.LandingPages(ctx, ws(t, a)); len(ps) > 0 {
			for i, b := range ps[0].Blocks {
				for _, id := range b.Images {
					images = append(images, fmt.Sprintf("b%d_images=%d", i, id))
				}
			}
		}
		t.Helper()
		f := url.Values{}
		for k, v := range form {
			if !strings.HasPrefix(k, "b") || k == "blocks" {
				f[k] = v
			}
		}
		f.Set("op", op)
		f.Set("blocks", fmt.Sprint(len(order)))
		for _, kv := range images {
			k, v, _ := strings.Cut(kv, "=")
			f.Add(k, v)
		}
		for i, from := range order {
			for k, v := range form {
				if rest, ok := strings.CutPrefix(k, from+"_"); ok {
					f[fmt.Sprintf("b%d_%s", i, rest)] = v
				}
			}
			if from == "text" {
				f.Set(fmt.Sprintf("b%d_kind", i), "text")
				f.Set(fmt.Sprintf("b%d_text", i), "新的一段")
			}
		}
		if resp, err := client.PostForm(srv.URL+edit, f); err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %v %v", op, resp.StatusCode, err)
		}
	}
	post("add:text", "b0", "b1", "b2")
	post("up:3", "b0", "b1", "b2", "text")
	post("del:0", "b0", "b1", "text", "b2")
	pages, _ := a.LandingPages(ctx, ws(t, a))
	// pictures: a banner for the hero, refused when not a picture or too big
	pages, _ = a.LandingPages(ctx, ws(t, a))
	pic := qrPicture(t)
	for _, tt := range []struct {
		name   string
		image  []byte
		status int
		says   string
	}{
		{"not a picture", []byte("<svg onload=alert(1)>"), http.StatusUnprocessableEntity, "not a PNG"},
		{"too large", make([]byte, shequn.MaxPageImage+100<<10), http.StatusUnprocessableEntity, "2048 KB"},
		{"banner", pic, http.StatusSeeOther, ""},
		{"the same again", pic, http.StatusSeeOther, ""},
	} {
		status, body := upload(t, client, srv.URL+edit+"/images", map[string]string{"block": "1"}, tt.image)
		if status != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d %q", tt.name, status, clip(body))
		}
	}
	page, _ := a.LandingPage(ctx, ws(t, a), pages[0].ID)
	if imgs := page.Blocks[1].Images; len(imgs) != 1 {
		t.Fatalf("block 2's pictures: %v (the same picture twice is kept once)", imgs)
	}
	img := fmt.Sprintf("/p/demo/camp/img/%d", page.Blocks[1].Images[0])
	if _, b, _ := fetchPage(t, &http.Client{}, srv.URL+"/p/demo/camp"); !strings.Contains(b, `src="`+img+`"`) {
		t.Errorf("the public page does not show the picture %s", img)
	}
	if status, b, h := fetchPage(t, &http.Client{}, srv.URL+img); status != 200 || b != string(pic) || h.Get("Content-Type") != "image/png" {
		t.Errorf("the public picture: %d %s", status, h.Get("Content-Type"))
	}
	if status, _, _ := fetchPage(t, &http.Client{}, srv.URL+"/p/demo/nope/img/1"); status != http.StatusNotFound {
		t.Errorf("a picture of no page: %d", status)
	}
	// the editor's × takes it off; the picture is then gone
	rm := fmt.Sprintf("rmimg:1:%d", page.Blocks[1].Images[0])
	post(rm, "b0", "b1", "text", "b2")
	if status, _, _ := fetchPage(t, &http.Client{}, srv.URL+img); status != http.StatusNotFound {
		t.Errorf("a removed picture is still served: %d", status)
	}
	// a lead through the public form, then the lists
	resp, err = http.PostForm(srv.URL+"/p/demo/camp/lead", url.Values{"name": {"王"}, "phone": {"13800138000"}, "consent": {"1"}, "s": {"poster"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Request.URL.Query().Get("done") != "1" {
		t.Fatalf("lead: ended at %s", resp.Request.URL)
	}
	_, list, _ := fetchPage(t, client, srv.URL+"/leads")
	if strings.Contains(list, "13800138000") || !strings.Contains(list, "+86*******8000") && !strings.Contains(list, "****") {
		t.Fatalf("leads list shows a whole phone number")
	}
	_, csv, _ := fetchPage(t, client, srv.URL+"/leads?format=csv")
	if strings.Contains(csv, "13800138000") || !strings.Contains(csv, "poster") {
		t.Fatalf("leads export: %s", csv)
	}
	ls, _ := a.Leads(ctx, ws(t, a), 0, "", 0, 0)
	lead := fmt.Sprintf("%s/leads/%d", srv.URL, ls[0].ID)
	if st, b, _ := fetchPage(t, client, lead); !strings.Contains(b, "&#43;8613800138000") {
		t.Errorf("an editor does not see the lead's whole phone: %d %s", st, b[strings.Index(b, "lead-card"):strings.Index(b, "lead-card")+400])
	}
	viewer := login(t, srv, "viewer@example.com", "just looking")
	if _, b, _ := fetchPage(t, viewer, lead); strings.Contains(b, "13800138000") || strings.Contains(b, `id="delete-lead"`) {
		t.Errorf("a viewer sees the whole phone or the delete button")
	}
	if status, _, _ := fetchPage(t, viewer, lead+"/data"); status != http.StatusForbidden {
		t.Errorf("a viewer exported a person's data: %d", status)
	}
	if status, b, h := fetchPage(t, client, lead+"/data"); status != 200 || !strings.Contains(b, `"consent_version"`) || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Errorf("a person's data: %d", status)
	}
	if _, b, _ := fetchPage(t, client, srv.URL+"/funnel"); !strings.Contains(b, "poster") {
		t.Errorf("the funnel lacks the lead's channel")
	}
}

// TestLandingPageInBrowser builds a page in the console with a real
// browser, opens it as a visitor at 390×844 and submits the lead form:
// an invalid phone, no consent, a valid lead, the same phone again, a bot
// filling the honeypot. The page's weight is measured.
func TestLandingPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: not in -short")
	}
	srv, a, ids := walkConsole(t)
	bctx := browserFor(t, 2*time.Minute)
	banner := filepath.Join(t.TempDir(), "banner.png")
	if err := os.WriteFile(banner, qrPicture(t), 0o644); err != nil {
		t.Fatal(err)
	}
	var png []byte
	var blocks int
	err := traced(t, bctx,
		emulation.SetDeviceMetricsOverride(1366, 900, 1, false),
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/pages?lang=zh"),
		chromedp.SendKeys(`#new-page-form input[name=title]`, "周末读书会 <script>alert(1)</script>", chromedp.ByQuery),
		chromedp.SendKeys(`#new-page-form input[name=slug]`, "book-club", chromedp.ByQuery),
		chromedp.Click(`#new-page-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#page-form`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`input[form="pic-0"]`, []string{banner}, chromedp.ByQuery),
		chromedp.Click(`#upload-pic-0`, chromedp.ByQuery),
		chromedp.WaitVisible(`#block-0 .block-pic img`, chromedp.ByQuery),
		chromedp.Click(`#add-text`, chromedp.ByQuery),
		chromedp.WaitVisible(`#block-6`, chromedp.ByQuery),
		chromedp.SendKeys(`#block-6 textarea[name=b6_text]`, "每周六下午，线上共读一本书。", chromedp.ByQuery),
		chromedp.Click(`#published`, chromedp.ByQuery),
		chromedp.Click(`#save-page`, chromedp.ByQuery),
		chromedp.WaitVisible(`#page-link`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("fieldset.block").length`, &blocks),
		chromedp.Poll(`(() => { const f = document.querySelector("#preview"); return f && f.contentDocument && f.contentDocument.querySelector("#lead-form") !== null })()`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	if blocks != 7 {
		t.Errorf("%d blocks after adding one to the starter, want 7", blocks)
	}
	saveShot(t, "console-landing-editor-zh.png", png)
	landing := srv.URL + "/p/demo/book-club"
	var title string
	var bytesIn float64
	err = traced(t, bctx,
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(landing+"?s=moments"),
		chromedp.WaitVisible(`#lead-form`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector(".lp-qr") && document.querySelector(".lp-qr").complete`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`document.querySelector(".lp-banner") && document.querySelector(".lp-banner").complete && document.querySelector(".lp-banner").naturalWidth > 0`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text(`h1`, &title, chromedp.ByQuery),
		chromedp.Evaluate(`performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation")).filter(e => !e.name.includes("/qr/") && !e.name.includes("/img/")).reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0)`, &bytesIn),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	if title != "周末读书会 <script>alert(1)</script>" {
		t.Errorf("the title as a visitor sees it: %q", title)
	}
	if bytesIn > 150<<10 {
		t.Errorf("the page without its QR weighs %.0f KB, want under 150", bytesIn/1024)
	}
	t.Logf("landing page weight without the QR: %.1f KB", bytesIn/1024)
	saveShot(t, "landing-phone-zh.png", png)
	submit := func(name, phone string, consent bool, honeypot string) (string, error) {
		var text string
		actions := []chromedp.Action{chromedp.Navigate(landing + "?s=moments"), chromedp.WaitVisible(`#lead-form`, chromedp.ByQuery),
			chromedp.SendKeys(`#lead-form input[name=name]`, name, chromedp.ByQuery), chromedp.SendKeys(`#lead-form input[name=phone]`, phone, chromedp.ByQuery),
			chromedp.SendKeys(`#lead-form input[name=city]`, "杭州", chromedp.ByQuery)}
		if consent {
			actions = append(actions, chromedp.Click(`#consent`, chromedp.ByQuery))
		}
		if honeypot != "" {
			actions = append(actions, chromedp.SetValue(`#lead-form input[name=website]`, honeypot, chromedp.ByQuery))
		}
		actions = append(actions, chromedp.Click(`#lead-submit`, chromedp.ByQuery), chromedp.WaitVisible(`#form`, chromedp.ByQuery),
			chromedp.Sleep(200*time.Millisecond), chromedp.Text(`#form`, &text, chromedp.ByQuery))
		return text, traced(t, bctx, actions...)
	}
	for _, tt := range []struct {
		name, person, phone string
		consent             bool
		honeypot, says      string
	}{
		{"invalid phone", "李", "1234567", true, "", "11 位大陆手机号"},
		{"no consent", "李", "13912345678", false, "", "请先勾选同意"},
		{"valid", "李", "139 1234 5678", true, "", "提交成功"},
		{"duplicate", "李", "+86 13912345678", true, "", "已经提交过"},
		{"honeypot", "bot", "13700001111", true, "http://spam.example", "提交成功"},
	} {
		text, err := submit(tt.person, tt.phone, tt.consent, tt.honeypot)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !strings.Contains(text, tt.says) {
			t.Errorf("%s: the form says %q, want %q", tt.name, text, tt.says)
		}
		if tt.name == "invalid phone" {
			if err := chromedp.Run(bctx, chromedp.FullScreenshot(&png, 100)); err == nil {
				saveShot(t, "landing-phone-error-zh.png", png)
			}
		}
	}
	ls, err := a.Leads(context.Background(), ws(t, a), 0, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	book := 0
	for _, l := range ls {
		if l.Phone == "+8613912345678" {
			book++
			if l.Repeats != 1 || l.Source != "moments" || l.City != "杭州" {
				t.Errorf("the lead: %+v", l)
			}
		}
		if l.Name == "bot" {
			t.Errorf("the honeypot's lead was kept")
		}
	}
	if book != 1 {
		t.Errorf("%d leads of the valid phone, want 1", book)
	}
	// the operator's leads list and funnel, in both languages
	for _, l := range []string{"zh", "en"} {
		err = traced(t, bctx, emulation.SetDeviceMetricsOverride(1366, 900, 1, false),
			chromedp.Navigate(srv.URL+"/leads?lang="+l), chromedp.WaitVisible(`#leads`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 100))
		if err != nil {
			t.Fatal(err)
		}
		saveShot(t, "console-leads-"+l+".png", png)
	}
	err = traced(t, bctx, chromedp.Navigate(srv.URL+"/funnel?lang=zh"), chromedp.WaitVisible(`#funnel`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 100))
	if err != nil {
		t.Fatal(err)
	}
	saveShot(t, "console-funnel-zh.png", png)
	_ = ids
}

// ws is the test console's workspace (demo).
func ws(t *testing.T, a interface {
	FindWorkspace(context.Context, string) (*shequn.Workspace, error)
}) *shequn.Workspace {
	t.Helper()
	w, err := a.FindWorkspace(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func qrPicture(t *testing.T) []byte {
	t.Helper()
	png, err := moderation.EncodeQR("https://example.com/banner", 200)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// TestWeComLiveCodeInConsole makes a WeCom live code with the console's
// form: its join-way settings are kept and shown; a missing connector or
// base name is refused beside its field.
func TestWeComLiveCodeInConsole(t *testing.T) {
	srv, a, ids := walkConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	form := url.Values{"name": {"企业客户群 <i>x</i>"}, "slug": {"corp"}, "mode": {"wecom"}, "state": {"ch:corp"}, "connector_id": {fmt.Sprint(ids.WeComConnector)},
		"scene": {"2"}, "remark": {"官网"}, "room_base_name": {"企业客户群"}, "room_base_id": {"3"}, "auto_create_room": {"1"}}
	for _, tt := range []struct{ key, value, says string }{
		{"connector_id", "", "WeCom connector"},
		{"room_base_name", "", "base name"},
		{"scene", "7", "scene"},
		{"state", "渠道", "state"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(tt.key, tt.value)
		resp, err := client.PostForm(srv.URL+"/livecodes", f)
		if err != nil {
			t.Fatal(err)
		}
		if b := readAll(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, tt.says) {
			t.Errorf("%s=%q: %d", tt.key, tt.value, resp.StatusCode)
		}
	}
	resp, err := client.PostForm(srv.URL+"/livecodes", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", resp.StatusCode, err)
	}
	codes, _ := a.LiveCodes(context.Background(), ws(t, a))
	c := codes[len(codes)-1]
	if c.Mode != shequn.LiveWeCom || c.State != "ch:corp" || c.JoinWay == nil || c.JoinWay.RoomBaseID != 3 || !c.JoinWay.AutoCreateRoom || c.JoinWay.Remark != "官网" {
		t.Fatalf("the code as saved: %+v %+v", c, c.JoinWay)
	}
	_, body, _ := fetchPage(t, client, srv.URL+resp.Header.Get("Location")+"?lang=zh")
	if !strings.Contains(body, `id="join-way"`) || !strings.Contains(body, "ch:corp") || strings.Contains(body, "<i>x</i>") {
		t.Errorf("the WeCom code's page lacks its join way or shows markup")
	}
}

// TestCampaignsInConsole: a task campaign made and edited with the form;
// bad input refused beside its field; its page shows the ledger with the
// reasons (escaped).
func TestCampaignsInConsole(t *testing.T) {
	srv, a, ids := walkConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	form := url.Values{"name": {"邀请好友 <script>alert(1)</script>"}, "hold_hours": {"48"}, "start": {"2026-06-01T09:00"}, "end": {"2026-06-08T21:00"}, "new_only": {"1"},
		"s0_threshold": {"2"}, "s0_points": {"20"}, "s0_label": {"贴纸"}, "s1_threshold": {"5"}, "s1_points": {"100"}, "s1_stock": {"30"}, "cost": {"1280.50"}}
	for _, tt := range []struct{ key, value, says string }{
		{"end", "2026-05-01T09:00", "end"},
		{"start", "tomorrow", "start"},
		{"s1_threshold", "1", "thresholds rise"},
		{"s0_points", "many", "whole numbers"},
		{"hold_hours", "500", "hold_hours"},
		{"cost", "-3", "cost"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(tt.key, tt.value)
		resp, err := client.PostForm(srv.URL+"/campaigns?lang=en", f)
		if err != nil {
			t.Fatal(err)
		}
		if b := readAll(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, tt.says) {
			t.Errorf("%s=%q: %d", tt.key, tt.value, resp.StatusCode)
		}
	}
	resp, err := client.PostForm(srv.URL+"/campaigns", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", resp.StatusCode, err)
	}
	page := resp.Header.Get("Location")
	cs, _ := a.Campaigns(context.Background(), ws(t, a))
	c := cs[len(cs)-1]
	if c.HoldHours != 48 || !c.NewOnly || len(c.Stages) != 2 || c.Stages[1].Stock != 30 || c.Start.In(ws(t, a).Location()).Format("15:04") != "09:00" || c.Cost != 128050 {
		t.Fatalf("as saved: %+v", c)
	}
	_, body, _ := fetchPage(t, client, srv.URL+page)
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, `id="helps"`) {
		t.Errorf("the campaign page shows a script or lacks its ledger")
	}
	// a help in review: the queue shows it with its signals; confirming settles it
	w := ws(t, a)
	if _, err := apptest.DB(t, a).Write().ExecContext(context.Background(), `INSERT INTO helps (workspace_id, campaign_id, inviter_id, invitee_id, community_id,
		status, reason, signals, score, joined_at, decided_at) VALUES (?, ?, ?, 999999, 1, 'review', '', 'burst,silent', 70, 0, 0)`, w.ID, ids.Campaign, ids.Member); err != nil {
		t.Fatal(err)
	}
	_, body, _ = fetchPage(t, client, fmt.Sprintf("%s/campaigns/%d?lang=zh", srv.URL, ids.Campaign))
	if !strings.Contains(body, "作废原因") || strings.Contains(body, "<i>x</i>") || !strings.Contains(body, `id="review-queue"`) || !strings.Contains(body, "短时间大量邀请") {
		t.Fatalf("the walk's campaign page lacks the void reasons or the review queue, or shows markup")
	}
	helps, _ := a.CampaignHelps(context.Background(), w, ids.Campaign, ids.Member)
	var id int64
	for _, h := range helps {
		if h.Status == shequn.HelpReview {
			id = h.ID
		}
	}
	resp, err = client.PostForm(fmt.Sprintf("%s/campaigns/%d/helps/%d/review", srv.URL, ids.Campaign, id), url.Values{"decision": {"void"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("review: %v %v", resp.StatusCode, err)
	}
	helps, _ = a.CampaignHelps(context.Background(), w, ids.Campaign, ids.Member)
	for _, h := range helps {
		if h.ID == id && (h.Status != shequn.HelpVoided || h.Reason != shequn.VoidFraud) {
			t.Errorf("after voiding: %+v", h)
		}
	}
}

// TestProgressPageInBrowser opens a participant's progress page at
// 390×844 in both languages: their counts, the next stage, their
// invitees; a forged link is refused.
func TestProgressPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: not in -short")
	}
	srv, _, ids := walkConsole(t)
	bctx := browserFor(t, time.Minute)
	for _, l := range []string{"zh", "en"} {
		var confirmed, invitees string
		var png []byte
		err := traced(t, bctx, emulation.SetDeviceMetricsOverride(390, 844, 3, true),
			chromedp.Navigate(srv.URL+ids.Progress+"?lang="+l), chromedp.WaitVisible(`#my-progress`, chromedp.ByQuery),
			chromedp.Text(`#my-confirmed`, &confirmed, chromedp.ByQuery), chromedp.Text(`#my-invitees`, &invitees, chromedp.ByQuery),
			chromedp.FullScreenshot(&png, 100))
		if err != nil {
			t.Fatal(err)
		}
		if confirmed == "" || confirmed == "0" && !strings.Contains(invitees, map[string]string{"zh": "考察中", "en": "In hold"}[l]) {
			t.Errorf("%s: confirmed %q, invitees %q", l, confirmed, invitees)
		}
		saveShot(t, "progress-phone-"+l+".png", png)
	}
	forged := ids.Progress[:len(ids.Progress)-4] + "0000"
	if status, _, _ := fetchPage(t, &http.Client{}, srv.URL+forged); status != http.StatusNotFound {
		t.Errorf("a forged progress link: %d", status)
	}
}
