package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

type boardData struct {
	Period, At  string
	Month       string // the last full month, for the award form
	Awarded     string
	Community   int64
	Communities []*shequn.CommunitySummary
	Rows        []shequn.LeaderboardRow
	PeriodKey   string
}

func (c *Console) leaderboards(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "points", "leaderboards", nil)
	wsp := ws(r)
	q := r.URL.Query()
	d := boardData{Period: q.Get("period"), At: q.Get("at")}
	at := c.app.Clock.Now()
	if d.At != "" {
		t, err := time.ParseInLocation(time.DateOnly, d.At, wsp.Location())
		if err != nil {
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "at %q: want YYYY-MM-DD", d.At))
			return
		}
		at = t
	}
	d.At = at.In(wsp.Location()).Format(time.DateOnly)
	_, week, month := shequn.Periods(at, wsp.Location())
	d.PeriodKey = month
	if d.Period == "week" {
		d.PeriodKey = week
	} else {
		d.Period = "month"
	}
	d.Community, _ = strconv.ParseInt(q.Get("community"), 10, 64)
	d.Month = c.app.Clock.Now().In(wsp.Location()).AddDate(0, 0, -c.app.Clock.Now().In(wsp.Location()).Day()).Format("2006-01")
	d.Awarded = q.Get("awarded")
	var err error
	if d.Communities, _, err = c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{MembersOnly: true}, shequn.LastDays(at, wsp.Location(), shequn.WindowDays)); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Rows, err = c.app.Leaderboard(r.Context(), wsp, d.PeriodKey, d.Community, 100); err != nil {
		c.fail(w, r, err)
		return
	}
	if wantsDownload(r) {
		c.download(w, r, "leaderboard-"+d.PeriodKey, d.Rows)
		return
	}
	v.Data = d
	c.render(w, r, "leaderboards", http.StatusOK, v)
}

// awardMonthly grants points to each group's top members of a month.
func (c *Console) awardMonthly(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	top, err1 := strconv.Atoi(strings.TrimSpace(f.Get("top")))
	points, err2 := strconv.ParseInt(strings.TrimSpace(f.Get("points")), 10, 64)
	var err error
	switch {
	case err1 != nil:
		err = shequn.Invalid("top", "top: 1 to 100 members")
	case err2 != nil:
		err = shequn.Invalid("points", "points: 1 to %d", app.MaxPoints)
	}
	var n int
	if err == nil {
		n, err = c.app.AwardMonthlyTopBy(r.Context(), op(r), ws(r), strings.TrimSpace(f.Get("month")), top, points)
	}
	if err != nil {
		c.reshow(w, r, err, c.leaderboards, nil)
		return
	}
	http.Redirect(w, r, "/leaderboards?awarded="+strconv.Itoa(n)+"#award", http.StatusSeeOther)
}
