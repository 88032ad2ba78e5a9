package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAliveAPI(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	events := `{"events":[
	 {"id":"j1","platform":"wecom","community":"g1","community_name":"一群","actor":"ann","actor_name":"ann","kind":"join","ts":"%[1]s"},
	 {"id":"m1","platform":"wecom","community":"g1","actor":"ann","actor_name":"ann","kind":"message","ts":"%[1]s","text":"请问怎么开发票？"},
	 {"id":"m2","platform":"wecom","community":"g1","actor":"bob","actor_name":"bob","kind":"message","ts":"%[1]s","text":"在小程序里申请","reply_to":"m1"}]}`
	if code, r := e.do(t, "POST", "/api/v1/events", e.token, strings.NewReader(fmt.Sprintf(events, now.Format(time.RFC3339)))); code != 200 {
		t.Fatalf("events: %d %v", code, r)
	}
	code, r := e.do(t, "GET", "/api/v1/questions", e.token, nil)
	qs, _ := r["questions"].([]any)
	stats, _ := r["stats"].(map[string]any)
	if code != 200 || len(qs) != 1 || stats["answered"] != 1.0 || qs[0].(map[string]any)["how"] != "reply" {
		t.Fatalf("questions: %d %v", code, r)
	}
	if code, _ := e.do(t, "GET", "/api/v1/questions?status=maybe", e.token, nil); code != 400 {
		t.Fatalf("bad status: %d", code)
	}

	bad := []string{`{"name":"","kind":"sop"}`, `{"name":"x","kind":"sop","steps":[{"cron":"nope","actions":[{"kind":"send","text":"hi"}]}]}`, `{"name":"x"`, `[]`}
	for _, b := range bad {
		if code, r := e.do(t, "POST", "/api/v1/automations", e.token, strings.NewReader(b)); code != 400 || r["error"] == nil {
			t.Errorf("automation %s: %d %v", b, code, r)
		}
	}
	sop := `{"name":"早报","kind":"sop","enabled":true,"quiet_hours":{"start":"22:00","end":"07:00"},
	 "steps":[{"name":"早安","cron":"0 8 * * *","actions":[{"kind":"send","text":"{group} 早安"}]}]}`
	code, r = e.do(t, "POST", "/api/v1/automations", e.token, strings.NewReader(sop))
	if code != 201 {
		t.Fatalf("create automation: %d %v", code, r)
	}
	id := r["automation"].(map[string]any)["id"]
	code, r = e.do(t, "GET", "/api/v1/automations", e.token, nil)
	if code != 200 || len(r["automations"].([]any)) != 1 {
		t.Fatalf("list automations: %d %v", code, r)
	}
	code, r = e.do(t, "GET", "/api/v1/calendar?days=3", e.token, nil)
	items, _ := r["items"].([]any)
	if code != 200 || len(items) != 3 || items[0].(map[string]any)["action"].(map[string]any)["text"] != "一群 早安" {
		t.Fatalf("calendar: %d %v", code, r)
	}
	if code, _ := e.do(t, "GET", "/api/v1/calendar?days=90", e.token, nil); code != 400 {
		t.Fatalf("calendar 90 days: %d", code)
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/automations/%v", id), e.token, nil); code != 200 {
		t.Fatalf("delete: %d", code)
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/automations/%v", id), e.token, nil); code != 404 {
		t.Fatalf("delete twice: %d", code)
	}

	day := now.Format(time.DateOnly)
	ch := fmt.Sprintf(`{"title":"早起","community_ids":[1],"goal":1,"start":"%s","end":"%s","reward_points":10}`, day, day)
	if code, r := e.do(t, "POST", "/api/v1/challenges", e.token, strings.NewReader(ch)); code != 201 || strings.Contains(fmt.Sprint(r), "secret") {
		t.Fatalf("challenge: %d %v", code, r)
	}
	if code, _ := e.do(t, "POST", "/api/v1/challenges", e.token, strings.NewReader(`{"title":"x","community_ids":[99],"goal":1,"start":"2026-01-01","end":"2026-01-02"}`)); code != 404 {
		t.Fatalf("challenge in a missing group: %d", code)
	}
	code, r = e.do(t, "GET", "/api/v1/challenges/1", e.token, nil)
	if code != 200 || r["stats"] == nil {
		t.Fatalf("challenge stats: %d %v", code, r)
	}

	if code, r := e.do(t, "PUT", "/api/v1/welcome", e.token, strings.NewReader(`{"enabled":true,"text":"欢迎 {name}","batch_seconds":30}`)); code != 200 {
		t.Fatalf("welcome: %d %v", code, r)
	}
	if code, _ := e.do(t, "PUT", "/api/v1/communities/1/welcome", e.token, strings.NewReader(`{"enabled":true}`)); code != 400 {
		t.Fatalf("welcome without text: %d", code)
	}
	code, r = e.do(t, "GET", "/api/v1/welcome", e.token, nil)
	if code != 200 || r["default"].(map[string]any)["text"] != "欢迎 {name}" {
		t.Fatalf("get welcome: %d %v", code, r)
	}

	code, r = e.do(t, "POST", "/api/v1/broadcasts/preview", e.token, strings.NewReader(`{"text":"{group}：今晚直播","stagger_seconds":10}`))
	if code != 200 || r["preview"].(map[string]any)["sample"] != "一群：今晚直播" {
		t.Fatalf("preview: %d %v", code, r)
	}
	code, r = e.do(t, "POST", "/api/v1/broadcasts", e.token, strings.NewReader(`{"text":"今晚直播"}`))
	if code != 201 || r["broadcast"].(map[string]any)["status"] != "approved" {
		t.Fatalf("broadcast: %d %v", code, r)
	}
	if code, _ := e.do(t, "POST", "/api/v1/broadcasts/1/reject", e.token, nil); code != 409 {
		t.Fatalf("reject a sent broadcast: %d", code)
	}
	code, r = e.do(t, "GET", "/api/v1/alerts?status=open", e.token, nil)
	if code != 200 || r["alerts"] == nil {
		t.Fatalf("alerts: %d %v", code, r)
	}
	if code, _ := e.do(t, "POST", "/api/v1/alerts/7/status", e.token, strings.NewReader(`{"status":"resolved"}`)); code != 404 {
		t.Fatalf("missing alert: %d", code)
	}
}
