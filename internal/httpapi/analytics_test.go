package httpapi_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn/internal/apptest"
)

// The analytics API answers the figures of ingested events, leaves a
// member marked as staff out of them, and refuses bad periods, filters
// and foreign groups with a message.
func TestAnalyticsAPI(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	var evs []map[string]any
	for i := range 30 {
		ev := event(i, "message")
		ev["actor"] = fmt.Sprintf("u%d", i%3) // u0, u1, u2: 10 messages each
		evs = append(evs, ev)
	}
	join := event(99, "join")
	join["actor"] = "u9"
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(append(evs, join)...)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	code, s := e.do(t, "GET", "/api/v1/analytics/summary?from=2026-03-01&to=2026-03-03", e.token, nil)
	if code != 200 || s["messages"] != 30.0 || s["active_members"] != 3.0 || s["joins"] != 1.0 || s["contributor_absence_factor"] != 2.0 {
		t.Fatalf("summary: %d %v", code, s)
	}
	_, ms := e.do(t, "GET", "/api/v1/members?q=u0", e.token, nil)
	id := ms["members"].([]any)[0].(map[string]any)["id"].(float64)
	if code, out := e.do(t, "PUT", fmt.Sprintf("/api/v1/members/%.0f/staff", id), e.token, strings.NewReader(`{"staff": true}`)); code != 200 {
		t.Fatalf("mark staff: %d %v", code, out)
	}
	if _, s = e.do(t, "GET", "/api/v1/analytics/summary?from=2026-03-01&to=2026-03-03&compare=previous", e.token, nil); s["messages"] != 20.0 || s["active_members"] != 2.0 || s["previous"] == nil {
		t.Fatalf("summary without staff: %v", s)
	}
	for _, path := range []string{"cohorts?weeks=4", "health", "pareto?from=2026-03-01"} {
		if code, out := e.do(t, "GET", "/api/v1/analytics/"+path, e.token, nil); code != 200 {
			t.Errorf("%s: %d %v", path, code, out)
		}
	}
	bad := map[string]int{
		"/api/v1/analytics/summary?from=2026-02-30":                         400,
		"/api/v1/analytics/summary?from=2026-03-04&to=2026-03-01":           400,
		"/api/v1/analytics/summary?from=2020-01-01":                         400,
		"/api/v1/analytics/summary?community=abc":                           400,
		"/api/v1/analytics/summary?community=999999":                        404,
		"/api/v1/analytics/summary?compare=yesterday":                       400,
		"/api/v1/analytics/summary?join_source=" + strings.Repeat("x", 100): 400,
		"/api/v1/analytics/cohorts?weeks=53":                                400,
		"/api/v1/analytics/summary?benchmark=best":                          400,
		"/api/v1/analytics/cohorts?weeks=x":                                 400,
		"/api/v1/analytics/pareto?to=someday":                               400,
	}
	for path, want := range bad {
		code, out := e.do(t, "GET", path, e.token, nil)
		if code != want || out["error"] == nil || out["error"] == "" {
			t.Errorf("%s: %d %v, want %d with a message", path, code, out, want)
		}
	}
	for body, want := range map[string]int{`{}`: 400, `{"staff": "yes"}`: 400, `{"staff": true}`: 404} {
		if code, _ := e.do(t, "PUT", "/api/v1/members/999999/staff", e.token, strings.NewReader(body)); code != want {
			t.Errorf("PUT staff %s on a foreign member: %d, want %d", body, code, want)
		}
	}
}

// The weekly report as JSON, and its settings: read, saved, refused.
func TestWeeklyReportAPI(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)) // a Wednesday
	var evs []map[string]any
	for i := range 12 {
		ev := event(i, "message") // 2026-03-02, the Monday of W10
		ev["actor"] = fmt.Sprintf("u%d", i%4)
		evs = append(evs, ev)
	}
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	code, rep := e.do(t, "GET", "/api/v1/reports/weekly", e.token, nil)
	if code != 200 || rep["week"] != "2026-W10" || rep["from"] != "2026-03-02" || rep["summary"].(map[string]any)["messages"] != 12.0 {
		t.Fatalf("last week's report: %d %v", code, rep)
	}
	if code, rep := e.do(t, "GET", "/api/v1/reports/weekly?week=2026-W09", e.token, nil); code != 200 || rep["summary"].(map[string]any)["messages"] != 0.0 {
		t.Fatalf("W09: %d %v", code, rep)
	}
	if code, out := e.do(t, "GET", "/api/v1/reports/settings", e.token, nil); code != 200 || out["settings"].(map[string]any)["lang"] != "zh" {
		t.Fatalf("default settings: %d %v", code, out)
	}
	if code, s := e.do(t, "PUT", "/api/v1/reports/settings", e.token, strings.NewReader(`{"lang":"en","community_id":0}`)); code != 200 || s["settings"].(map[string]any)["lang"] != "en" {
		t.Fatalf("save settings: %d %v", code, s)
	}
	bad := []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/api/v1/reports/weekly?week=2026-W99", "", 400},
		{"GET", "/api/v1/reports/weekly?week=2026-W12", "", 400}, // not begun
		{"GET", "/api/v1/reports/weekly?week=last", "", 400},
		{"PUT", "/api/v1/reports/settings", `{"lang":"fr"}`, 400},
		{"PUT", "/api/v1/reports/settings", `{"lang":"zh","community_id":999999}`, 404},
		{"PUT", "/api/v1/reports/settings", `{"lang":`, 400},
	}
	for _, b := range bad {
		var body io.Reader
		if b.body != "" {
			body = strings.NewReader(b.body)
		}
		code, out := e.do(t, b.method, b.path, e.token, body)
		if code != b.want || out["error"] == nil {
			t.Errorf("%s %s %s: %d %v, want %d with a message", b.method, b.path, b.body, code, out, b.want)
		}
	}
	if code, _ := e.do(t, "GET", "/api/v1/reports/weekly", "", nil); code != 401 {
		t.Errorf("no token: %d", code)
	}
}

// Highlights: the most-replied and most-reacted messages, as JSON and as
// an export of one list.
func TestHighlightsAPI(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	msg := func(i int, actor, kind, reply string) map[string]any {
		ev := event(i, kind)
		ev["actor"], ev["reply_to"] = actor, reply
		return ev
	}
	evs := []map[string]any{msg(1, "ann", "message", ""), msg(2, "bob", "message", "e1"), msg(3, "cat", "message", "e1"),
		msg(4, "ann", "message", "e1"), msg(5, "bob", "reaction", "e1"), msg(6, "cat", "reaction", "e2")}
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	code, h := e.do(t, "GET", "/api/v1/analytics/highlights?from=2026-03-01&to=2026-03-03", e.token, nil)
	replied, _ := h["most_replied"].([]any)
	reacted, _ := h["most_reacted"].([]any)
	if code != 200 || len(replied) != 1 || replied[0].(map[string]any)["replies"] != 2.0 || len(reacted) != 2 {
		t.Fatalf("highlights: %d %v", code, h)
	}
	resp, body := e.get(t, "/api/v1/analytics/highlights?from=2026-03-01&to=2026-03-03&format=csv&list=reacted")
	if resp.StatusCode != 200 || strings.Count(strings.TrimSpace(string(body)), "\n") != 2 || !strings.Contains(string(body), "reactions") {
		t.Errorf("reacted export: %d\n%s", resp.StatusCode, body)
	}
	for _, path := range []string{"/api/v1/analytics/highlights?format=csv&list=best", "/api/v1/analytics/highlights?community=999999", "/api/v1/analytics/highlights?from=2026-13-01"} {
		if code, out := e.do(t, "GET", path, e.token, nil); code < 400 || code > 404 || out["error"] == nil {
			t.Errorf("%s: %d %v", path, code, out)
		}
	}
}

// A bot, as its platform says, is staff: out of every figure.
func TestBotsAreStaff(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	human, bot := event(1, "message"), event(2, "message")
	human["actor"], bot["actor"], bot["actor_bot"] = "ann", "welcome_bot", true
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(human, bot)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	_, s := e.do(t, "GET", "/api/v1/analytics/summary?from=2026-03-01&to=2026-03-03", e.token, nil)
	if s["messages"] != 1.0 || s["active_members"] != 1.0 {
		t.Fatalf("a bot counted: %v", s)
	}
	_, ms := e.do(t, "GET", "/api/v1/members?q=welcome_bot", e.token, nil)
	if list, _ := ms["members"].([]any); len(list) != 1 || list[0].(map[string]any)["staff"] != true {
		t.Fatalf("the bot is not marked staff: %v", ms)
	}
}

func TestHealthWeightsAPI(t *testing.T) {
	e := newEnv(t)
	if code, out := e.do(t, "GET", "/api/v1/analytics/health/weights", e.token, nil); code != 200 || out["weights"].(map[string]any)["activation"] != 25.0 {
		t.Fatalf("defaults: %d %v", code, out)
	}
	good := `{"weights":{"activation":30,"newcomers":20,"growth":10,"answers":20,"balance":10,"conversation":10,"clean":0}}`
	if code, out := e.do(t, "PUT", "/api/v1/analytics/health/weights", e.token, strings.NewReader(good)); code != 200 {
		t.Fatalf("save: %d %v", code, out)
	}
	if _, out := e.do(t, "GET", "/api/v1/analytics/health/weights", e.token, nil); out["weights"].(map[string]any)["activation"] != 30.0 {
		t.Fatalf("kept: %v", out)
	}
	for _, body := range []string{`{"weights":{"activation":30}}`, `{"weights":{}}`, `{"weights":"heavy"}`, `{`} {
		if code, out := e.do(t, "PUT", "/api/v1/analytics/health/weights", e.token, strings.NewReader(body)); code != 400 || out["error"] == nil {
			t.Errorf("%s: %d %v", body, code, out)
		}
	}
}

// Invitations: joins naming an inviter, per inviter, and who stayed.
func TestInvitersAPI(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	join := func(i int, actor, inviter string) map[string]any {
		ev := event(i, "join")
		ev["actor"], ev["inviter"] = actor, inviter
		return ev
	}
	leave := event(9, "leave")
	leave["actor"], leave["ts"] = "bob", "2026-03-02T11:00:00Z"
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(join(1, "ann", "zoe"), join(2, "bob", "zoe"), join(3, "cat", "yan"), join(4, "dan", ""), leave)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	_, s := e.do(t, "GET", "/api/v1/analytics/summary?from=2026-03-01&to=2026-03-03", e.token, nil)
	if s["invited"] != 3.0 || s["inviters"] != 2.0 || s["invitees_stayed"] != 2.0 || s["invitees_per_inviter"] != 1.5 {
		t.Fatalf("summary: invited %v inviters %v stayed %v per %v", s["invited"], s["inviters"], s["invitees_stayed"], s["invitees_per_inviter"])
	}
	code, out := e.do(t, "GET", "/api/v1/analytics/inviters?from=2026-03-01&to=2026-03-03", e.token, nil)
	rows, _ := out["inviters"].([]any)
	if code != 200 || len(rows) != 2 || rows[0].(map[string]any)["name"] != "zoe" || rows[0].(map[string]any)["invited"] != 2.0 || rows[0].(map[string]any)["stayed"] != 1.0 {
		t.Fatalf("inviters: %d %v", code, out)
	}
}

// A saved segment narrows the figures to its members.
func TestSegmentAnalytics(t *testing.T) {
	e := newEnv(t)
	apptest.WithClock(e.app, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	var evs []map[string]any
	for i, actor := range []string{"ann", "ann", "ann", "bob", "cat"} {
		ev := event(i, "message")
		ev["actor"], ev["actor_name"] = actor, actor
		evs = append(evs, ev)
	}
	if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
		t.Fatalf("ingest: %d %v", code, out)
	}
	code, out := e.do(t, "POST", "/api/v1/segments", e.token, strings.NewReader(`{"name":"anns","filter":"q=ann"}`))
	if code != 200 && code != 201 {
		t.Fatalf("segment: %d %v", code, out)
	}
	seg := out["segment"].(map[string]any)["id"].(float64)
	_, s := e.do(t, "GET", fmt.Sprintf("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-03&segment=%.0f", seg), e.token, nil)
	if s["messages"] != 3.0 || s["active_members"] != 1.0 {
		t.Fatalf("segment summary: messages %v active %v", s["messages"], s["active_members"])
	}
	for _, path := range []string{"cohorts?segment=%.0f", "pareto?segment=%.0f", "inviters?segment=%.0f"} {
		if code, out := e.do(t, "GET", "/api/v1/analytics/"+fmt.Sprintf(path, seg), e.token, nil); code != 200 {
			t.Errorf("%s: %d %v", path, code, out)
		}
	}
	if code, _ := e.do(t, "GET", "/api/v1/analytics/summary?segment=999999", e.token, nil); code != 404 {
		t.Errorf("unknown segment: %d", code)
	}
	if code, _ := e.do(t, "GET", "/api/v1/analytics/summary?segment=abc", e.token, nil); code != 400 {
		t.Errorf("segment abc: %d", code)
	}
}
