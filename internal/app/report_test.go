package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

// The weekly report is made once, on Monday at 09:00 in the workspace's
// zone, for the week past; it is kept, queued to the operators and the
// chosen group, and not made again after a restart.
func TestWeeklyReportMadeOncePerWeek(t *testing.T) {
	a, ws := apptest.New(t, "weekly", "Asia/Shanghai")
	ctx := context.Background()
	db := apptest.DB(t, a)
	loc := ws.Location()
	// two weeks after the workspace was made (it is made with the real clock)
	n := time.Now().In(loc)
	monday := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday())+6)%7)+14)
	last := monday.AddDate(0, 0, -7) // the week the report covers
	c := apptest.WithClock(a, monday.Add(8*time.Hour+59*time.Minute))

	var in []shequn.EventInput
	ev := func(group, actor, kind, text, reply string, at time.Time) {
		in = append(in, shequn.EventInput{ID: fmt.Sprint(len(in) + 1), Platform: "qq", Community: group, CommunityName: group, Actor: actor, ActorName: actor,
			Kind: kind, TS: at.UTC().Format(time.RFC3339), Text: text, ReplyTo: reply})
	}
	before := last.AddDate(0, 0, -7).Add(10 * time.Hour)
	ev("quiet", "ann", "message", "hello", "", before)
	ev("quiet", "bob", "message", "hi", "", before.Add(time.Minute))
	ev("quiet", "ann", "message", "anyone?", "", before.Add(2*time.Minute))
	tue := last.AddDate(0, 0, 1).Add(10 * time.Hour)
	ev("busy", "ann", "join", "", "", tue)
	ev("busy", "ann", "message", "how do I reset my password?", "", tue.Add(time.Minute))
	ev("busy", "bob", "message", "open settings, then security", "5", tue.Add(3*time.Minute))
	ev("busy", "cat", "message", "thanks bob", "", tue.Add(4*time.Minute))
	ev("busy", "cat", "message", "good morning", "", tue.Add(24*time.Hour))
	if res, err := a.ImportEvents(ctx, ws, in); err != nil || res.Accepted != len(in) {
		t.Fatalf("import %+v %v", res, err)
	}
	busy := groupNamed(t, a, ws, "busy")
	if err := a.SaveReportSettings(ctx, ws, owner, shequn.ReportSettings{CommunityID: busy.ID, Lang: "en"}); err != nil {
		t.Fatal(err)
	}

	if made, err := a.MakeWeeklyReport(ctx, ws, c.Now()); err != nil || !made {
		// 08:59 on Monday: the report due is the one of the week before last
		// (the workspace's first), made now because none was kept
		t.Fatalf("first report before 09:00: %v %v", made, err)
	}
	if _, err := db.WeeklyReport(ctx, ws.ID, shequn.WeekOf(last.AddDate(0, 0, -7))); err != nil {
		t.Fatalf("the report of the week before last: %v", err)
	}
	if _, err := db.WeeklyReport(ctx, ws.ID, shequn.WeekOf(last)); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("last week's report made before Monday 09:00: %v", err)
	}
	c.Set(monday.Add(9 * time.Hour))
	if made, err := a.MakeWeeklyReport(ctx, ws, c.Now()); err != nil || !made {
		t.Fatalf("report at 09:00: %v %v", made, err)
	}
	for i := 0; i < 3; i++ {
		if made, err := a.MakeWeeklyReport(ctx, ws, c.Now().Add(time.Duration(i)*time.Hour)); err != nil || made {
			t.Fatalf("report made again: %v %v", made, err)
		}
	}
	// a restarted App (its memory of reports gone) finds the kept one
	again := app.New(db, nil)
	again.SetClock(c)
	if made, err := again.MakeWeeklyReport(ctx, ws, c.Now()); err != nil || made {
		t.Fatalf("report made again after a restart: %v %v", made, err)
	}

	rep, err := a.WeeklyReport(ctx, ws, "")
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	if rep.Week != shequn.WeekOf(last) || s.Messages != 4 || s.Previous == nil || s.Previous.Messages != 3 || s.Joins != 1 || s.Questions != 1 || s.Answered != 1 {
		t.Fatalf("report %s: messages %d (before %+v), joins %d, questions %d answered %d", rep.Week, s.Messages, s.Previous, s.Joins, s.Questions, s.Answered)
	}
	if len(rep.Rising) != 1 || rep.Rising[0].Name != "busy" || rep.Rising[0].Messages != 4 || len(rep.Falling) != 1 || rep.Falling[0].Name != "quiet" || rep.Falling[0].Previous != 3 {
		t.Fatalf("rising %+v falling %+v", rep.Rising, rep.Falling)
	}
	if len(rep.Helpers) != 1 || rep.Helpers[0].Name != "bob" || rep.Helpers[0].Messages != 1 || len(rep.Answers) != 1 {
		t.Fatalf("helpers %+v answers %d", rep.Helpers, len(rep.Answers))
	}

	rows, err := db.FindOutbox(ctx, ws.ID, 0, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]*shequn.OutboxItem{}
	for _, r := range rows {
		keys[r.IdempotencyKey] = r
	}
	key := "report:" + rep.Week
	if len(rows) != 4 || keys[key] == nil || keys[key].Platform != shequn.PlatformOperators || keys[key+":group"] == nil || keys[key+":group"].CommunityID != busy.ID {
		t.Fatalf("outbox: %d rows %v", len(rows), keys)
	}
	p, err := keys[key].DecodePayload()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"weekly report", rep.Week, "Messages 4 (+33%)", "↑ busy: 0 → 4", "↓ quiet: 3 → 0", "★ bob answered 1"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, p.Text)
		}
	}
}

func TestWeeklyReportRefusals(t *testing.T) {
	a, ws := apptest.New(t, "weekly", "UTC")
	other, err := a.EnsureWorkspace(context.Background(), "other", "other", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a.ImportEvents(ctx, other, []shequn.EventInput{{ID: "1", Platform: "qq", Community: "g", CommunityName: "g", Actor: "a", Kind: "message", TS: "2026-03-02T10:00:00Z"}})
	g := groupNamed(t, a, other, "g")
	viewer := &shequn.Operator{Role: shequn.RoleViewer}
	tests := []struct {
		name string
		op   *shequn.Operator
		set  shequn.ReportSettings
		code string
	}{
		{"viewer", viewer, shequn.ReportSettings{Lang: "zh"}, shequn.EFORBIDDEN},
		{"language", owner, shequn.ReportSettings{Lang: "fr"}, shequn.EINVALID},
		{"another workspace's group", owner, shequn.ReportSettings{Lang: "zh", CommunityID: g.ID}, shequn.ENOTFOUND},
		{"good", owner, shequn.ReportSettings{Lang: "en"}, ""},
	}
	for _, tt := range tests {
		if err := a.SaveReportSettings(ctx, ws, tt.op, tt.set); shequn.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.code)
		}
	}
	if s, err := a.ReportSettings(ctx, ws); err != nil || s.Lang != "en" {
		t.Fatalf("settings %+v %v", s, err)
	}
	for _, week := range []string{"2026-W60", "26-W01", "2026-W1", "2099-W01", "2026W47x"} {
		if _, err := a.WeeklyReport(ctx, ws, week); shequn.ErrorCode(err) != shequn.EINVALID {
			t.Errorf("week %q: %v", week, err)
		}
	}
}

func groupNamed(t *testing.T, a *app.App, ws *shequn.Workspace, name string) *shequn.Community {
	t.Helper()
	cs, err := apptest.DB(t, a).ListCommunities(context.Background(), ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no group %q", name)
	return nil
}

// A group whose measured stage changes is shown in its old stage until the
// new one has held for shequn.LifecycleHold; the tick keeps the states.
func TestLifecycleHeldThroughTheStore(t *testing.T) {
	a, ws := apptest.New(t, "held", "UTC")
	ctx := context.Background()
	db := apptest.DB(t, a)
	now := time.Now().UTC().Add(30 * 24 * time.Hour) // the group is older than the launch stage
	c := apptest.WithClock(a, now)
	old := now.Add(-20 * 24 * time.Hour)
	var in []shequn.EventInput
	for i := range 6 {
		in = append(in, shequn.EventInput{ID: fmt.Sprint(i), Platform: "qq", Community: "g", CommunityName: "g", Actor: fmt.Sprint("m", i%3),
			Kind: "message", TS: old.Add(time.Duration(i) * time.Hour).Format(time.RFC3339), Text: "hi"})
	}
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	g := groupNamed(t, a, ws, "g")
	// shown as mature until now: no message in 14 days measures dormant
	if err := db.SaveLifecycles(ctx, ws.ID, map[int64]shequn.LifecycleState{g.ID: {Stage: shequn.LifecycleMature, Since: now.Add(-40 * 24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	shown := func() shequn.GroupHealth {
		t.Helper()
		hs, err := a.GroupHealth(ctx, ws)
		if err != nil || len(hs) != 1 {
			t.Fatalf("health: %v %v", hs, err)
		}
		return hs[0]
	}
	if h := shown(); h.Lifecycle != shequn.LifecycleMature || h.Measured != shequn.LifecycleDormant {
		t.Fatalf("before the tick: shown %s measured %s", h.Lifecycle, h.Measured)
	}
	for _, after := range []time.Duration{0, 24 * time.Hour, 71 * time.Hour} {
		c.Set(now.Add(after))
		if err := a.UpdateLifecycles(ctx, ws, c.Now()); err != nil {
			t.Fatal(err)
		}
		if h := shown(); h.Lifecycle != shequn.LifecycleMature {
			t.Fatalf("after %v: shown %s, want mature held", after, h.Lifecycle)
		}
	}
	c.Set(now.Add(shequn.LifecycleHold))
	if err := a.UpdateLifecycles(ctx, ws, c.Now()); err != nil {
		t.Fatal(err)
	}
	if h := shown(); h.Lifecycle != shequn.LifecycleDormant || h.Measured != "" || h.Action != "advice_dormant" {
		t.Fatalf("after the hold: shown %s measured %q action %s", h.Lifecycle, h.Measured, h.Action)
	}
}

// A workspace's weights of the health components: checked, kept, used.
func TestHealthWeights(t *testing.T) {
	a, ws := apptest.New(t, "weights", "UTC")
	ctx := context.Background()
	if w, err := a.HealthWeights(ctx, ws); err != nil || w["activation"] != 25 || w["clean"] != 5 {
		t.Fatalf("defaults: %v %v", w, err)
	}
	all := func(v int) map[string]int {
		w := map[string]int{}
		for _, n := range shequn.HealthOrder {
			w[n] = v
		}
		return w
	}
	only := all(0)
	only["activation"] = 100
	extra := all(10)
	extra["luck"] = 5
	short := all(10)
	delete(short, "clean")
	neg := all(10)
	neg["growth"] = -1
	tests := []struct {
		name string
		op   *shequn.Operator
		w    map[string]int
		code string
	}{
		{"viewer", &shequn.Operator{Role: shequn.RoleViewer}, only, shequn.EFORBIDDEN},
		{"all zero", owner, all(0), shequn.EINVALID},
		{"unknown component", owner, extra, shequn.EINVALID},
		{"one missing", owner, short, shequn.EINVALID},
		{"negative", owner, neg, shequn.EINVALID},
		{"above 100", owner, all(101), shequn.EINVALID},
		{"activation only", owner, only, ""},
	}
	for _, tt := range tests {
		if err := a.SaveHealthWeights(ctx, ws, tt.op, tt.w); shequn.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.code)
		}
	}
	var in []shequn.EventInput
	for i, g := range []string{"a", "a", "a", "b"} {
		in = append(in, shequn.EventInput{ID: fmt.Sprint(i), Platform: "qq", Community: g, CommunityName: g, Actor: fmt.Sprint("m", i), Kind: "message",
			TS: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), Text: "hi"})
	}
	in = append(in, shequn.EventInput{ID: "j", Platform: "qq", Community: "b", CommunityName: "b", Actor: "idle", Kind: "join", TS: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)})
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	hs, err := a.GroupHealth(ctx, ws)
	if err != nil || len(hs) != 2 {
		t.Fatalf("health %v %v", hs, err)
	}
	for _, h := range hs {
		for _, p := range h.Parts {
			if (p.Name == "activation") != (p.Weight == 100) || (p.Name != "activation" && p.Weight != 0) {
				t.Errorf("%s: part %s weighs %d", h.Name, p.Name, p.Weight)
			}
		}
		// activation alone decides: a (3 of 3 active) beats b (1 of 2)
		if want := map[string]int{"a": 100, "b": 0}[h.Name]; h.Score != want {
			t.Errorf("%s scores %d with activation alone, want %d", h.Name, h.Score, want)
		}
	}
}
