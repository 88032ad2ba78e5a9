package web

import (
	"net/http"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// chart is the data a [data-chart] element draws.
type chart struct {
	X      []string      `json:"x"`
	Series []chartSeries `json:"series"`
	// Partial, when set, labels the last day as not over yet: it is drawn
	// lighter (bars) or dashed (lines), with this label.
	Partial string `json:"partial,omitempty"`
}

type chartSeries struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data []int  `json:"data"`
}

// dailyCharts fills every day of win, including days with no activity;
// today, the window's last day, is drawn as partial.
func dailyCharts(l string, win shequn.DayRange, days []shequn.DayStats) (msgs, active, flow chart) {
	byDay := map[string]shequn.DayStats{}
	for _, d := range days {
		byDay[d.Day] = d
	}
	var x []string
	var m, a, j, lv []int
	from, _ := time.Parse(time.DateOnly, win.From)
	to, _ := time.Parse(time.DateOnly, win.To)
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		s := byDay[d.Format(time.DateOnly)]
		x = append(x, d.Format("01-02"))
		m, a, j, lv = append(m, s.Messages), append(a, s.ActiveMembers), append(j, s.Joins), append(lv, -s.Leaves)
	}
	partial := translate(l, "today_partial")
	msgs = chart{X: x, Series: []chartSeries{{translate(l, "messages"), "bar", m}}, Partial: partial}
	active = chart{X: x, Series: []chartSeries{{translate(l, "active_members"), "line", a}}, Partial: partial}
	flow = chart{X: x, Series: []chartSeries{{translate(l, "joins"), "bar", j}, {translate(l, "leaves"), "bar", lv}}, Partial: partial}
	return
}

type overviewData struct {
	Attention              app.Attention
	Overview               shequn.Overview
	Messages, Active, Flow chart
	Top                    []*shequn.CommunitySummary
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "overview", "overview", nil)
	wsp := ws(r)
	now := c.app.Clock.Now()
	win30 := shequn.LastDays(now, wsp.Location(), shequn.WindowDays)
	o, err := c.app.Overview(r.Context(), wsp, win30)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	win90 := shequn.LastDays(now, wsp.Location(), shequn.ChartDays)
	days, err := c.app.WorkspaceDays(r.Context(), wsp, win90)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	top, _, err := c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{Limit: 10}, win30)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	at, err := c.app.Attention(r.Context(), wsp)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := overviewData{Attention: at, Overview: o, Top: top}
	d.Messages, d.Active, d.Flow = dailyCharts(v.Lang, win90, days)
	v.Data = d
	c.render(w, r, "overview", http.StatusOK, v)
}
