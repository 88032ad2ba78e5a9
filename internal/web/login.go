package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	l := lang(r, "")
	c.render(w, r, "login", http.StatusOK, view{Lang: l, Title: translate(l, "login"), Workspace: &shequn.Workspace{}, Data: safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps redirects on this site: a path (with its query) and
// nothing a browser could read as another origin — no scheme or host, no
// "//" or "/\" start, no control characters (browsers drop tabs and
// newlines, so "/\t/evil" would become "//evil").
func safeNext(n string) string {
	if n == "" || strings.ContainsFunc(n, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	out := u.EscapedPath()
	if strings.HasPrefix(out, "//") {
		return "/"
	}
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	l := lang(r, "")
	next := safeNext(r.PostFormValue("next"))
	secret, op, err := c.app.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), c.trust.ClientIP(r).String())
	if err != nil {
		status, msg := http.StatusUnauthorized, translate(l, "login_failed")
		switch shequn.ErrorCode(err) {
		case shequn.ETOOMANY:
			wait := int(shequn.ErrorRetryAfter(err).Seconds() + 0.999)
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			status, msg = http.StatusTooManyRequests, strings.ReplaceAll(translate(l, "login_limited"), "{seconds}", strconv.Itoa(wait))
			c.metrics.Login("limited")
		case shequn.EUNAUTHORIZED:
			c.metrics.Login("failed")
		default:
			c.log.Error("login", "err", err)
			status, msg = http.StatusInternalServerError, translate(l, "internal_error")
		}
		c.render(w, r, "login", status, view{Lang: l, Title: translate(l, "login"), Workspace: &shequn.Workspace{}, Data: next, Error: msg})
		return
	}
	c.metrics.Login("ok")
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: c.trust.Secure(r), Expires: time.Now().Add(app.SessionTTL)})
	c.log.Info("operator logged in", "operator", op.ID)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := c.app.Logout(r.Context(), ck.Value); err != nil {
			c.log.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.trust.Secure(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang stores the language chosen with the console's language button
// (a POST: a link cannot change state).
func (c *Console) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "en" && l != "zh" {
		c.fail(w, r, shequn.Errorf(shequn.EINVALID, "language %q: want en or zh", l))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: c.trust.Secure(r)})
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if op, _, err := c.app.Session(r.Context(), ck.Value); err == nil {
			if err := c.app.SetLanguage(r.Context(), op, l); err != nil {
				c.log.Error("set language", "err", err)
			}
		}
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// langLink serves old language links without changing anything: the page
// named by next is shown in the language asked for (?lang=).
func (c *Console) langLink(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "en" && l != "zh" {
		l = "en"
	}
	next := safeNext(r.URL.Query().Get("next"))
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	http.Redirect(w, r, next+sep+"lang="+l, http.StatusSeeOther)
}
