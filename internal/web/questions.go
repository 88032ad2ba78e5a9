package web

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

type questionRow struct {
	Community *shequn.Community
	Stats     shequn.QuestionStats
}

func (c *Console) questionsPage(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "questions", nil)
	wsp := ws(r)
	ctx := r.Context()
	since := c.app.Clock.Now().AddDate(0, 0, -shequn.WindowDays)
	community, _ := strconv.ParseInt(r.URL.Query().Get("community"), 10, 64)
	status := r.URL.Query().Get("status")
	if status != "open" && status != "answered" {
		status = ""
	}
	cs, err := c.app.ListCommunities(ctx, wsp)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	stats, err := c.app.QuestionStatsByCommunity(ctx, wsp, since)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var rows []questionRow
	for _, cm := range cs {
		if st := stats[cm.ID]; st.Asked > 0 {
			rows = append(rows, questionRow{cm, st})
		}
	}
	total := stats[community]
	qs, err := c.app.FindQuestions(ctx, wsp, shequn.QuestionFilter{CommunityID: community, Status: status, Since: since, Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Rows": rows, "Total": total, "Questions": qs, "Community": community, "Status": status, "Communities": cs}
	c.render(w, r, "questions", http.StatusOK, v)
}
