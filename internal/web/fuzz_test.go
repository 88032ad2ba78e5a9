package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/web"
)

// formRoutes are the console's form posts.
var formRoutes = []string{
	"/communities/1", "/segments", "/moderation/cases/1/approve", "/moderation/rules", "/moderation/test",
	"/moderation/blocklist/1/remove", "/rewards", "/redemptions/1/fulfil", "/points/rule", "/automations",
	"/automations/1/delete", "/welcome", "/challenges", "/alerts/1/acknowledged", "/broadcasts/preview", "/broadcasts",
	"/broadcasts/1/approve", "/connectors", "/connectors/1/status/active", "/connectors/1/test", "/login", "/lang/zh",
	"/checkin/1/1/abc", "/automations/when?prefix=step_&suffix=_0", "/automations/when?prefix=trigger_&suffix=",
	"/members/1/points", "/members/1/redeem", "/tiers", "/tiers/recompute", "/leaderboards/award", "/team/operators",
	"/team/tokens", "/team/tokens/1/revoke", "/communities/1/welcome", "/connectors/1", "/connectors/1/delete",
}

// FuzzConsoleForms posts arbitrary bodies to every console form as a
// logged-in owner: whatever comes, the answer is never a 5xx (the server
// turns a panic into a 500, so this also finds panics).
func FuzzConsoleForms(f *testing.F) {
	a, _ := newConsoleApp(f)
	secret, _, err := a.Login(context.Background(), "ops@example.com", "correct horse", "127.0.0.1")
	if err != nil {
		f.Fatal(err)
	}
	h := httpapi.New(a, web.New(a))
	seeds := []string{
		"name=x&kind=customer&tags=a,b&capacity=500",
		"kind=sop&name=daily&step_name_0=m&step_every_0=cron&step_cron_0=0+8+*+*+*&step_text_0=hi&sel_group=1&sel_group=2",
		"kind=sop&name=w&step_every_3=week&step_at_3=25:61&step_weekdays_3=9&step_day_3=-1&step_date_3=2026-02-30&step_text_3=x&sel_kind=customer",
		"kind=rule&name=r&trigger=schedule&trigger_every=once&trigger_at=08:00&trigger_date=1999-01-01&action_kind_0=send&action_text_0=hi",
		"kind=rule&name=r&trigger=keyword&trigger_keywords=price&action_kind_0=send&action_text_0=hi&vars=%E8%AF%BB%E4%B9%A6%E4%BC%9A:host%3Dx&tier=core",
		"text=%E5%8A%A0%E5%BE%AE%E4%BF%A1&sel_group=1&sel_group=x&stagger=5",
		"title=t&sel_group=1&goal=3&start=2026-01-01&end=2026-01-05&window_start=05:00&window_end=23:00&id=99",
		"amount=-5&reason=x&key=k&reward=1&delivery=%E6%9D%AD%E5%B7%9E",
		"month=2026-13&top=0&points=1e9&window_days=7&core_active_days=x",
		"email=a@b&password=short&role=god&token_name=%00",
		"w_form=1&w_enabled=on&w_text=&w_batch_seconds=x&reset=",
		"keywords=%E5%8A%A0%E5%BE%AE%E4%BF%A1|1&regexes=(a+)+$&action=delete&threshold=0.9",
		"message=1&reply=2&daily_cap=-5&invite_stays=99999999999999999999",
		"platform=matrix&name=bot&config={&secret=x",
		"%ff=%fe&a=%00", "steps=" + string(bytes.Repeat([]byte("9"), 300)),
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		path := formRoutes[int(route)%len(formRoutes)]
		r := httptest.NewRequest("POST", path, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", "http://example.com")
		r.Host = "example.com"
		r.AddCookie(&http.Cookie{Name: "shequn_session", Value: secret})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("POST %s %q → %d: %s", path, body, w.Code, w.Body.String())
		}
	})
}
