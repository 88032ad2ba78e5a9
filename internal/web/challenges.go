package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func (c *Console) challenges(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "challenges", nil)
	chs, err := c.app.FindChallenges(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	type row struct {
		*shequn.Challenge
		Stats shequn.ChallengeStats
	}
	var rows []row
	for _, ch := range chs {
		st, err := c.app.ChallengeStats(r.Context(), ws(r), ch)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		rows = append(rows, row{ch, st})
	}
	choices, err := c.app.Choices(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	today := c.app.Clock.Now().In(ws(r).Location())
	// The form: a new challenge, or the one asked for (?edit=ID).
	edit := &shequn.Challenge{Title: "", Start: today.Format(time.DateOnly), End: today.AddDate(0, 0, 20).Format(time.DateOnly), Goal: 21,
		WindowStart: "05:00", WindowEnd: "23:00", ReminderAt: "20:00", MinLength: 5, Makeups: 2, DailyPoints: 2, RewardPoints: 50}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); id > 0 {
		if edit, err = c.app.FindChallenge(r.Context(), ws(r), id); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	chosen := edit.CommunityIDs
	if fs := formOf(r); fs != nil {
		chosen = groupIDs(fs.Values[selGroup])
		edit.ID, _ = strconv.ParseInt(fs.Values.Get("id"), 10, 64)
	}
	v.Data = map[string]any{"Rows": rows, "Edit": edit, "Choices": choices, "Chosen": chosen}
	c.render(w, r, "challenges", http.StatusOK, v)
}

func (c *Console) saveChallenge(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	ch := &shequn.Challenge{Title: f.Get("title"), Goal: num("goal"), Start: f.Get("start"), End: f.Get("end"),
		WindowStart: f.Get("window_start"), WindowEnd: f.Get("window_end"), MinLength: num("min_length"), RequireImage: f.Get("require_image") == "on",
		Makeups: num("makeups"), ReminderAt: f.Get("reminder_at"), DailyPoints: int64(num("daily_points")), RewardPoints: int64(num("reward_points"))}
	ch.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	ch.CommunityIDs = groupIDs(f[selGroup])
	if err := c.app.SaveChallenge(r.Context(), ws(r), op(r), ch); err != nil {
		c.reshow(w, r, err, c.challenges, inputOf)
		return
	}
	http.Redirect(w, r, "/challenges/"+strconv.FormatInt(ch.ID, 10), http.StatusSeeOther)
}

func (c *Console) challenge(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	wsp := ws(r)
	ch, err := c.app.FindChallenge(r.Context(), wsp, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	st, err := c.app.ChallengeStats(r.Context(), wsp, ch)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view(r, "engage", "challenges", nil)
	v.Title = ch.Title
	x, counts := []string{}, []int{}
	for _, d := range st.Days {
		x, counts = append(x, d.Day), append(counts, d.Checkins)
	}
	links := map[int64]string{}
	for _, m := range st.Leaders {
		links[m.MemberID] = app.CheckinLink(ch, m.MemberID)
	}
	v.Data = map[string]any{"Challenge": ch, "Stats": st, "Links": links,
		"Chart": chart{X: x, Series: []chartSeries{{translate(v.Lang, "checkins"), "bar", counts}}, Partial: partialIfToday(v.Lang, x, c.app.Clock.Now().In(ws(r).Location()))}}
	c.render(w, r, "challenge", http.StatusOK, v)
}

// checkinPage is the public mobile check-in page of a signed member link.
func (c *Console) checkinPage(w http.ResponseWriter, r *http.Request) {
	c.checkinRender(w, r, "")
}

func (c *Console) checkinPost(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	reply, err := c.app.CheckInWeb(r.Context(), id, member, r.PathValue("sig"), r.FormValue("proof"), r.FormValue("makeup"))
	if err != nil {
		reply = shequn.ErrorMessage(err)
	}
	c.checkinRender(w, r, reply)
}

func (c *Console) checkinRender(w http.ResponseWriter, r *http.Request, reply string) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	ch, wsp, err := c.app.CheckinPage(r.Context(), id, member, r.PathValue("sig"))
	l := lang(r, "")
	if err != nil {
		http.Error(w, translate(l, "not_found"), http.StatusNotFound)
		return
	}
	st, err := c.app.ChallengeStats(r.Context(), wsp, ch)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var mine shequn.ChallengeMember
	for _, m := range st.Leaders {
		if m.MemberID == member {
			mine = m
		}
	}
	v := view{Lang: l, Title: ch.Title, Workspace: wsp, Data: map[string]any{"Challenge": ch, "Me": mine, "Reply": reply, "Path": r.URL.Path}}
	c.render(w, r, "checkin", http.StatusOK, v)
}

// partialIfToday labels a chart's last day as partial when it is today.
func partialIfToday(l string, days []string, now time.Time) string {
	if len(days) > 0 && days[len(days)-1] == now.Format(time.DateOnly) {
		return translate(l, "today_partial")
	}
	return ""
}
