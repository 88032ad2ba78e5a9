package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
)

type boardData struct {
	Period, At  string
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
	var err error
	if d.Communities, _, err = c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{}, shequn.LastDays(at, wsp.Location(), 30)); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Rows, err = c.app.Leaderboard(r.Context(), wsp, d.PeriodKey, d.Community, 100); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "leaderboards", http.StatusOK, v)
}
