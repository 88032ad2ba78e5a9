package cli

import (
	"bytes"
	"context"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/sim"
)

// A fresh demo workspace: its review queue holds fewer than 2% of the
// simulated normal messages, no normal message is deleted, and most of the
// simulated ads are caught.
func TestDemoModerationIsQuietOnNormalChat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo: skipped with -short")
	}
	ctx := context.Background()
	sf := storeFlags{data: t.TempDir(), env: func(string) string { return "" }}
	a, db, err := sf.open(ctx, quietLog(Env{Stderr: &bytes.Buffer{}}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := ensureDemo(ctx, a, Env{Stdout: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	ws, err := a.FindWorkspace(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	// the demo's live codes: one with room, one full (its page falls back)
	for slug, room := range map[string]bool{"newcomers": true, "salon": false} {
		p, err := a.OpenLiveCode(ctx, "demo", slug, false)
		if err != nil || (p.Target != nil) != room {
			t.Errorf("demo live code %s: %+v %v, want room %v", slug, p.Target, err, room)
		}
	}
	var normal, ads int
	rows, err := db.Write().QueryContext(ctx, "SELECT text FROM events WHERE workspace_id = ? AND kind = 'message'", ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var text string
		rows.Scan(&text)
		if sim.IsSpam(text) {
			ads++
		} else {
			normal++
		}
	}
	rows.Close()
	page, err := a.CasePage(ctx, ws, nil, shequn.CaseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var queued, deleted, caught int
	for _, c := range page.Cases {
		if sim.IsSpam(c.Text) {
			caught++
			continue
		}
		queued++
		if c.Action != shequn.ActionFlag {
			deleted++
			t.Errorf("a normal message was %s: %q (%s)", c.Action, c.Text, c.Detectors)
		}
	}
	t.Logf("demo: %d normal messages, %d in the queue, %d removed; %d ads, %d caught", normal, queued, deleted, ads, caught)
	if normal < 10_000 || float64(queued) >= 0.02*float64(normal) || deleted > 0 {
		t.Fatalf("%d of %d normal messages queued (want < 2%%), %d removed (want 0)", queued, normal, deleted)
	}
	if ads == 0 || float64(caught) < 0.9*float64(ads) {
		t.Fatalf("caught %d of %d simulated ads", caught, ads)
	}
}
