package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

func (c *Console) incentiveRoutes() {
	c.mux.HandleFunc("GET /leaderboards", c.auth(c.leaderboards))
	c.mux.HandleFunc("GET /rewards", c.auth(c.rewards))
	c.mux.HandleFunc("POST /rewards", c.auth(c.createReward))
	c.mux.HandleFunc("POST /redemptions/{id}/{verdict}", c.auth(c.closeRedemption))
	c.mux.HandleFunc("POST /segments", c.auth(c.saveSegment))
	c.mux.HandleFunc("POST /points/rule", c.auth(c.savePointsRule))
	c.mux.HandleFunc("GET /outbox", c.auth(c.outbox))
}

type outboxData struct {
	Status string
	Items  []*shequn.OutboxItem
}

// outbox lists the actions shequn decided to take on the platforms.
func (c *Console) outbox(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "outbox", nil)
	d := outboxData{Status: r.URL.Query().Get("status")}
	var err error
	if d.Items, err = c.app.DB.FindOutbox(r.Context(), ws(r).ID, 0, d.Status, 200); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "outbox", http.StatusOK, v)
}

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
	if d.Communities, _, err = c.app.DB.FindCommunities(r.Context(), wsp.ID, shequn.CommunityFilter{}, shequn.LastDays(at, wsp.Location(), 30)); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Rows, err = c.app.DB.Leaderboard(r.Context(), wsp.ID, d.PeriodKey, d.Community, 100); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "leaderboards", http.StatusOK, v)
}

type rewardsData struct {
	Rewards     []*shequn.Reward
	Redemptions []*shequn.Redemption
	Rule        shequn.PointsRule
}

func (c *Console) rewards(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "points", "rewards", nil)
	var d rewardsData
	var err error
	if d.Rewards, err = c.app.DB.FindRewards(r.Context(), ws(r).ID); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Redemptions, err = c.app.DB.FindRedemptions(r.Context(), ws(r).ID, "", 100); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Rule, err = c.app.DB.FindPointsRule(r.Context(), ws(r).ID); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "rewards", http.StatusOK, v)
}

func (c *Console) createReward(w http.ResponseWriter, r *http.Request) {
	s := r.Context().Value(ctxKey{}).(*session)
	if !sameOrigin(r) || !s.op.CanEdit() {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "not allowed"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	r.ParseForm()
	cost, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("cost")), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.EINVALID, "cost: want a whole number"))
		return
	}
	rw := &shequn.Reward{Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"), Cost: cost}
	if st := strings.TrimSpace(r.PostFormValue("stock")); st != "" {
		n, err := strconv.ParseInt(st, 10, 64)
		if err != nil {
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "stock: want a whole number or nothing"))
			return
		}
		rw.Stock = &n
	}
	rw.PerMemberLimit, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("per_member_limit")))
	if err := c.app.CreateReward(r.Context(), s.ws, rw); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards", http.StatusSeeOther)
}

func (c *Console) closeRedemption(w http.ResponseWriter, r *http.Request) {
	s := r.Context().Value(ctxKey{}).(*session)
	if !sameOrigin(r) || !s.op.CanEdit() {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "not allowed"))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	verdict := r.PathValue("verdict")
	if verdict != "fulfil" && verdict != "cancel" {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such action"))
		return
	}
	if err := c.app.CloseRedemption(r.Context(), s.ws, id, verdict == "fulfil"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards", http.StatusSeeOther)
}
