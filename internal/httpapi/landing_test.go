package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shequn/shequn/internal/app"
)

// TestLandingPagesAPI: pages are made, changed and refused through the
// API; leads are listed and exported with masked phones, shown whole one
// at a time, moved along and erased; the funnel answers.
func TestLandingPagesAPI(t *testing.T) {
	e := newEnv(t)
	page := `{"slug":"camp","title":"<b>训练营</b>","published":true,"blocks":[{"kind":"hero","title":"21 天","button":"报名","link":"#form"},
		{"kind":"form","fields":["name","phone"],"consent":"同意用于联系我"}]}`
	code, r := e.do(t, "POST", "/api/v1/pages", e.token, strings.NewReader(page))
	if code != 201 {
		t.Fatalf("create: %d %v", code, r)
	}
	id := r["page"].(map[string]any)["id"]
	for _, tt := range []struct {
		body   string
		status int
		says   string
	}{
		{page, 409, "taken"},
		{`{"slug":"x2","title":"t","blocks":[{"kind":"hero","link":"javascript:alert(1)"}]}`, 400, "link"},
		{`{"slug":"x2","title":"t","blocks":[{"kind":"form","fields":["phone"]}]}`, 400, "consent"},
		{`{"slug":"x2","title":"t"} trailing`, 400, ""},
		{`{"slug":"x2","title":"t","lang":"fr"}`, 400, "lang"},
	} {
		if code, r := e.do(t, "POST", "/api/v1/pages", e.token, strings.NewReader(tt.body)); code != tt.status || !strings.Contains(fmt.Sprint(r["error"]), tt.says) {
			t.Errorf("POST %s: %d %v", tt.body, code, r)
		}
	}
	ctx := context.Background()
	for i, phone := range []string{"13800138000", "13800138000", "+447911123456"} {
		in := app.LeadInput{Name: fmt.Sprint("客", i), Phone: phone, Consent: true, IP: fmt.Sprint("192.0.2.", i), Source: "moments"}
		if _, err := e.app.SubmitLead(ctx, "default", "camp", in); err != nil {
			t.Fatal(err)
		}
	}
	code, r = e.do(t, "GET", "/api/v1/leads", e.token, nil)
	leads, _ := r["leads"].([]any)
	if code != 200 || len(leads) != 2 {
		t.Fatalf("leads: %d %v", code, r)
	}
	for _, l := range leads {
		p := l.(map[string]any)["phone"].(string)
		if !strings.Contains(p, "****") || strings.Contains(p, "0013800") {
			t.Errorf("a listed phone is not masked: %q", p)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/leads?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(csv), "13800138000") || !strings.Contains(string(csv), "moments") {
		t.Errorf("CSV export: %d %s", resp.StatusCode, csv)
	}
	lead := leads[1].(map[string]any)["id"]
	if code, r := e.do(t, "GET", fmt.Sprintf("/api/v1/leads/%v", lead), e.token, nil); code != 200 || r["lead"].(map[string]any)["phone"] != "+8613800138000" ||
		r["lead"].(map[string]any)["repeats"] != float64(1) {
		t.Errorf("one lead: %d %v", code, r)
	}
	if code, r := e.do(t, "PUT", fmt.Sprintf("/api/v1/leads/%v/status", lead), e.token, strings.NewReader(`{"status":"contacted"}`)); code != 200 ||
		r["status"] != "contacted" {
		t.Errorf("status: %d %v", code, r)
	}
	if code, _ := e.do(t, "PUT", fmt.Sprintf("/api/v1/leads/%v/status", lead), e.token, strings.NewReader(`{"status":"won"}`)); code != 400 {
		t.Errorf("an unknown status: %d", code)
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/leads/%v", lead), e.token, nil); code != 204 {
		t.Errorf("erase: %d", code)
	}
	if code, _ := e.do(t, "GET", fmt.Sprintf("/api/v1/leads/%v", lead), e.token, nil); code != 404 {
		t.Errorf("an erased lead: %d", code)
	}
	if code, r := e.do(t, "GET", "/api/v1/funnel?days=7", e.token, nil); code != 200 || len(r["funnel"].([]any)) < 2 {
		t.Errorf("funnel: %d %v", code, r)
	}
	if code, _ := e.do(t, "GET", "/api/v1/funnel?days=abc", e.token, nil); code != 400 {
		t.Errorf("funnel with days=abc: %d", code)
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/pages/%v", id), e.token, nil); code != 204 {
		t.Errorf("delete page: %d", code)
	}
	if code, r := e.do(t, "GET", "/api/v1/leads", e.token, nil); code != 200 || len(r["leads"].([]any)) != 0 {
		t.Errorf("leads after their page went: %v", r)
	}
}

// TestCampaignsAPI: a task campaign is made, refused with bad input, read
// back, and its progress and ledger answer (empty before any join).
func TestCampaignsAPI(t *testing.T) {
	e := newEnv(t)
	body := `{"name":"邀请有礼","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","new_only":true,"stages":[{"threshold":3,"points":50,"stock":100},{"threshold":10,"points":300}]}`
	code, r := e.do(t, "POST", "/api/v1/campaigns", e.token, strings.NewReader(body))
	if code != 201 {
		t.Fatalf("create: %d %v", code, r)
	}
	c := r["campaign"].(map[string]any)
	if c["hold_hours"] != float64(72) || c["kind"] != "task" {
		t.Errorf("defaults: %v", c)
	}
	for _, bad := range []string{
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-05-01T00:00:00Z","stages":[{"threshold":1}]}`,
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","stages":[]}`,
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","stages":[{"threshold":5},{"threshold":5}]}`,
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","stages":[{"threshold":1}],"community_ids":[424242]}`,
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","stages":[{"threshold":1}],"hold_hours":1000}`,
		`{"name":"x","start":"2026-06-01T00:00:00Z","end":"2026-06-08T00:00:00Z","stages":[{"threshold":1}],"cost":-1}`,
	} {
		if code, r := e.do(t, "POST", "/api/v1/campaigns", e.token, strings.NewReader(bad)); code != 400 {
			t.Errorf("%s: %d %v", bad, code, r)
		}
	}
	id := c["id"]
	for _, path := range []string{"", "/progress", "/helps", "/helps?inviter=3", "/figures"} {
		if code, r := e.do(t, "GET", fmt.Sprintf("/api/v1/campaigns/%v%s", id, path), e.token, nil); code != 200 {
			t.Errorf("GET %s: %d %v", path, code, r)
		}
	}
	if code, _ := e.do(t, "GET", "/api/v1/campaigns/999/progress", e.token, nil); code != 404 {
		t.Errorf("an unknown campaign's progress: %d", code)
	}
	if code, _ := e.do(t, "GET", fmt.Sprintf("/api/v1/campaigns/%v/helps?inviter=x", id), e.token, nil); code != 400 {
		t.Errorf("inviter=x: %d", code)
	}
}

func TestReviewHelpAPI(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		path, body string
		status     int
	}{
		{"/api/v1/campaigns/1/helps/1/review", `{}`, 400},
		{"/api/v1/campaigns/1/helps/1/review", `{"confirm":"yes"}`, 400},
		{"/api/v1/campaigns/1/helps/x/review", `{"confirm":true}`, 400},
		{"/api/v1/campaigns/1/helps/1/review", `{"confirm":true}`, 404},
	} {
		if code, r := e.do(t, "POST", tt.path, e.token, strings.NewReader(tt.body)); code != tt.status {
			t.Errorf("%s %s: %d %v", tt.path, tt.body, code, r)
		}
	}
}
