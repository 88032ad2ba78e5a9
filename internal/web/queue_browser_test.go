package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shequn/shequn"
)

// In a real browser: a queue of 551 cases, 50 bulk-approved with "select
// all", the other 501 paged through to the end; the classifier's case
// shows the words that pushed its score.
func TestReviewQueueInBrowser(t *testing.T) {
	srv, a := bareConsole(t, "")
	ctx := context.Background()
	ws, _ := a.FindWorkspace(ctx, "demo")
	start := time.Now().Add(-10 * time.Hour)
	var evs []shequn.Event
	for i := range 550 {
		evs = append(evs, shequn.Event{SourceID: fmt.Sprintf("ad-%d", i), Platform: "wecom", Community: fmt.Sprintf("g%d", i%5),
			CommunityName: fmt.Sprintf("读书会 %d", i%5), Actor: fmt.Sprintf("ad%d", i), ActorName: fmt.Sprintf("推广员%d", i),
			Kind: shequn.EventMessage, TS: start.Add(time.Duration(i) * time.Minute), Text: fmt.Sprintf("兼职刷单，日结%d，加微信 abc%d888 详聊", 100+i, i)})
	}
	evs = append(evs, shequn.Event{SourceID: "cls-1", Platform: "wecom", Community: "g0", CommunityName: "读书会 0", Actor: "earner",
		ActorName: "Earner", Kind: shequn.EventMessage, TS: start.Add(600 * time.Minute), Text: "Earn $500/day from home!!! DM me on telegram"})
	if _, err := a.Pipeline.Ingest(ctx, ws, evs); err != nil {
		t.Fatal(err)
	}
	bctx := browser(t)
	var before, after, terms string
	var shot []byte
	err := chromedp.Run(bctx,
		browserLogin(srv.URL),
		chromedp.Navigate(srv.URL+"/moderation"),
		chromedp.WaitVisible(`#case-count`),
		chromedp.Text(`#case-count strong`, &before),
		chromedp.Text(`#cases .terms`, &terms), // the newest case is the classifier's
		chromedp.CaptureScreenshot(&shot),
		chromedp.Click(`#select-all`),
		chromedp.Click(`#bulk-approve`),
		chromedp.WaitVisible(`#reviewed`),
		chromedp.Text(`#case-count strong`, &after),
	)
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	saveShot(t, "moderation-queue.png", shot)
	if before != "551" || after != "501" {
		t.Fatalf("cases before %q, after approving a page %q", before, after)
	}
	if !strings.Contains(terms, "earn") || !strings.Contains(terms, "+") {
		t.Fatalf("the classifier case's explanation: %q", terms)
	}
	seen := 0
	for page := 0; ; page++ {
		var n int
		var hasNext bool
		if err := chromedp.Run(bctx,
			chromedp.Evaluate(`document.querySelectorAll("#cases tr.case-row").length`, &n),
			chromedp.Evaluate(`document.querySelector("#page-next") !== null`, &hasNext),
		); err != nil {
			t.Fatal(err)
		}
		seen += n
		if !hasNext || page > 20 {
			break
		}
		if err := chromedp.Run(bctx, chromedp.Click(`#page-next`), chromedp.WaitVisible(`#case-count`)); err != nil {
			t.Fatalf("page %d: %v", page+2, err)
		}
	}
	if seen != 501 {
		t.Fatalf("paged through %d cases, want 501", seen)
	}
	if n, _ := a.CasePage(ctx, ws, nil, shequn.CaseFilter{Status: shequn.CaseApproved}); n.Total != 50 {
		t.Fatalf("%d approved cases, want 50", n.Total)
	}
}
