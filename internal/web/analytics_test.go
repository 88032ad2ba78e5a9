package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
)

// TestAnalyticsInBrowser opens the analytics page as an operator would:
// every card, chart and table is there in both languages, the heat maps
// and the Pareto chart are drawn, the health table sorts by a click, and
// a group's page explains its score with a recommended action.
func TestAnalyticsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: not in -short")
	}
	srv, _, ids := walkConsole(t)
	bctx := browserFor(t, 2*time.Minute)
	var cards, drawn int
	var title string
	var scores []string
	ready := chromedp.Poll(`document.body.dataset.chartsReady === "1"`, nil, chromedp.WithPollingTimeout(15*time.Second))
	err := traced(t, bctx,
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/analytics?lang=zh"), ready,
		chromedp.Text("h2", &title, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#analytics-cards article").length`, &cards),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("[data-chart]")).filter(e => e.querySelector("canvas")).length`, &drawn),
		chromedp.Click(`#health-table th:nth-child(2)`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#health-table tbody td:nth-child(2)")).map(td => td.dataset.v)`, &scores),
	)
	if err != nil {
		t.Fatal(err)
	}
	if title != "分析" || cards != 18 || drawn != 5 {
		t.Errorf("title %q, %d cards, %d charts drawn; want 分析, 18, 5", title, cards, drawn)
	}
	if len(scores) == 0 || !sort.SliceIsSorted(scores, func(i, j int) bool { return num(scores[i]) < num(scores[j]) }) {
		t.Errorf("health scores after a click on the header: %v, want ascending", scores)
	}
	var again []string
	var cohortRows, funnelRows int
	var breakdown, english string
	err = traced(t, bctx,
		chromedp.Click(`#health-table th:nth-child(2)`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#health-table tbody td:nth-child(2)")).map(td => td.dataset.v)`, &again),
		chromedp.Evaluate(`document.querySelectorAll("#cohort-table tbody tr").length`, &cohortRows),
		chromedp.Evaluate(`document.querySelectorAll("#funnel-table tr").length`, &funnelRows),
		chromedp.Navigate(fmt.Sprintf("%s/communities/%d?lang=zh", srv.URL, ids.Community)), ready,
		chromedp.Text(`#health`, &breakdown, chromedp.ByQuery),
		chromedp.Navigate(srv.URL+"/analytics?lang=en"), ready,
		chromedp.Text("h2", &english, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(scores)
	slices.Reverse(want)
	if !slices.Equal(again, want) && !sort.SliceIsSorted(again, func(i, j int) bool { return num(again[i]) > num(again[j]) }) {
		t.Errorf("second click: %v, want descending", again)
	}
	if cohortRows != 12 || funnelRows != 4 {
		t.Errorf("cohort rows %d, funnel rows %d; want 12 and 4", cohortRows, funnelRows)
	}
	if !containsAll(breakdown, "群健康度", "活跃率", "新人 7 日留存", "权重", "建议") {
		t.Errorf("group health breakdown: %q", breakdown)
	}
	if english != "Analytics" {
		t.Errorf("English title %q", english)
	}
}

func num(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestWeeklyReportInBrowser: the report page in both languages, its
// settings saved from the form, printing hides the console around it, and
// the HTML download stands alone.
func TestWeeklyReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: not in -short")
	}
	srv, _, _ := walkConsole(t)
	bctx := browserFor(t, 2*time.Minute)
	var zh, en, text, lang string
	var cards int
	var navShown, formShown bool
	err := traced(t, bctx,
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/reports/weekly?lang=zh"),
		chromedp.Text("#report-title", &zh, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#report-cards article").length`, &cards),
		chromedp.Text("#report-text", &text, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#report-settings").closest("details").open = true`, nil),
		chromedp.SetValue(`#report-settings select[name=lang]`, "en", chromedp.ByQuery),
		chromedp.Click(`#report-settings button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#report-saved", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#report-settings select[name=lang]").value`, &lang),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`document.querySelector(".topbar nav").getClientRects().length > 0`, &navShown),
		chromedp.Evaluate(`document.querySelector("#report-week").getClientRects().length > 0`, &formShown),
		emulation.SetEmulatedMedia().WithMedia(""),
		chromedp.Navigate(srv.URL+"/reports/weekly?lang=en"),
		chromedp.Text("#report-title", &en, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(zh, "周报") || !strings.HasPrefix(en, "Weekly report") || cards == 0 || !strings.Contains(text, "周报】") {
		t.Errorf("titles %q / %q, %d cards, text %q", zh, en, cards, text)
	}
	if lang != "en" {
		t.Errorf("the report language saved from the form: %q", lang)
	}
	if navShown || formShown {
		t.Errorf("printed page shows the console's nav (%v) or the week form (%v)", navShown, formShown)
	}
	c := login(t, srv, "ops@example.com", "correct horse")
	page := get(t, c, srv.URL+"/reports/weekly?format=html&lang=en")
	if !strings.HasPrefix(page, "<!doctype html>") || !strings.Contains(page, "<style>") || strings.Contains(page, `href="/static/`) || !strings.Contains(page, "Weekly report") {
		t.Errorf("the HTML download does not stand alone:\n%.400s", page)
	}
	if resp, err := http.Get(srv.URL + "/reports/weekly?format=json"); err != nil || resp.Request.URL.Path != "/login" {
		t.Errorf("download without a session ended at %v (%v), want the login page", resp.Request.URL, err)
	}
}

// The analytics page says how old its figures are when it shows kept
// figures computed before the latest events (serve allows a few minutes),
// and says nothing when they are exact.
func TestAnalyticsFiguresAsOf(t *testing.T) {
	srv, a := newConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	page := func() string {
		t.Helper()
		resp, err := client.Get(srv.URL + "/analytics?lang=en")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("analytics: %v %v", resp, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if p := page(); strings.Contains(p, `id="figures-as-of"`) {
		t.Fatal("fresh figures labelled as old")
	}
	a.SetFiguresMaxAge(time.Hour)
	ws, err := a.FindWorkspace(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	late := shequn.Event{SourceID: "late-1", Platform: "telegram", Community: "late", CommunityName: "late", Actor: "zed", ActorName: "zed",
		Kind: shequn.EventMessage, TS: time.Now(), Text: "hello"}
	if _, err := a.Pipeline.Ingest(context.Background(), ws, []shequn.Event{late}); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, `id="figures-as-of"`) || !strings.Contains(p, "Figures as of") {
		t.Fatal("kept figures shown after new events without saying how old they are")
	}
	a.SetFiguresMaxAge(0)
	if p := page(); strings.Contains(p, `id="figures-as-of"`) {
		t.Fatal("recomputed figures labelled as old")
	}
}

// The analytics filter by join source lists the workspace's sources with
// their memberships — channel codes as written — and cuts the figures by
// the one chosen.
func TestAnalyticsJoinSourceFilter(t *testing.T) {
	srv, a := newConsole(t)
	client := login(t, srv, "ops@example.com", "correct horse")
	ws, err := a.FindWorkspace(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	join := shequn.Event{SourceID: "poster-join-1", Platform: "wecom", Community: "c1", CommunityName: "c1", Actor: "wmNew", ActorName: "new",
		Kind: shequn.EventJoin, TS: time.Now().Add(-time.Minute), Source: "poster-spring"}
	if _, err := a.Pipeline.Ingest(context.Background(), ws, []shequn.Event{join}); err != nil {
		t.Fatal(err)
	}
	resp, err := client.Get(srv.URL + "/analytics?lang=zh")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("analytics: %v %v", resp, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `<option value="poster-spring" >poster-spring (1)</option>`) {
		t.Fatalf("the channel code is not among the join sources")
	}
	resp, err = client.Get(srv.URL + "/analytics?lang=zh&join_source=poster-spring")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("analytics by join source: %v %v", resp, err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `<option value="poster-spring" selected>`) {
		t.Fatal("the chosen join source is not selected")
	}
	s, err := a.ActivitySummary(context.Background(), ws, shequn.AnalyticsFilter{JoinSource: "poster-spring"}, shequn.LastDays(time.Now(), ws.Location(), 28))
	if err != nil || s.Joins != 1 {
		t.Fatalf("summary by join source: %d joins, %v", s.Joins, err)
	}
}
