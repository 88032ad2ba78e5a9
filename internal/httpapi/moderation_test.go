package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// caseOf returns the only case and its outbox items.
func (e *env) cases(t *testing.T, query string) []map[string]any {
	t.Helper()
	code, r := e.do(t, "GET", "/api/v1/moderation/cases"+query, e.token, nil)
	if code != 200 {
		t.Fatalf("cases: %d %v", code, r)
	}
	var out []map[string]any
	for _, c := range r["cases"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

func (e *env) outbox(t *testing.T, caseID any) map[string]string {
	t.Helper()
	code, r := e.do(t, "GET", fmt.Sprintf("/api/v1/outbox?case=%v", caseID), e.token, nil)
	if code != 200 {
		t.Fatalf("outbox: %d %v", code, r)
	}
	out := map[string]string{}
	for _, o := range r["outbox"].([]any) {
		m := o.(map[string]any)
		out[fmt.Sprintf("%s@%v", m["action"], m["community_id"])] = m["status"].(string)
	}
	return out
}

func msg(id, group, actor, text string) map[string]any {
	return map[string]any{"id": id, "platform": "wecom", "community": group, "actor": actor, "kind": "message", "ts": "2026-03-02T10:00:00Z", "text": text}
}

func join(id, group, actor string) map[string]any {
	return map[string]any{"id": id, "platform": "wecom", "community": group, "actor": actor, "kind": "join", "ts": "2026-03-02T09:00:00Z"}
}

func TestSpamEventMakesCaseOutboxAndQueueAndOverturnReverses(t *testing.T) {
	e := newEnv(t)
	code, r := e.do(t, "PUT", "/api/v1/moderation/rule", e.token, strings.NewReader(`{"action":"ban","warn_limit":3,"exempt_roles":["owner","admin"],
		"keywords":"刷单\n日结|0.5","classifier_threshold":0.8,"flood_count":6,"flood_seconds":10,"dup_groups":3,"dup_minutes":60,"newcomer_hours":24}`))
	if code != 200 {
		t.Fatalf("save rule: %d %v", code, r)
	}
	spam := msg("s1", "g1", "spammer", "兼职刷单，日结300，加微信 abc8888 详聊")
	if code, r := e.do(t, "POST", "/api/v1/events", e.token, batch(join("j1", "g1", "spammer"), msg("h1", "g1", "alice", "大家早上好"), spam)); code != 200 {
		t.Fatalf("ingest: %d %v", code, r)
	}
	queue := e.cases(t, "?status=open")
	if len(queue) != 1 {
		t.Fatalf("review queue = %v", queue)
	}
	c := queue[0]
	if c["action"] != "ban" || c["source_id"] != "s1" || !strings.Contains(c["detectors"].(string), "contact") || !strings.Contains(c["verdicts"].(string), "加微信abc8888") {
		t.Fatalf("case = %v", c)
	}
	if got := e.outbox(t, c["id"]); got["delete@1"] != "pending" || got["ban@1"] != "pending" || len(got) != 2 {
		t.Fatalf("outbox = %v", got)
	}
	// replaying the batch changes nothing
	e.do(t, "POST", "/api/v1/events", e.token, batch(spam))
	if n := len(e.cases(t, "")); n != 1 {
		t.Fatalf("replay made %d cases", n)
	}
	code, r = e.do(t, "POST", fmt.Sprintf("/api/v1/moderation/cases/%v/overturn", c["id"]), e.token, nil)
	if code != 200 || r["case"].(map[string]any)["status"] != "overturned" {
		t.Fatalf("overturn: %d %v", code, r)
	}
	if got := e.outbox(t, c["id"]); got["delete@1"] != "cancelled" || got["ban@1"] != "cancelled" || got["unban@1"] != "pending" {
		t.Fatalf("outbox after overturn = %v", got)
	}
	if code, r := e.do(t, "POST", fmt.Sprintf("/api/v1/moderation/cases/%v/approve", c["id"]), e.token, nil); code != 409 {
		t.Fatalf("second review: %d %v", code, r)
	}
	if len(e.cases(t, "?status=open")) != 0 {
		t.Fatal("queue not empty")
	}
	// the overturned text is now a normal sample: the same text again is not classified as spam by the classifier
	code, r = e.do(t, "POST", "/api/v1/moderation/check", e.token, strings.NewReader(`{"text":"大家早上好"}`))
	if code != 200 || r["spam"] != false {
		t.Fatalf("check: %d %v", code, r)
	}
}

func TestBlocklistRemovesEverywhereAndRefusesRejoin(t *testing.T) {
	e := newEnv(t)
	if code, r := e.do(t, "PUT", "/api/v1/moderation/rule", e.token, strings.NewReader(`{"action":"blocklist","warn_limit":3,"classifier_threshold":0.8,"keywords":"刷单"}`)); code != 200 {
		t.Fatalf("rule: %d %v", code, r)
	}
	e.do(t, "POST", "/api/v1/events", e.token, batch(join("j1", "g1", "bad"), join("j2", "g2", "bad"), msg("m1", "g1", "bad", "刷单赚钱")))
	code, r := e.do(t, "GET", "/api/v1/moderation/blocklist", e.token, nil)
	if code != 200 || len(r["blocklist"].([]any)) != 1 {
		t.Fatalf("blocklist: %v", r)
	}
	c := e.cases(t, "")[0]
	if got := e.outbox(t, c["id"]); got["ban@1"] != "pending" || got["ban@2"] != "pending" || got["delete@1"] != "pending" {
		t.Fatalf("outbox = %v", got)
	}
	e.do(t, "POST", "/api/v1/events", e.token, batch(join("j3", "g3", "bad")))
	refused := e.cases(t, "?reason=blocklist")
	if len(refused) != 1 || e.outbox(t, refused[0]["id"])["ban@3"] != "pending" {
		t.Fatalf("rejoin not refused: %v", refused)
	}
	e.do(t, "POST", fmt.Sprintf("/api/v1/moderation/cases/%v/overturn", c["id"]), e.token, nil)
	if _, r := e.do(t, "GET", "/api/v1/moderation/blocklist", e.token, nil); len(r["blocklist"].([]any)) != 0 {
		t.Fatalf("still blocked: %v", r)
	}
	if got := e.outbox(t, c["id"]); got["unban@1"] != "pending" || got["unban@2"] != "pending" {
		t.Fatalf("unbans = %v", got)
	}
}

func TestWarnEscalatesAndExemptsAndReports(t *testing.T) {
	e := newEnv(t)
	e.do(t, "PUT", "/api/v1/moderation/rule", e.token, strings.NewReader(`{"action":"warn","warn_limit":2,"classifier_threshold":0.99,"keywords":"刷单","disabled":["classifier"]}`))
	e.do(t, "POST", "/api/v1/events", e.token, batch(msg("a", "g1", "x", "刷单一"), msg("b", "g1", "x", "刷单二")))
	cs := e.cases(t, "")
	if len(cs) != 2 || cs[1]["action"] != "warn" || cs[0]["action"] != "kick" {
		t.Fatalf("escalation: %v", cs)
	}
	if got := e.outbox(t, cs[1]["id"]); got["send@1"] != "pending" || got["delete@1"] != "pending" {
		t.Fatalf("warning outbox = %v", got)
	}
	// a member replies "举报" to a message: it goes to the queue
	reply := msg("r1", "g1", "y", "举报")
	reply["reply_to"] = "h"
	e.do(t, "POST", "/api/v1/events", e.token, batch(msg("h", "g1", "z", "这个群太吵了"), reply))
	reports := e.cases(t, "?reason=report")
	if len(reports) != 1 || reports[0]["source_id"] != "h" || reports[0]["action"] != "flag" || reports[0]["status"] != "open" {
		t.Fatalf("report: %v", reports)
	}
	// bad rules are refused with the reason
	for body, want := range map[string]string{
		`{"action":"explode","warn_limit":1,"classifier_threshold":0.8}`:                     "action",
		`{"action":"ban","warn_limit":1,"classifier_threshold":0.8,"regexes":["(unclosed"]}`: "regex 1",
		`{"action":"ban","warn_limit":0,"classifier_threshold":0.8}`:                         "warn_limit",
		`{"action":"ban","warn_limit":1,"classifier_threshold":0.8,"keywords":"a|zz"}`:       "keywords",
	} {
		if code, r := e.do(t, "PUT", "/api/v1/moderation/rule", e.token, strings.NewReader(body)); code != 400 || !strings.Contains(r["error"].(string), want) {
			t.Errorf("rule %s: %d %v", body, code, r)
		}
	}
}
