package web

import (
	"net/http"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/export"
)

// wantsDownload reports whether the page is asked for as a file.
func wantsDownload(r *http.Request) bool { return r.URL.Query().Get("format") != "" }

// startDownload prepares a download of rows like like, named after what.
func (c *Console) startDownload(w http.ResponseWriter, r *http.Request, what string, like any) (*export.Download, error) {
	wsp := ws(r)
	return export.NewDownload(w, r.URL.Query().Get("format"), export.FileName(wsp, what, c.app.Clock.Now()), like, wsp.Location())
}

// download sends rows as a CSV or Excel file.
func (c *Console) download(w http.ResponseWriter, r *http.Request, what string, rows any) {
	d, err := c.startDownload(w, r, what, rows)
	if err == nil {
		err = d.Write(rows)
	}
	c.finishDownload(w, r, d, err)
}

// finishDownload closes a download or answers its error: a page with the
// message while nothing went out, else a cut transfer.
func (c *Console) finishDownload(w http.ResponseWriter, r *http.Request, d *export.Download, err error) {
	if err == nil {
		err = d.Close()
	}
	switch {
	case err == nil:
	case d == nil || !d.Started():
		c.fail(w, r, err)
	default:
		c.log.Warn("export aborted", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// downloadMembers streams every member f matches, phone numbers masked.
func (c *Console) downloadMembers(w http.ResponseWriter, r *http.Request, f shequn.MemberFilter, win shequn.DayRange) {
	d, err := c.startDownload(w, r, "members", []export.MemberRow(nil))
	if err == nil {
		err = c.app.EachMember(r.Context(), ws(r), f, win, func(m *shequn.MemberSummary) error { return d.WriteOne(export.Member(m)) })
	}
	c.finishDownload(w, r, d, err)
}

// downloadCommunities exports every group the filter selects.
func (c *Console) downloadCommunities(w http.ResponseWriter, r *http.Request, f shequn.CommunityFilter, win shequn.DayRange) {
	d, err := c.startDownload(w, r, "communities", []*shequn.CommunitySummary(nil))
	if err == nil {
		err = export.WritePages(d, func(limit, offset int) ([]*shequn.CommunitySummary, error) {
			f.Limit, f.Offset = limit, offset
			cs, _, err := c.app.FindCommunities(r.Context(), ws(r), f, win)
			return cs, err
		})
	}
	c.finishDownload(w, r, d, err)
}

// cohortRow is a join-week cohort as one row of a spreadsheet.
type cohortRow struct {
	Week  string `json:"week"`
	Start string `json:"start"`
	Size  int    `json:"size"`
	D1    *int   `json:"stayed_day_1"`
	D7    *int   `json:"stayed_day_7"`
	D14   *int   `json:"stayed_day_14"`
	D30   *int   `json:"stayed_day_30"`
	W1    *int   `json:"active_week_1"`
	W2    *int   `json:"active_week_2"`
	W3    *int   `json:"active_week_3"`
	W4    *int   `json:"active_week_4"`
	W5    *int   `json:"active_week_5"`
	W6    *int   `json:"active_week_6"`
	W7    *int   `json:"active_week_7"`
	W8    *int   `json:"active_week_8"`
}

func cohortRows(rep shequn.CohortReport) []cohortRow {
	at := func(xs []*int, i int) *int {
		if i < len(xs) {
			return xs[i]
		}
		return nil
	}
	out := make([]cohortRow, len(rep.Cohorts))
	for i, c := range rep.Cohorts {
		out[i] = cohortRow{Week: c.Week, Start: c.Start, Size: c.Size,
			D1: at(c.Stayed, 0), D7: at(c.Stayed, 1), D14: at(c.Stayed, 2), D30: at(c.Stayed, 3),
			W1: at(c.Active, 0), W2: at(c.Active, 1), W3: at(c.Active, 2), W4: at(c.Active, 3),
			W5: at(c.Active, 4), W6: at(c.Active, 5), W7: at(c.Active, 6), W8: at(c.Active, 7)}
	}
	return out
}

// downloadAnalytics sends one of the analytics page's tables (?table=).
func (c *Console) downloadAnalytics(w http.ResponseWriter, r *http.Request, d *analyticsData) {
	switch t := r.URL.Query().Get("table"); t {
	case "health":
		c.download(w, r, "health", d.Health)
	case "groups":
		c.download(w, r, "pareto-groups", d.Pareto.Groups)
	case "posters":
		c.download(w, r, "top-posters", d.Pareto.Members)
	case "cohorts":
		c.download(w, r, "cohorts", cohortRows(d.Cohorts))
	case "inviters":
		c.download(w, r, "inviters", d.Inviters)
	case "replied":
		c.download(w, r, "most-replied", d.Highlights.MostReplied)
	case "reacted":
		c.download(w, r, "most-reacted", d.Highlights.MostReacted)
	case "answers":
		c.download(w, r, "best-answers", d.Highlights.BestAnswers)
	case "daily", "":
		c.download(w, r, "daily", d.Summary.Rolling)
	default:
		c.fail(w, r, shequn.Errorf(shequn.EINVALID, "table %q: want health, groups, posters, inviters, cohorts, replied, reacted, answers or daily", t))
	}
}
