package web

import (
	"net/http"
	"time"

	"github.com/shequn/shequn"
)

type calendarDay struct {
	Day   string
	Count int
	Items []shequn.Planned
}

// calendar shows the next 7 days of scheduled sends, by day.
func (c *Console) calendar(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "calendar", nil)
	wsp := ws(r)
	now := c.app.Clock.Now()
	items, err := c.app.Calendar(r.Context(), wsp, now, now.Add(7*24*time.Hour))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var days []*calendarDay
	for _, it := range items {
		local := it.Due.In(wsp.Location())
		d := local.Format("2006-01-02 Mon")
		if v.Lang == "zh" {
			d = local.Format("2006-01-02") + " 周" + string([]rune("日一二三四五六")[local.Weekday()])
		}
		if len(days) == 0 || days[len(days)-1].Day != d {
			days = append(days, &calendarDay{Day: d})
		}
		cd := days[len(days)-1]
		cd.Count++
		if len(cd.Items) < 100 {
			cd.Items = append(cd.Items, it)
		}
	}
	v.Data = map[string]any{"Days": days, "Total": len(items)}
	c.render(w, r, "calendar", http.StatusOK, v)
}
