package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/moderation"
)

// postTarget uploads a target (multipart) through the API.
func postTarget(t *testing.T, e *env, code any, fields map[string]string, image []byte) (int, map[string]any) {
	t.Helper()
	body, typ := apptest.Multipart(fields, image)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/livecodes/%v/targets", e.srv.URL, code), body)
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", typ)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// The live code API: create, read, change, add and remove targets,
// delete; bad input gets a 4xx naming what is wrong; another workspace's
// live code is not found.
func TestLiveCodesAPI(t *testing.T) {
	e := newEnv(t)
	code, r := e.do(t, "POST", "/api/v1/livecodes", e.token, strings.NewReader(`{"slug":"spring","name":"春季新人群","fallback":"加客服","alert_seats":5}`))
	if code != 201 {
		t.Fatalf("create: %d %v", code, r)
	}
	id := r["live_code"].(map[string]any)["id"]
	for _, tt := range []struct {
		body   string
		status int
		says   string
	}{
		{`{"slug":"spring","name":"again"}`, 409, "taken"},
		{`{"slug":"No Caps","name":"x"}`, 400, "slug"},
		{`{"slug":"ok-slug","name":""}`, 400, "name"},
		{`{"slug":"ok-slug","name":"x","alert_seats":-2}`, 400, "alert_seats"},
		{`{"slug":"ok-slug","name":"x"} trailing`, 400, "trailing"},
	} {
		if code, r := e.do(t, "POST", "/api/v1/livecodes", e.token, strings.NewReader(tt.body)); code != tt.status || !strings.Contains(fmt.Sprint(r["error"]), tt.says) {
			t.Errorf("%s: %d %v, want %d with %q", tt.body, code, r, tt.status, tt.says)
		}
	}
	qr, err := moderation.EncodeQR("https://weixin.qq.com/g/api", 240)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		fields map[string]string
		image  []byte
		status int
		says   string
	}{
		{"no picture", map[string]string{"label": "x"}, nil, 400, "picture"},
		{"a text file", nil, []byte("hello, not a picture"), 400, "PNG"},
		{"too large", nil, make([]byte, shequn.MaxQRImage+200<<10), 413, "KB"},
		{"bad expiry", map[string]string{"expires_at": "next week"}, qr, 400, "expires_at"},
		{"expired", map[string]string{"expires_at": "2001-01-01"}, qr, 400, "expires_at"},
		{"foreign group", map[string]string{"community_id": "987654"}, qr, 404, "987654"},
		{"good", map[string]string{"label": "1 群", "cap": "150", "held": "2", "expires_at": "2099-01-01"}, qr, 400, "within a year"},
		{"good", map[string]string{"label": "1 群", "cap": "150", "held": "2", "days": "5"}, qr, 201, ""},
	} {
		status, r := postTarget(t, e, id, tt.fields, tt.image)
		if status != tt.status || !strings.Contains(fmt.Sprint(r["error"]), tt.says) {
			t.Errorf("%s: %d %v, want %d with %q", tt.name, status, r, tt.status, tt.says)
		}
	}
	if status, _ := postTarget(t, e, 999999, nil, qr); status != 404 {
		t.Errorf("a target for a missing live code: %d", status)
	}
	code, r = e.do(t, "GET", fmt.Sprintf("/api/v1/livecodes/%v", id), e.token, nil)
	lc := r["live_code"].(map[string]any)
	targets, _ := lc["targets"].([]any)
	if code != 200 || len(targets) != 1 || targets[0].(map[string]any)["qr_text"] != "https://weixin.qq.com/g/api" || targets[0].(map[string]any)["cap"] != 150.0 {
		t.Fatalf("read back: %d %v", code, r)
	}
	target := targets[0].(map[string]any)["id"]
	if code, r := e.do(t, "PUT", fmt.Sprintf("/api/v1/livecodes/%v", id), e.token, strings.NewReader(`{"slug":"spring-2","name":"春季 2"}`)); code != 200 {
		t.Fatalf("update: %d %v", code, r)
	}
	if code, r := e.do(t, "GET", "/api/v1/livecodes", e.token, nil); code != 200 || len(r["live_codes"].([]any)) != 1 {
		t.Fatalf("list: %d %v", code, r)
	}
	// another workspace sees none of it
	if _, err := e.app.EnsureWorkspace(context.Background(), "other", "other", "UTC"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.app.CreateToken(context.Background(), "other", "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("GET /api/v1/livecodes/%v", id), fmt.Sprintf("DELETE /api/v1/livecodes/%v", id),
		fmt.Sprintf("DELETE /api/v1/livecodes/%v/targets/%v", id, target)} {
		method, p, _ := strings.Cut(path, " ")
		if code, _ := e.do(t, method, p, tok, nil); code != 404 {
			t.Errorf("%s from another workspace: %d", path, code)
		}
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/livecodes/%v/targets/%v", id, target), e.token, nil); code != 204 {
		t.Fatalf("delete target: %d", code)
	}
	if code, _ := e.do(t, "DELETE", fmt.Sprintf("/api/v1/livecodes/%v", id), e.token, nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if code, _ := e.do(t, "GET", fmt.Sprintf("/api/v1/livecodes/%v", id), e.token, nil); code != 404 {
		t.Fatalf("after delete: %d", code)
	}
}
