package web_test

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	if title != "分析" || cards != 16 || drawn != 5 {
		t.Errorf("title %q, %d cards, %d charts drawn; want 分析, 16, 5", title, cards, drawn)
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
