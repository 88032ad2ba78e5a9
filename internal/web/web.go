// Package web is shequn's console: server-rendered pages (html/template),
// htmx for interaction and ECharts for charts, all assets embedded.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

const sessionCookie = "shequn_session"

// Console serves the web console.
type Console struct {
	app   *app.App
	mux   *http.ServeMux
	pages map[string]*template.Template
	log   *slog.Logger
}

// New returns the console handler.
func New(a *app.App) *Console {
	c := &Console{app: a, mux: http.NewServeMux(), log: a.Log}
	c.pages = parsePages()
	static, _ := fs.Sub(staticFS, "static")
	c.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	c.mux.HandleFunc("GET /login", c.loginPage)
	c.mux.HandleFunc("POST /login", c.login)
	c.mux.HandleFunc("POST /logout", c.logout)
	c.mux.HandleFunc("GET /lang/{lang}", c.setLang)
	c.mux.HandleFunc("GET /{$}", c.auth(c.overview))
	c.mux.HandleFunc("GET /communities", c.auth(c.communities))
	c.mux.HandleFunc("GET /communities/{id}", c.auth(c.community))
	c.mux.HandleFunc("POST /communities/{id}", c.auth(c.editCommunity))
	c.mux.HandleFunc("GET /members", c.auth(c.members))
	c.mux.HandleFunc("GET /members/{id}", c.auth(c.member))
	c.moderationRoutes()
	c.incentiveRoutes()
	c.aliveRoutes()
	c.connectorRoutes()
	return c
}

func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	c.mux.ServeHTTP(w, r)
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

var funcs = template.FuncMap{
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
	"ts":   func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"tsp":  func(t *time.Time) string { return fmtPtr(t, time.UTC) },
	"mask": func(p string) string { return shequn.MaskPhone(p) },
	"query": func(kv ...any) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if s := fmt.Sprint(kv[i+1]); s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		return template.URL(v.Encode())
	},
	"add":  func(a, b int) int { return a + b },
	"has":  func(xs []string, x string) bool { return slices.Contains(xs, x) },
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"list": func(xs ...string) []string { return xs },
	// qs re-encodes a stored query string so it can stand in a link.
	"qs":   func(s string) template.URL { v, _ := url.ParseQuery(s); return template.URL(v.Encode()) },
	"prev": func(off, limit int) int { return max(0, off-limit) },
	"join": strings.Join,
	"dur":  fmtDuration,
	// extra lists the ints from..to-1 (blank editor rows).
	"extra": func(from, to int) []int {
		var out []int
		for i := from; i < to; i++ {
			out = append(out, i)
		}
		return out
	},
	"actionAt": func(acts []shequn.Action, i int) shequn.Action {
		if i < len(acts) {
			return acts[i]
		}
		return shequn.Action{}
	},
}

func fmtPtr(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// parsePages pairs every page template with the layout; a broken template
// fails at start.
func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t := template.New("layout.html").Funcs(funcs).Funcs(template.FuncMap{"t": func(string) string { return "" }})
		pages[base] = template.Must(t.ParseFS(templateFS, "templates/layout.html", n))
	}
	return pages
}

// view is what every page template receives.
type view struct {
	Lang      string
	Title     string
	Operator  *shequn.Operator
	Workspace *shequn.Workspace
	Nav       string
	Data      any
	Error     string
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, page string, status int, v view) {
	t, ok := c.pages[page]
	if !ok {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	t, err := c.withFuncs(t, v)
	name := "layout.html"
	if err == nil && r.Header.Get("HX-Request") == "true" && t.Lookup("partial") != nil {
		name = "partial"
	}
	c.execute(w, t, err, page, name, status, v)
}

// renderBlock renders one named template of a page (htmx fragments).
func (c *Console) renderBlock(w http.ResponseWriter, r *http.Request, page, block string, v view) {
	t, ok := c.pages[page]
	if !ok {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	t, err := c.withFuncs(t, v)
	c.execute(w, t, err, page, block, http.StatusOK, v)
}

// withFuncs clones a page template with the view's language and zone.
func (c *Console) withFuncs(t *template.Template, v view) (*template.Template, error) {
	l, loc := v.Lang, v.Workspace.Location()
	t, err := t.Clone()
	if err != nil {
		return nil, err
	}
	return t.Funcs(template.FuncMap{
		"t":   func(k string) string { return translate(l, k) },
		"ts":  func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"tsp": func(t *time.Time) string { return fmtPtr(t, loc) },
	}), nil
}

func (c *Console) execute(w http.ResponseWriter, t *template.Template, err error, page, name string, status int, v view) {
	var b strings.Builder
	if err == nil {
		err = t.ExecuteTemplate(&b, name, v)
	}
	if err != nil {
		c.log.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

type ctxKey struct{}

type session struct {
	op *shequn.Operator
	ws *shequn.Workspace
}

// auth requires a logged-in operator.
func (c *Console) auth(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var secret string
		if ck, err := r.Cookie(sessionCookie); err == nil {
			secret = ck.Value
		}
		op, ws, err := c.app.Session(r.Context(), secret)
		if err != nil {
			if shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
				c.log.Error("session", "err", err)
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, &session{op, ws})))
	}
}

func (c *Console) view(r *http.Request, nav, title string, data any) view {
	s := r.Context().Value(ctxKey{}).(*session)
	l := lang(r, s.op.Lang)
	return view{Lang: l, Title: translate(l, title), Operator: s.op, Workspace: s.ws, Nav: nav, Data: data}
}

func ws(r *http.Request) *shequn.Workspace { return r.Context().Value(ctxKey{}).(*session).ws }

// sameOrigin rejects cross-site form posts.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch shequn.ErrorCode(err) {
	case shequn.ENOTFOUND:
		status = http.StatusNotFound
	case shequn.EINVALID:
		status = http.StatusBadRequest
	case shequn.EFORBIDDEN:
		status = http.StatusForbidden
	case shequn.ECONFLICT:
		status = http.StatusConflict
	default:
		c.log.Error("console", "path", r.URL.Path, "err", err)
	}
	v := c.view(r, "", "not_found", nil)
	v.Error = shequn.ErrorMessage(err)
	c.render(w, r, "error", status, v)
}

// fmtDuration writes a duration as 3h12m, 5m, 40s.
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
