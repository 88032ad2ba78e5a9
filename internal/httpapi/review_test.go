package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// What the classifier alone suspects is flagged, not removed; above the
// rule's bar it acts; a rule in shadow mode acts on nothing but records
// what it would have done; the promotions preset is off until turned on.
func TestModerationPolicy(t *testing.T) {
	e := newEnv(t)
	put := func(rule string) {
		t.Helper()
		if code, r := e.do(t, "PUT", "/api/v1/moderation/rule", e.token, strings.NewReader(rule)); code != 200 {
			t.Fatalf("save rule: %d %v", code, r)
		}
	}
	base := `"action":"delete","warn_limit":3,"exempt_roles":["owner","admin"],"keywords":"刷单","classifier_threshold":0.5,"newcomer_hours":24`
	put(`{` + base + `}`)
	classifierOnly := "Earn $500/day from home!!! DM me on telegram"
	post := func(id, text string) {
		t.Helper()
		if code, r := e.do(t, "POST", "/api/v1/events", e.token, batch(msg(id, "g1", "u-"+id, text))); code != 200 {
			t.Fatalf("ingest: %d %v", code, r)
		}
	}
	post("c1", classifierOnly)
	cases := e.cases(t, "")
	if len(cases) != 1 || cases[0]["action"] != "flag" || cases[0]["detectors"] != "classifier" {
		t.Fatalf("a classifier-only verdict: %v", cases)
	}
	if got := e.outbox(t, cases[0]["id"]); len(got) != 0 {
		t.Fatalf("a flagged message was acted on: %v", got)
	}
	// The bar lowered below its probability: the rule's action is taken.
	put(`{` + base + `,"classifier_act_above":0.5}`)
	post("c2", classifierOnly+" now")
	if c := e.cases(t, "")[0]; c["action"] != "delete" {
		t.Fatalf("above the bar: %v", c)
	}
	// Shadow mode: a keyword hit is recorded as what would be done.
	until := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	put(`{` + base + `,"shadow_until":"` + until + `"}`)
	post("c3", "兼职刷单日结")
	c := e.cases(t, "")[0]
	if c["shadow"] != true || c["action"] != "delete" {
		t.Fatalf("shadow case: %v", c)
	}
	if got := e.outbox(t, c["id"]); len(got) != 0 {
		t.Fatalf("shadow mode acted: %v", got)
	}
	// Promotions: a sale is normal until the preset is on.
	put(`{` + base + `}`)
	post("p1", "周末特卖，全场限时秒杀，满减优惠券领券下单")
	if n := len(e.cases(t, "?detector=keyword")); n != 1 { // only c3's
		t.Fatalf("a promotion was moderated with the preset off: %d keyword cases", n)
	}
	put(`{` + base + `,"promotions":true}`)
	post("p2", "周末特卖，全场限时秒杀，满减优惠券领券下单！")
	if c := e.cases(t, "?detector=keyword")[0]; !strings.Contains(c["verdicts"].(string), "秒杀") {
		t.Fatalf("the preset did not catch the promotion: %v", c)
	}
}

// The queue pages through many cases with a total, filters by detector,
// group and time, reviews many at once, and reports each detector's
// precision from the reviews.
func TestReviewManyCases(t *testing.T) {
	e := newEnv(t)
	var evs []map[string]any
	for i := range 120 {
		group := "g1"
		if i%2 == 1 {
			group = "g2"
		}
		evs = append(evs, msg(fmt.Sprintf("s%d", i), group, fmt.Sprintf("spammer%d", i), fmt.Sprintf("兼职刷单 %d，加微信 abc%d888", i, i)))
	}
	if code, r := e.do(t, "POST", "/api/v1/events", e.token, batch(evs...)); code != 200 {
		t.Fatalf("ingest: %d %v", code, r)
	}
	code, page := e.do(t, "GET", "/api/v1/moderation/cases?status=open&limit=50&offset=100", e.token, nil)
	if code != 200 || page["total"] != float64(120) || len(page["cases"].([]any)) != 20 {
		t.Fatalf("third page: %d total %v, %d cases", code, page["total"], len(page["cases"].([]any)))
	}
	first := page["cases"].([]any)[0].(map[string]any)
	if pieces := first["pieces"].([]any); len(pieces) < 2 {
		t.Fatalf("no highlighted pieces: %v", first)
	}
	if _, page := e.do(t, "GET", "/api/v1/moderation/cases?status=open&detector=contact&community=1", e.token, nil); page["total"] != float64(60) {
		t.Fatalf("contact cases in g1: %v", page["total"])
	}
	if _, page := e.do(t, "GET", "/api/v1/moderation/cases?since=2030-01-01T00:00:00Z", e.token, nil); page["total"] != float64(0) {
		t.Fatalf("cases after 2030: %v", page["total"])
	}
	var ids []string
	for _, c := range e.cases(t, "?status=open&limit=100") {
		ids = append(ids, fmt.Sprint(c["id"]))
	}
	body := func(ids []string, verdict string) string {
		return `{"ids":[` + strings.Join(ids, ",") + `],"verdict":"` + verdict + `"}`
	}
	if code, r := e.do(t, "POST", "/api/v1/moderation/reviews", e.token, strings.NewReader(body(ids[:90], "approve"))); code != 200 || r["reviewed"] != float64(90) {
		t.Fatalf("bulk approve: %d %v", code, r)
	}
	if code, r := e.do(t, "POST", "/api/v1/moderation/reviews", e.token, strings.NewReader(body(ids[90:], "whitelist"))); code != 200 || r["reviewed"] != float64(10) {
		t.Fatalf("bulk whitelist: %d %v", code, r)
	}
	if code, r := e.do(t, "POST", "/api/v1/moderation/reviews", e.token, strings.NewReader(body(ids[:3], "approve"))); code != 200 || r["reviewed"] != float64(0) {
		t.Fatalf("reviewing closed cases again: %d %v", code, r)
	}
	if code, _ := e.do(t, "POST", "/api/v1/moderation/reviews", e.token, strings.NewReader(body(ids[:1], "delete-everything"))); code != 400 {
		t.Fatalf("an unknown verdict: %d", code)
	}
	_, rule := e.do(t, "GET", "/api/v1/moderation/rule", e.token, nil)
	if allow := rule["rule"].(map[string]any)["allow_members"].([]any); len(allow) != 10 {
		t.Fatalf("whitelisted members: %v", allow)
	}
	_, prec := e.do(t, "GET", "/api/v1/moderation/precision", e.token, nil)
	found := false
	for _, d := range prec["detectors"].([]any) {
		d := d.(map[string]any)
		if d["detector"] == "keyword" {
			found = d["approved"] == float64(90) && d["overturned"] == float64(10) && d["precision"] == 0.9
		}
	}
	if !found {
		t.Fatalf("precision: %v", prec)
	}
}
