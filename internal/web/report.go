package web

import (
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

type reportData struct {
	Report   *shequn.WeeklyReport
	Cards    []card
	Text     string
	Weeks    []string
	Groups   []*shequn.Community
	Settings shequn.ReportSettings
	Saved    bool
}

// weeklyReport shows a week's report (the last full week by default),
// printable, with where its summary goes.
func (c *Console) weeklyReport(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "analytics", "report", nil)
	wsp, ctx := ws(r), r.Context()
	rep, err := c.app.WeeklyReport(ctx, wsp, strings.TrimSpace(r.URL.Query().Get("week")))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("format") {
	case "html":
		w.Header().Set("Content-Disposition", `attachment; filename="shequn-report-`+rep.Week+`.html"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := RenderReport(w, wsp, rep, v.Lang); err != nil {
			c.log.Error("render report", "err", err)
		}
		return
	case "json":
		w.Header().Set("Content-Disposition", `attachment; filename="shequn-report-`+rep.Week+`.json"`)
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return
	}
	d := reportData{Report: rep, Cards: cards(v.Lang, rep.Summary), Text: app.ReportText(rep, v.Lang), Saved: r.URL.Query().Get("saved") == "1"}
	if d.Weeks, err = c.app.WeeklyReportWeeks(ctx, wsp); err == nil {
		if d.Groups, err = c.app.ListCommunities(ctx, wsp); err == nil {
			d.Settings, err = c.app.ReportSettings(ctx, wsp)
		}
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "report", http.StatusOK, v)
}

// saveReportSettings sets the group and the language of the report.
func (c *Console) saveReportSettings(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(or(r.PostForm.Get("community"), "0"), 10, 64)
	if err != nil {
		err = shequn.Invalid("community", "community %q: want a group", r.PostForm.Get("community"))
	} else {
		err = c.app.SaveReportSettings(r.Context(), ws(r), op(r), shequn.ReportSettings{CommunityID: id, Lang: r.PostForm.Get("lang")})
	}
	if err != nil {
		c.reshow(w, r, err, c.weeklyReport, nil)
		return
	}
	http.Redirect(w, r, "/reports/weekly?saved=1#report-settings", http.StatusSeeOther)
}

// RenderReport writes a weekly report as one standalone HTML page in lang
// (zh or en), its styles inlined: what `shequn report weekly --format
// html` prints, to mail or archive.
func RenderReport(w io.Writer, ws *shequn.Workspace, rep *shequn.WeeklyReport, lang string) error {
	if lang != "en" {
		lang = "zh"
	}
	css, err := inlineCSS()
	if err != nil {
		return err
	}
	c := &Console{pages: parsePages(), log: slog.New(slog.DiscardHandler)}
	v := view{Lang: lang, Title: translate(lang, "weekly_report") + " " + rep.Week, Workspace: ws, Standalone: true, InlineCSS: css,
		Data: reportData{Report: rep, Cards: cards(lang, rep.Summary), Text: app.ReportText(rep, lang)}}
	t, err := c.withFuncs(c.pages["report"], v)
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, "layout.html", v)
}

// inlineCSS is the console's styles, for a page that stands alone.
func inlineCSS() (template.CSS, error) {
	var b strings.Builder
	for _, f := range []string{"static/vendor/pico.min.css", "static/app.css"} {
		data, err := staticFS.ReadFile(f)
		if err != nil {
			return "", err
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return template.CSS(b.String()), nil
}
