package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestPointsRewardsAndLeaderboardAPI(t *testing.T) {
	e := newEnv(t)
	if code, r := e.do(t, "PUT", "/api/v1/points/rule", e.token, strings.NewReader(`{"message":5,"reply":5,"daily_cap":100,"min_length":2}`)); code != 200 {
		t.Fatalf("rule: %d %v", code, r)
	}
	now := e.app.Clock.Now().UTC().Format("2006-01-02T15:04:05Z")
	var evs []map[string]any
	for i := 0; i < 4; i++ {
		evs = append(evs, map[string]any{"id": fmt.Sprintf("m%d", i), "platform": "qq", "community": "g1", "actor": "alice", "kind": "message", "ts": now, "text": fmt.Sprintf("message number %d", i)})
	}
	e.do(t, "POST", "/api/v1/events", e.token, batch(evs...))
	code, r := e.do(t, "GET", "/api/v1/members/1/points", e.token, nil)
	if code != 200 || r["balance"] != 20.0 {
		t.Fatalf("points: %d %v", code, r)
	}
	if code, r := e.do(t, "GET", "/api/v1/leaderboards?period=month", e.token, nil); code != 200 || !strings.Contains(fmt.Sprint(r["rows"]), "points:20") {
		t.Fatalf("leaderboard: %d %v", code, r)
	}
	tests := []struct {
		method, path, body string
		status             int
		contain            string
	}{
		{"POST", "/api/v1/members/1/points", `{"amount":-50,"reason":"oops"}`, 409, "not enough points"},
		{"POST", "/api/v1/members/1/points", `{"amount":10}`, 400, "reason"},
		{"POST", "/api/v1/members/1/points", `{"amount":10,"reason":"helped","idempotency_key":"k1"}`, 200, `"posted":true`},
		{"POST", "/api/v1/members/1/points", `{"amount":10,"reason":"helped","idempotency_key":"k1"}`, 200, `"posted":false`},
		{"POST", "/api/v1/members/99/points", `{"amount":10,"reason":"x"}`, 404, "not found"},
		{"POST", "/api/v1/rewards", `{"name":"马克杯","kind":"physical","cost":25,"stock":1,"per_member_limit":1}`, 201, `"name":"马克杯"`},
		{"POST", "/api/v1/rewards", `{"name":"","kind":"physical","cost":25}`, 400, "name"},
		{"POST", "/api/v1/rewards/1/redeem", `{"member":1,"idempotency_key":"r1"}`, 200, `"awaiting_delivery":true`},
		{"POST", "/api/v1/rewards/1/redeem", `{"member":1,"delivery":"北京","idempotency_key":"r1"}`, 200, `"status":"pending"`},
		{"POST", "/api/v1/rewards/1/redeem", `{"member":1,"delivery":"北京","idempotency_key":"r1"}`, 200, `"status":"pending"`},
		{"POST", "/api/v1/rewards/1/redeem", `{"member":1,"delivery":"北京","idempotency_key":"r2"}`, 409, ""},
		{"POST", "/api/v1/redemptions/1/cancel", ``, 204, ""},
		{"POST", "/api/v1/redemptions/1/cancel", ``, 409, "not pending"},
		{"GET", "/api/v1/leaderboards?period=year", ``, 400, "period"},
		{"PUT", "/api/v1/points/rule", `{"message":-1}`, 400, "message"},
		{"PUT", "/api/v1/tiers/criteria", `{"window_days":3}`, 400, "window_days"},
		{"PUT", "/api/v1/tiers/criteria", `{"window_days":30,"core_active_days":10,"active_days":5,"regular_days":1}`, 200, `"core_active_days":10`},
		{"POST", "/api/v1/tiers/recompute", ``, 200, `"changed":1`},
		{"GET", "/api/v1/members/1", ``, 200, `"tier":"regular"`},
		{"GET", "/api/v1/members/1", ``, 200, `"id":"first_words"`},
		{"POST", "/api/v1/segments", `{"name":"普通成员","filter":"tier=regular"}`, 201, `"name":"普通成员"`},
		{"POST", "/api/v1/segments", `{"name":"普通成员","filter":"tier=core"}`, 409, "exists"},
		{"GET", "/api/v1/segments", ``, 200, `"filter":"tier=regular"`},
		{"GET", "/api/v1/members?tier=regular", ``, 200, `"total":1`},
		{"GET", "/api/v1/members?tier=core", ``, 200, `"total":0`},
		{"GET", "/api/v1/redemptions?status=cancelled", ``, 200, `"status":"cancelled"`},
		{"POST", "/api/v1/awards/monthly", `{"month":"` + e.app.Clock.Now().UTC().Format("2006-01") + `","top":3,"points":100}`, 200, `"granted":1`},
		{"POST", "/api/v1/awards/monthly", `{"month":"` + e.app.Clock.Now().UTC().Format("2006-01") + `","top":3,"points":100}`, 200, `"granted":0`},
		{"POST", "/api/v1/awards/monthly", `{"month":"2026","top":3,"points":100}`, 400, "month"},
	}
	for _, tt := range tests {
		var body *strings.Reader
		if tt.body != "" {
			body = strings.NewReader(tt.body)
		} else {
			body = strings.NewReader("{}")
		}
		code, r := e.do(t, tt.method, tt.path, e.token, body)
		if code != tt.status || !strings.Contains(fmt.Sprint(r)+mustJSON(r), tt.contain) {
			t.Errorf("%s %s %s: %d %v, want %d %q", tt.method, tt.path, tt.body, code, r, tt.status, tt.contain)
		}
	}
	if _, r := e.do(t, "GET", "/api/v1/members/1/points", e.token, nil); r["balance"] != 130.0 {
		t.Fatalf("balance after grant, redeem, cancel = %v", r["balance"])
	}
}
