package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/web"
)

// newConsole serves a workspace with simulated history on a real server.
func newConsole(t *testing.T) (*httptest.Server, *app.App) {
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
	srv := httptest.NewServer(httpapi.New(a, web.New(a)))
	t.Cleanup(srv.Close)
	return srv, a
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

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
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
