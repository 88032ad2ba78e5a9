package httpapi_test

import (
	"fmt"
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
