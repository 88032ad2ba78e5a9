package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
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

// upload posts a target form with a picture to a live code.
func upload(t *testing.T, client *http.Client, target string, fields map[string]string, image []byte) (int, string) {
	t.Helper()
	body, typ := apptest.Multipart(fields, image)
	req, _ := http.NewRequest("POST", target, body)
	req.Header.Set("Content-Type", typ)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func fetchPage(t *testing.T, client *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// An operator makes a live code in the console, uploads group QR codes
// (a picture without a QR code, a file that is not a picture and one too
// large are refused with a message), and the public page shows the QR of
// the first group with room, escaped text, and the fallback when none is
// left; a viewer may look but not upload.
func TestLiveCodesInConsole(t *testing.T) {
	srv, a := newConsole(t)
	ctx := context.Background()
	if _, err := a.CreateOperator(ctx, "demo", "viewer@example.com", "", "just looking", shequn.RoleViewer); err != nil {
		t.Fatal(err)
	}
	client := login(t, srv, "ops@example.com", "correct horse")
	resp, err := client.PostForm(srv.URL+"/livecodes", url.Values{"name": {"春季<script>alert(1)</script>"}, "slug": {"spring"}, "fallback": {"<b>请加客服</b>"}, "alert_seats": {"3"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", resp.StatusCode, err)
	}
	page := resp.Header.Get("Location")
	resp, _ = client.PostForm(srv.URL+"/livecodes", url.Values{"name": {"again"}, "slug": {"spring"}})
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "taken") {
		t.Fatalf("a taken slug: %d", resp.StatusCode)
	}
	qr, err := moderation.EncodeQR("https://weixin.qq.com/g/console", 240)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		image  []byte
		fields map[string]string
		status int
		says   string
	}{
		{"not a picture", []byte("<?php echo 1; ?>"), nil, http.StatusUnprocessableEntity, "not a PNG"},
		{"no QR code", bytes.Repeat([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 4), nil, http.StatusUnprocessableEntity, "QR"},
		{"too large", make([]byte, shequn.MaxQRImage+100<<10), nil, http.StatusUnprocessableEntity, "2048 KB"},
		{"bad cap", qr, map[string]string{"cap": "many"}, http.StatusUnprocessableEntity, "whole number"},
		{"held ≥ cap", qr, map[string]string{"cap": "3", "held": "3"}, http.StatusUnprocessableEntity, "held"},
		{"good", qr, map[string]string{"label": "1 群 <img src=x onerror=alert(1)>", "cap": "1", "days": "3"}, http.StatusSeeOther, ""},
	} {
		status, body := upload(t, client, srv.URL+page+"/targets", tt.fields, tt.image)
		if status != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d %q, want %d with %q", tt.name, status, clip(body), tt.status, tt.says)
		}
	}
	_, body, _ := fetchPage(t, client, srv.URL+page+"?lang=en")
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") || !strings.Contains(body, "1 群 &lt;img") {
		t.Fatalf("text not escaped on the console page")
	}
	join := "/j/demo/spring"
	status, body, h := fetchPage(t, &http.Client{}, srv.URL+join+"?lang=zh")
	if status != http.StatusOK || !strings.Contains(body, `id="join-qr"`) || strings.Contains(body, "<script>alert(1)") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("public page: %d %s", status, clip(body))
	}
	img := body[strings.Index(body, `src="`+join)+5:]
	img = img[:strings.Index(img, `"`)]
	status, png, h := fetchPage(t, &http.Client{}, srv.URL+img)
	if status != http.StatusOK || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal([]byte(png), qr) {
		t.Fatalf("QR picture: %d %s", status, h.Get("Content-Type"))
	}
	// the one seat is taken by the first visitor's scan: the next sees the fallback
	_, body, _ = fetchPage(t, &http.Client{}, srv.URL+join+"?lang=zh")
	if !strings.Contains(body, `id="join-fallback"`) || !strings.Contains(body, "&lt;b&gt;请加客服") {
		t.Fatalf("fallback not shown: %s", clip(body))
	}
	if status, _, _ := fetchPage(t, &http.Client{}, srv.URL+"/j/demo/nope"); status != http.StatusNotFound {
		t.Fatalf("unknown live code: %d", status)
	}
	viewer := login(t, srv, "viewer@example.com", "just looking")
	if status, _ := upload(t, viewer, srv.URL+page+"/targets", nil, qr); status != http.StatusForbidden {
		t.Fatalf("a viewer uploaded: %d", status)
	}
	if status, body, _ := fetchPage(t, viewer, srv.URL+"/livecodes"); status != http.StatusOK || strings.Contains(body, `id="live-code-form"`) {
		t.Fatalf("viewer's list: %d", status)
	}
}

func clip(s string) string { return shequn.Clip(s, 300) }

// The public page of a live code at phone size, in both languages: the QR
// loads, the page weighs little; screenshots in docs/ when asked.
func TestJoinPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: not in -short")
	}
	srv, _, ids := walkConsole(t)
	bctx := browserFor(t, time.Minute)
	for _, l := range []string{"zh", "en"} {
		var loaded bool
		var bytesIn float64
		var text string
		var png []byte
		err := traced(t, bctx,
			emulation.SetDeviceMetricsOverride(390, 844, 3, true),
			chromedp.Navigate(srv.URL+ids.Join+"?lang="+l),
			chromedp.Poll(`document.querySelector("#join-qr") && document.querySelector("#join-qr").complete`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Evaluate(`document.querySelector("#join-qr").naturalWidth > 0`, &loaded),
			chromedp.Evaluate(`performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation")).filter(e => !e.name.includes("/qr/")).reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0)`, &bytesIn),
			chromedp.Text("article.join", &text, chromedp.ByQuery),
			chromedp.FullScreenshot(&png, 100),
		)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"zh": "长按或扫描", "en": "Scan the code"}[l]
		if !loaded || !strings.Contains(text, want) {
			t.Errorf("%s: QR loaded %v, text %q", l, loaded, text)
		}
		if bytesIn > 150<<10 {
			t.Errorf("%s: the page without its QR weighs %.0f KB, want under 150", l, bytesIn/1024)
		}
		t.Logf("%s: page weight without the QR %.1f KB", l, bytesIn/1024)
		saveShot(t, fmt.Sprintf("join-phone-%s.png", l), png)
	}
	// the operator's page of the same live code: its QR thumbnails load
	var thumbs int
	var png []byte
	err := traced(t, bctx,
		emulation.SetDeviceMetricsOverride(1366, 900, 1, false),
		browserLogin(srv.URL),
		chromedp.Navigate(fmt.Sprintf("%s/livecodes/%d?lang=zh", srv.URL, ids.LiveCode)),
		chromedp.Poll(`Array.from(document.querySelectorAll("#live-targets img")).every(i => i.complete)`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#live-targets img")).filter(i => i.naturalWidth > 0).length`, &thumbs),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	if thumbs != 2 {
		t.Errorf("%d QR thumbnails drawn on the console page, want 2", thumbs)
	}
	saveShot(t, "console-livecode-zh.png", png)
	// an operator uploads a third group's QR through the form
	qr, err := moderation.EncodeQR("https://weixin.qq.com/g/browser", 240)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "群码.png")
	if err := os.WriteFile(file, qr, 0o644); err != nil {
		t.Fatal(err)
	}
	var rows int
	err = traced(t, bctx,
		chromedp.SetUploadFiles(`#target-form input[name=image]`, []string{file}, chromedp.ByQuery),
		chromedp.SendKeys(`#target-form input[name=label]`, "新人 3 群", chromedp.ByQuery),
		chromedp.Click(`#target-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#live-targets tbody tr:nth-child(3)`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#live-targets tbody tr").length`, &rows),
	)
	if err != nil || rows != 3 {
		t.Fatalf("upload through the console form: %d rows, %v", rows, err)
	}
}
