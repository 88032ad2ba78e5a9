package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// get fetches path with the token and returns the response and its body.
func (e *env) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp, b
}

// Every list exports as CSV and Excel; members (past the store's chunk of
// 1,000) and paged lists export whole, not a page.
func TestExports(t *testing.T) {
	e := newEnv(t)
	var evs []map[string]any
	for i := range 1205 {
		ev := event(i, "message")
		ev["actor"] = fmt.Sprintf("m%04d", i)
		ev["actor_name"] = fmt.Sprintf("成员 %d", i)
		evs = append(evs, ev)
		if len(evs) == 500 || i == 1204 {
			if code, out := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
				t.Fatalf("ingest: %d %v", code, out)
			}
			evs = nil
		}
	}
	ad := event(5000, "message")
	ad["text"] = "=HYPERLINK(\"http://x\") 兼职刷单，日结300，加微信 abc8888 详聊"
	e.do(t, "POST", "/api/v1/events", e.token, batch(ad))

	resp, body := e.get(t, "/api/v1/members?format=csv&days=366")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="shequn-default-members-`) {
		t.Fatalf("members csv: %d %v", resp.StatusCode, resp.Header)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+1206 || recs[0][0] != "id" || !strings.Contains(strings.Join(recs[0], ","), "stats.messages") {
		t.Fatalf("members csv: %d rows, header %v", len(recs), recs[0])
	}
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		seen[r[0]] = true
	}
	if len(seen) != 1206 { // and the spammer
		t.Errorf("%d distinct members in the export, want 1206", len(seen))
	}

	resp, body = e.get(t, "/api/v1/members?format=xlsx&q="+url.QueryEscape("成员 12"))
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("members xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Sheet1")
	f.Close()
	if len(rows) != 1+16 { // 成员 12, 120…129 and 1200…1204
		t.Errorf("search export: %d rows", len(rows))
	}

	for _, path := range []string{"/api/v1/communities", "/api/v1/moderation/cases", "/api/v1/analytics/health", "/api/v1/questions", "/api/v1/outbox",
		"/api/v1/alerts", "/api/v1/stats/daily", "/api/v1/leaderboards", "/api/v1/redemptions", "/api/v1/automations", "/api/v1/connectors"} {
		for _, format := range []string{"csv", "xlsx"} {
			resp, body := e.get(t, path+"?format="+format)
			if resp.StatusCode != 200 || len(body) == 0 || resp.Header.Get("Content-Disposition") == "" {
				t.Errorf("%s as %s: %d %q", path, format, resp.StatusCode, body)
			}
		}
	}
	_, body = e.get(t, "/api/v1/moderation/cases?format=csv")
	if !strings.Contains(string(body), `'=HYPERLINK`) {
		t.Errorf("a formula in a member's text is not defused in the export:\n%s", body)
	}
	for _, path := range []string{"/api/v1/members?format=pdf", "/api/v1/communities?format=xls", "/api/v1/alerts?format=CSV"} {
		resp, body := e.get(t, path)
		if resp.StatusCode != 400 || !strings.Contains(string(body), "want csv or xlsx") {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}
