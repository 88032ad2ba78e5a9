// Package web is shequn's console: server-rendered pages (html/template),
// htmx for interaction and ECharts for charts, all assets embedded.
package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/metrics"
	"github.com/shequn/shequn/internal/proxy"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

const sessionCookie = "shequn_session"

// Console serves the web console.
type Console struct {
	app     *app.App
	mux     *http.ServeMux
	pages   map[string]*template.Template
	log     *slog.Logger
	trust   proxy.Trust
	metrics *metrics.Metrics
}

// Option configures the console.
type Option func(*Console)

// WithTrust names the reverse proxies whose X-Forwarded-* headers are
// believed (client address for login limits, HTTPS for Secure cookies).
func WithTrust(t proxy.Trust) Option { return func(c *Console) { c.trust = t } }

// WithMetrics counts logins into m.
func WithMetrics(m *metrics.Metrics) Option { return func(c *Console) { c.metrics = m } }

// New returns the console handler.
func New(a *app.App, opts ...Option) *Console {
	c := &Console{app: a, mux: http.NewServeMux(), log: a.Log}
	for _, o := range opts {
		o(c)
	}
	if c.metrics == nil {
		c.metrics = metrics.New()
	}
	c.pages = parsePages()
	c.routes()
	return c
}

func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	c.mux.ServeHTTP(w, r)
}

// static serves the embedded assets: files only (no directory listings),
// and a clean 404 for names that are not files.
func (c *Console) static() http.Handler {
	files, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if !utf8.ValidString(name) || !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		if st, err := fs.Stat(files, name); err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeFileFS(w, r, files, name)
	}))
}

var funcs = template.FuncMap{
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
	"ts":           func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"tsp":          func(t *time.Time) string { return fmtPtr(t, time.UTC) },
	"mask":         func(p string) string { return shequn.MaskPhone(p) },
	"maskContacts": app.MaskContacts,
	"query": func(kv ...any) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if s := fmt.Sprint(kv[i+1]); s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		return template.URL(v.Encode())
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	// cents is an amount in cents as units (¥12.50)
	"cents": func(c int64) float64 { return float64(c) / 100 },
	"tiers": func() []string { return shequn.Tiers },
	"deref": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"zones": func() []string { return commonZones },
	"hasID": func(ids []int64, id int64) bool { return slices.Contains(ids, id) },
	// dict makes a map of key-value pairs, for templates that take several.
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"has": func(xs []string, x string) bool { return slices.Contains(xs, x) },
	// ratio is a/b as a whole percentage.
	"ratio": func(a, b int) string {
		if b == 0 {
			return ""
		}
		return fmt.Sprintf("%.0f%%", float64(a)*100/float64(b))
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	// analytics
	"cellPct":     cellPct,
	"sparkPoints": sparkPoints,
	"scoreBand":   func(score int) int { return min(score/25, 3) },
	"list":        func(xs ...string) []string { return xs },
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
	// caseRow pairs a case with the page's view for the row template.
	"caseRow": func(v view, c app.CaseView) caseRowData { return caseRowData{View: v, Case: c} },
	"actionAt": func(acts []shequn.Action, i int) shequn.Action {
		if i < len(acts) {
			return acts[i]
		}
		return shequn.Action{}
	},
}

// commonZones are offered for a group's time zone (any IANA name works).
var commonZones = []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
	"Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Moscow", "America/New_York",
	"America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney", "Pacific/Auckland", "UTC"}

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
		t := template.New("layout.html").Funcs(funcs).Funcs(formFuncs(nil)).Funcs(template.FuncMap{"t": func(string) string { return "" }, "runAt": func(time.Time) string { return "" },
			"whenText": func(*shequn.Repeat, string) string { return "" }, "reasonText": func(string) string { return "" },
			"outboxWords": func(*shequn.OutboxItem) template.HTML { return "" }, "details": func(map[string]any) []detailLine { return nil },
			"sourceText": func(string) string { return "" }, "dtl": func(time.Time) string { return "" }})
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
	Path      string     // the page's own path and query (language switch)
	Form      *formState // a refused post shown again
	// Standalone pages (a report saved to a file) carry their styles
	// inline and no console controls.
	Standalone bool
	InlineCSS  template.CSS
	// Public pages for visitors (a live code's) load no scripts.
	Public bool
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, page string, status int, v view) {
	if fs := formOf(r); fs != nil && v.Form == nil {
		v.Form = fs
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
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
	return t.Funcs(formFuncs(v.Form)).Funcs(template.FuncMap{
		"t":  func(k string) string { return translate(l, k) },
		"ts": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		// sourceText says a join source in l; a channel code as written.
		"sourceText": func(s string) string { return sourceText(l, s) },
		"tsp":        func(t *time.Time) string { return fmtPtr(t, loc) },
		// dtl is a time as a datetime-local input's value in the zone.
		"dtl": func(t time.Time) string { return t.In(loc).Format("2006-01-02T15:04") },
		// runAt is a planned run in its own zone, with its weekday.
		"runAt": func(t time.Time) string { return runAt(l, t) },
		// details says an alert's details in l, times in the zone.
		"details": func(d map[string]any) []detailLine { return alertDetails(l, loc, d) },
		// outboxWords says what an outbox row does, in l.
		"outboxWords": func(o *shequn.OutboxItem) template.HTML { return outboxWords(l, o) },
		// reasonText says a points entry's reason in l.
		"reasonText": func(s string) string { return reasonText(l, s) },
		// whenText says a schedule in words.
		"whenText": func(r *shequn.Repeat, cron string) string { return whenText(l, r, cron) },
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

// runAt writes a planned time with its weekday: "Mon 12-01 08:00",
// "12-01 周一 08:00".
func runAt(l string, t time.Time) string {
	wd := translate(l, "wd_"+strconv.Itoa(int(t.Weekday())))
	if l == "zh" {
		return t.Format("01-02 ") + wd + t.Format(" 15:04")
	}
	return wd + t.Format(" 01-02 15:04")
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
