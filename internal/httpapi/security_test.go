package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/httpapi"
)

// scenario is one hostile request and what must come back: the status, text
// the answer must hold, and text it must not (pocketbase's ApiScenario).
type scenario struct {
	name     string
	method   string
	path     string
	body     func() io.Reader
	status   int
	want     string
	notWant  []string
	stored   bool // whether events may be stored by it
	afterRun func(t *testing.T, e *env)
}

func raw(s string) func() io.Reader { return func() io.Reader { return strings.NewReader(s) } }

func jsonBody(v any) func() io.Reader {
	return func() io.Reader { b, _ := json.Marshal(v); return bytes.NewReader(b) }
}

// Every scenario failed before the hardening of issue 10: invalid UTF-8
// merged ids, trailing bytes past 8 MiB were accepted, a 50,000-character
// search answered 500, a 7 MiB reason and 400,000 tags were stored, an
// event of 2199 was accepted, a foreign blocklist delete answered 204,
// automations took other workspaces' groups, and errors named Go types.
func TestHostileAPIInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// A second workspace with a group and a blocklisted member: its ids
	// must be "not found" from the first workspace's token.
	other, err := e.app.EnsureWorkspace(ctx, "other", "other", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.IngestEvents(ctx, other, []shequn.EventInput{{ID: "x1", Platform: "wecom", Community: "og", Actor: "ou", Kind: "message",
		TS: "2026-03-02T10:00:00Z", Text: "hi"}}); err != nil {
		t.Fatal(err)
	}
	code, _ := e.do(t, "POST", "/api/v1/events", e.token, batch(event(1, "message")))
	if code != 200 {
		t.Fatalf("seed batch: %d", code)
	}
	foreignGroup := int64(1) // the other workspace's group was created first
	if cs, _ := e.app.ListCommunities(ctx, other); len(cs) == 1 {
		foreignGroup = cs[0].ID
	}
	tags := make([]string, 400_000)
	for i := range tags {
		tags[i] = "t"
	}
	cases := []scenario{
		{name: "invalid UTF-8 in text names the field", method: "POST", path: "/api/v1/events",
			body:   raw(`{"events":[{"id":"u1","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2026-03-02T10:00:00Z","text":"caf` + "\xff" + `"}]}`),
			status: 400, want: "events[0].text: not valid UTF-8"},
		{name: "invalid UTF-8 ids are refused, not merged", method: "POST", path: "/api/v1/events",
			body:   raw(`{"events":[{"id":"id` + "\xfe" + `","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2026-03-02T10:00:00Z"}]}`),
			status: 400, want: "events[0].id: not valid UTF-8"},
		{name: "lone surrogate escape is refused", method: "POST", path: "/api/v1/events",
			body:   raw(`{"events":[{"id":"id\ud800","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2026-03-02T10:00:00Z"}]}`),
			status: 400, want: "not valid UTF-8"},
		{name: "a complete object followed by 9 MiB of spaces", method: "POST", path: "/api/v1/events",
			body: func() io.Reader {
				return io.MultiReader(strings.NewReader(`{"events":[{"id":"sp","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2026-03-02T10:00:00Z"}]}`),
					bytes.NewReader(bytes.Repeat([]byte(" "), 9<<20)))
			},
			status: 413, want: "body larger than"},
		{name: "trailing garbage", method: "POST", path: "/api/v1/events",
			body:   raw(`{"events":[{"id":"tg","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2026-03-02T10:00:00Z"}]} garbage`),
			status: 400, want: "trailing data"},
		{name: "an event in the year 2199", method: "POST", path: "/api/v1/events",
			body:   raw(`{"events":[{"id":"future","platform":"wecom","community":"g","actor":"a","kind":"message","ts":"2199-01-01T00:00:00Z"}]}`),
			status: 400, want: "ahead of this server's clock"},
		{name: "a 50,000-character member search", method: "GET", path: "/api/v1/members?q=" + strings.Repeat("a", 50_000),
			status: 400, want: "q: at most 200 characters"},
		{name: "a 50,000-character community search", method: "GET", path: "/api/v1/communities?q=" + strings.Repeat("群", 50_000/3),
			status: 400, want: "q: at most 200 characters"},
		{name: "a 7 MiB points reason", method: "POST", path: "/api/v1/members/1/points",
			body:   jsonBody(map[string]any{"amount": 5, "reason": strings.Repeat("r", 7<<20)}),
			status: 400, want: "reason: at most 500 characters"},
		{name: "400,000 community tags", method: "PATCH", path: "/api/v1/communities/2",
			body:   jsonBody(map[string]any{"tags": tags}),
			status: 400, want: "tags: at most 100 values"},
		{name: "another workspace's group is not found", method: "GET", path: fmt.Sprintf("/api/v1/communities/%d", foreignGroup),
			status: 404},
		{name: "deleting another workspace's blocklist entry", method: "DELETE", path: "/api/v1/moderation/blocklist/1",
			status: 404, want: "not on the blocklist"},
		{name: "an automation over another workspace's group", method: "POST", path: "/api/v1/automations",
			body: jsonBody(map[string]any{"name": "x", "kind": "rule", "enabled": true, "selector": map[string]any{"community_ids": []int64{foreignGroup}},
				"trigger": map[string]any{"kind": "join"}, "actions": []any{map[string]any{"kind": "send", "text": "hi"}}}),
			status: 404, want: "no group"},
		{name: "a broadcast to another workspace's group", method: "POST", path: "/api/v1/broadcasts/preview",
			body:   jsonBody(map[string]any{"text": "hi", "selector": map[string]any{"community_ids": []int64{foreignGroup}}}),
			status: 404, want: "no group"},
		{name: "wrong types are named in words", method: "PATCH", path: "/api/v1/communities/2",
			body:   raw(`{"capacity":"ten"}`),
			status: 400, want: "capacity must be a whole number, not string", notWant: []string{"int", "Go value", "struct"}},
		{name: "a list where an object belongs", method: "POST", path: "/api/v1/events",
			body:   raw(`[1,2]`),
			status: 400, want: "must be an object", notWant: []string{"httpapi.", "Go value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.overview(t)["events"]
			var body io.Reader
			if c.body != nil {
				body = c.body()
			}
			code, out := e.do(t, c.method, c.path, e.token, body)
			msg := fmt.Sprint(out["error"])
			if code != c.status || !strings.Contains(msg, c.want) {
				t.Fatalf("got %d %q, want %d with %q", code, msg, c.status, c.want)
			}
			for _, bad := range c.notWant {
				if strings.Contains(msg, bad) {
					t.Fatalf("message %q holds %q", msg, bad)
				}
			}
			if after := e.overview(t)["events"]; after != before && !c.stored {
				t.Fatalf("events stored: %v → %v", before, after)
			}
		})
	}
}

// /metrics answers this machine only, or anyone with the metrics token.
func TestMetricsAccess(t *testing.T) {
	a, _ := apptest.New(t, "default", "UTC")
	cases := []struct {
		name, remote, token, header string
		status                      int
	}{
		{"loopback without a token", "127.0.0.1:4000", "", "", 200},
		{"another machine without a token", "203.0.113.7:4000", "", "", 403},
		{"another machine with the token", "203.0.113.7:4000", "m3trics", "Bearer m3trics", 200},
		{"another machine with a wrong token", "203.0.113.7:4000", "m3trics", "Bearer nope", 401},
		{"loopback, a token set, none given", "127.0.0.1:4000", "m3trics", "", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var opts []httpapi.Option
			if c.token != "" {
				opts = append(opts, httpapi.WithMetricsToken(c.token))
			}
			s := httpapi.New(a, nil, opts...)
			r := httptest.NewRequest("GET", "/metrics", nil)
			r.RemoteAddr = c.remote
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if c.status == 200 && !strings.Contains(w.Body.String(), "go_goroutines") {
				t.Fatal("no metrics in the answer")
			}
		})
	}
}
