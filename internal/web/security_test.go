package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/proxy"
	"github.com/shequn/shequn/internal/web"
)

// bareConsole serves an empty workspace with an owner and a viewer; trust
// names the proxies believed.
func bareConsole(t *testing.T, trust string) (*httptest.Server, *app.App) {
	t.Helper()
	ctx := context.Background()
	a, _ := apptest.New(t, "demo", "Asia/Shanghai")
	for email, role := range map[string]shequn.Role{"ops@example.com": shequn.RoleOwner, "viewer@example.com": shequn.RoleViewer} {
		if _, err := a.CreateOperator(ctx, "demo", email, "", "correct horse", role); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := proxy.Parse(trust)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(a, web.New(a, web.WithTrust(tr))))
	t.Cleanup(srv.Close)
	return srv, a
}

func noFollow() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, header map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// Redirects stay on this site whatever next holds (the tab trick sent the
// browser to another origin before).
func TestRedirectsStayOnSite(t *testing.T) {
	srv, _ := bareConsole(t, "")
	for _, next := range []string{"/\t/127.0.0.1:28999/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/%09/evil.example",
		"javascript:alert(1)", "/\n/evil.example", "\t//evil.example", "/ok/../..//evil.example"} {
		t.Run(strings.ToValidUTF8(next, "?"), func(t *testing.T) {
			resp, err := noFollow().Get(srv.URL + "/lang/en?next=" + url.QueryEscape(next))
			if err != nil {
				t.Fatal(err)
			}
			if loc := resp.Header.Get("Location"); !sameSite(srv.URL, loc) {
				t.Fatalf("GET /lang → %q", loc)
			}
			resp = postForm(t, noFollow(), srv.URL+"/login", url.Values{"email": {"ops@example.com"}, "password": {"correct horse"}, "next": {next}}, nil)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !sameSite(srv.URL, loc) {
				t.Fatalf("POST /login → %d %q", resp.StatusCode, loc)
			}
		})
	}
	resp := postForm(t, noFollow(), srv.URL+"/login", url.Values{"email": {"ops@example.com"}, "password": {"correct horse"}, "next": {"/members?q=小王&sort=name"}}, nil)
	if loc := resp.Header.Get("Location"); !strings.EqualFold(loc, "/members?q=%E5%B0%8F%E7%8E%8B&sort=name") {
		t.Fatalf("a real next is kept: %q", loc)
	}
}

// sameSite resolves loc against base the way a browser does (dropping
// tabs and newlines) and checks it stays on base's origin.
func sameSite(base, loc string) bool {
	clean := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	b, _ := url.Parse(base)
	u, err := b.Parse(clean)
	return err == nil && u.Host == b.Host && u.Scheme == b.Scheme && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//")
}

// Five wrong passwords, then 429 with Retry-After and a notice in the
// operator's language, even for the right password.
func TestConsoleLoginLimit(t *testing.T) {
	srv, a := bareConsole(t, "")
	apptest.WithClock(a, time.Now()) // the wait does not count down while the test runs
	c := noFollow()
	for range 5 {
		if resp := postForm(t, c, srv.URL+"/login", url.Values{"email": {"ops@example.com"}, "password": {"wrong"}}, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader("email=ops%40example.com&password=correct+horse"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	notice := "30 秒"
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" || !strings.Contains(body, notice) {
		t.Fatalf("limited login: %d Retry-After %q, body holds the notice %q: %v", resp.StatusCode, resp.Header.Get("Retry-After"), notice, strings.Contains(body, notice))
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// The session cookie is Secure when the client's connection is HTTPS: here
// behind a trusted proxy that says so; a forged header from anyone else
// changes nothing.
func TestSecureCookieBehindTrustedProxy(t *testing.T) {
	for _, c := range []struct {
		name, trust string
		secure      bool
	}{{"trusted proxy says https", "127.0.0.1", true}, {"untrusted peer says https", "10.0.0.1", false}} {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := bareConsole(t, c.trust)
			resp := postForm(t, noFollow(), srv.URL+"/login", url.Values{"email": {"ops@example.com"}, "password": {"correct horse"}},
				map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
			var session *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == "shequn_session" {
					session = ck
				}
			}
			if session == nil || session.Secure != c.secure || !session.HttpOnly {
				t.Fatalf("session cookie %+v, want Secure=%v", session, c.secure)
			}
		})
	}
}

// A link cannot change state: GET /lang only shows the page in the
// language asked for; the POST stores the choice.
func TestLanguageSwitchChangesStateOnlyByPost(t *testing.T) {
	srv, _ := bareConsole(t, "")
	c := login(t, srv, "ops@example.com", "correct horse")
	resp, _ := c.Get(srv.URL + "/lang/zh?next=/members")
	if loc := resp.Header.Get("Location"); loc != "/members?lang=zh" {
		t.Fatalf("GET /lang → %q", loc)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "lang" {
			t.Fatal("GET /lang set the language cookie")
		}
	}
	resp = postForm(t, c, srv.URL+"/lang/zh", url.Values{"next": {"/members"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/members" {
		t.Fatalf("POST /lang: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page, _ := c.Get(srv.URL + "/members")
	if body := readAll(page); !strings.Contains(body, "成员") {
		t.Fatal("the choice was not kept")
	}
}

// Hostile console requests get 4xx in words, never 500.
func TestHostileConsoleInput(t *testing.T) {
	srv, a := bareConsole(t, "")
	owner := login(t, srv, "ops@example.com", "correct horse")
	viewer := login(t, srv, "viewer@example.com", "correct horse")
	ws, _ := a.FindWorkspace(context.Background(), "demo")
	conn, err := a.CreateConnector(context.Background(), ws, nil, "matrix", "bot", `{}`, "s")
	if err == nil || conn != nil {
		t.Fatalf("connectors need a runtime here: %v", err)
	}
	cases := []struct {
		name   string
		client *http.Client
		method string
		path   string
		form   url.Values
		status int
	}{
		{"a 50,000-character member search", owner, "GET", "/members?q=" + strings.Repeat("a", 50_000), nil, 400},
		{"a 50,000-character group search", owner, "GET", "/communities?q=" + strings.Repeat("a", 50_000), nil, 400},
		{"an invalid static name", owner, "GET", "/static/%ff", nil, 404},
		{"the static directory", owner, "GET", "/static/", nil, 404},
		{"a static sub-directory", owner, "GET", "/static/vendor/", nil, 404},
		{"a static file", owner, "GET", "/static/app.css", nil, 200},
		{"a viewer tests a connector", viewer, "POST", "/connectors/1/test", url.Values{}, 403},
		{"a viewer unblocks a member", viewer, "POST", "/moderation/blocklist/1/remove", url.Values{}, 403},
		{"a viewer saves the points rule", viewer, "POST", "/points/rule", url.Values{"message": {"5"}}, 403},
		{"a form over 64 KiB", owner, "POST", "/communities/1", url.Values{"name": {strings.Repeat("x", 70<<10)}}, 413},
		{"invalid UTF-8 in a form", owner, "POST", "/moderation/test", url.Values{"text": {"caf\xff"}}, 400},
		{"an unknown group", owner, "GET", "/communities/999999", nil, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var resp *http.Response
			if c.method == "GET" {
				resp, err = c.client.Get(srv.URL + c.path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			} else {
				resp = postForm(t, c.client, srv.URL+c.path, c.form, map[string]string{"Origin": srv.URL})
			}
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
		})
	}
}
