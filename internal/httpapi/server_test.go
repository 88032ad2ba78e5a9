package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/httpapi"
)

type env struct {
	srv    *httptest.Server
	server *httpapi.Server
	token  string
	app    *app.App
}

func newEnv(t *testing.T) *env {
	t.Helper()
	a, _ := apptest.New(t, "default", "UTC")
	token, _, err := a.CreateToken(context.Background(), "default", "test")
	if err != nil {
		t.Fatal(err)
	}
	server := httpapi.New(a, nil)
	srv := httptest.NewServer(server)
	t.Cleanup(srv.Close)
	return &env{srv: srv, server: server, token: token, app: a}
}

func (e *env) do(t *testing.T, method, path, token string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("bad JSON answer %q: %v", data, err)
		}
	}
	return resp.StatusCode, out
}

func event(i int, kind string) map[string]any {
	return map[string]any{"id": fmt.Sprintf("e%d", i), "platform": "telegram", "community": "g1", "community_name": "Group 1",
		"actor": fmt.Sprintf("u%d", i%7), "kind": kind, "ts": "2026-03-02T10:00:00Z", "text": "hello 你好"}
}

func batch(events ...map[string]any) io.Reader {
	b, _ := json.Marshal(map[string]any{"events": events})
	return bytes.NewReader(b)
}

func (e *env) overview(t *testing.T) map[string]any {
	t.Helper()
	code, o := e.do(t, "GET", "/api/v1/stats/overview?days=366", e.token, nil)
	if code != 200 {
		t.Fatalf("overview: %d %v", code, o)
	}
	return o
}

func TestSameBatchTwice(t *testing.T) {
	e := newEnv(t)
	var evs []map[string]any
	for i := range 50 {
		evs = append(evs, event(i, "message"))
	}
	evs = append(evs, map[string]any{"id": "j1", "platform": "telegram", "community": "g1", "actor": "new", "kind": "join", "ts": "2026-03-02T09:00:00Z", "inviter": "u1"})
	code, r := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...))
	if code != 200 || r["accepted"] != 51.0 || r["duplicates"] != 0.0 {
		t.Fatalf("first: %d %v", code, r)
	}
	before := e.overview(t)
	code, r = e.do(t, "POST", "/api/v1/events", e.token, batch(evs...))
	if code != 200 || r["accepted"] != 0.0 || r["duplicates"] != 51.0 {
		t.Fatalf("second: %d %v", code, r)
	}
	after := e.overview(t)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("counts changed:\n%v\n%v", before, after)
	}
	if before["events"] != 51.0 || before["members"] != 8.0 || before["communities"] != 1.0 {
		t.Fatalf("overview = %v", before)
	}
}

func TestInvalidInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	good := event(1, "message")
	many := make([]map[string]any, app.MaxBatch+1)
	for i := range many {
		many[i] = event(i, "message")
	}
	bad := func(k string, v any) map[string]any {
		m := event(2, "message")
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	huge := strings.NewReader(`{"events":[{"id":"x","text":"` + strings.Repeat("a", httpapi.MaxBody) + `"}]}`)
	tests := []struct {
		name   string
		token  string
		body   io.Reader
		status int
		msg    string
		index  float64
	}{
		{"bad JSON", "ok", strings.NewReader(`{"events":[{"id":`), 400, "bad JSON", -1},
		{"not an object", "ok", strings.NewReader(`[1,2]`), 400, "bad JSON", -1},
		{"wrong type", "ok", strings.NewReader(`{"events":[{"id":5}]}`), 400, "bad JSON", -1},
		{"trailing data", "ok", strings.NewReader(`{"events":[]} {}`), 400, "trailing", -1},
		{"empty batch", "ok", batch(), 400, "at least one", -1},
		{"missing id", "ok", batch(good, bad("id", nil)), 400, "event 1: id: required", 1},
		{"unknown kind", "ok", batch(good, good, bad("kind", "explode")), 400, "kind", 2},
		{"bad time", "ok", batch(bad("ts", "2026-13-45")), 400, "ts", 0},
		{"kick without target", "ok", batch(bad("kind", "kick")), 400, "target", 0},
		{"oversized batch", "ok", batch(many...), 413, "at most 5000", -1},
		{"oversized body", "ok", huge, 413, "larger than", -1},
		{"wrong token", "shq_wrong", batch(good), 401, "invalid token", -1},
		{"missing token", "", batch(good), 401, "missing bearer token", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.token
			if token == "ok" {
				token = e.token
			}
			code, r := e.do(t, "POST", "/api/v1/events", token, tt.body)
			msg, _ := r["error"].(string)
			if code != tt.status || !strings.Contains(msg, tt.msg) {
				t.Fatalf("got %d %v, want %d with %q", code, r, tt.status, tt.msg)
			}
			if idx, ok := r["index"].(float64); (tt.index >= 0) != ok || (ok && idx != tt.index) {
				t.Fatalf("index = %v, want %v", r["index"], tt.index)
			}
			if o := e.overview(t); o["events"] != 0.0 || o["communities"] != 0.0 || o["members"] != 0.0 {
				t.Fatalf("something was stored: %v", o)
			}
		})
	}
}

func TestReadEndpoints(t *testing.T) {
	e := newEnv(t)
	now := e.app.Clock.Now().UTC().Format("2006-01-02T15:04:05Z")
	evs := []map[string]any{
		{"id": "1", "platform": "wecom", "community": "wr1", "community_name": "读书会", "actor": "alice", "actor_name": "小王", "kind": "join", "ts": now},
		{"id": "2", "platform": "wecom", "community": "wr1", "actor": "alice", "kind": "message", "ts": now, "text": "大家好"},
	}
	if code, r := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
		t.Fatalf("ingest %d %v", code, r)
	}
	tests := []struct {
		path    string
		status  int
		contain string
	}{
		{"/api/v1/communities", 200, `"name":"读书会"`},
		{"/api/v1/communities?platform=qq", 200, `"total":0`},
		{"/api/v1/communities/1", 200, `"messages":1`},
		{"/api/v1/communities/999", 404, "not found"},
		{"/api/v1/communities/abc", 400, "positive integer"},
		{"/api/v1/members?q=小王", 200, `"display_name":"小王"`},
		{"/api/v1/members?sort=bogus", 400, "sort"},
		{"/api/v1/members?limit=9999", 400, "limit"},
		{"/api/v1/members/1", 200, `"external_id":"alice"`},
		{"/api/v1/members/42", 404, "not found"},
		{"/api/v1/stats/daily", 200, `"messages":1`},
		{"/api/v1/stats/daily?community=1&days=7", 200, `"joins":1`},
		{"/api/v1/stats/daily?days=0", 400, "days"},
		{"/api/v1/nothing", 404, "no API route"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.srv.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.contain) {
				t.Fatalf("%s: %d %s, want %d containing %s", tt.path, resp.StatusCode, body, tt.status, tt.contain)
			}
			if strings.Contains(string(body), e.token) {
				t.Fatal("the token was echoed back")
			}
		})
	}
}

func TestPatchCommunity(t *testing.T) {
	e := newEnv(t)
	e.do(t, "POST", "/api/v1/events", e.token, batch(event(1, "message")))
	code, r := e.do(t, "PATCH", "/api/v1/communities/1", e.token, strings.NewReader(`{"kind":"core","stage":"mature","benchmark":true,"tags":["vip"]}`))
	c, _ := r["community"].(map[string]any)
	if code != 200 || c["kind"] != "core" || c["benchmark"] != true {
		t.Fatalf("patch: %d %v", code, r)
	}
	code, r = e.do(t, "PATCH", "/api/v1/communities/1", e.token, strings.NewReader(`{"stage":"zombie"}`))
	if code != 400 || !strings.Contains(r["error"].(string), "stage") {
		t.Fatalf("bad stage: %d %v", code, r)
	}
}

func TestOpenAPIAndHealth(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Every API route is documented, with its method.
	for _, route := range e.server.APIRoutes() {
		method, path, _ := strings.Cut(route, " ")
		if doc.Paths[path] == nil || doc.Paths[path][strings.ToLower(method)] == nil {
			t.Errorf("openapi.json lacks %s", route)
		}
	}
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "shequn_http_requests_total"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, b)
		}
	}
	_ = shequn.Version
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
