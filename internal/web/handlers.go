package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "login", http.StatusOK, view{Lang: lang(r, ""), Title: translate(lang(r, ""), "login"), Data: safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps redirects on this site.
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.HasPrefix(n, "/\\") {
		return "/"
	}
	return n
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	l := lang(r, "")
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	secret, op, err := c.app.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"))
	if err != nil {
		if shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
			c.log.Error("login", "err", err)
		}
		c.render(w, r, "login", http.StatusUnauthorized, view{Lang: l, Title: translate(l, "login"), Data: safeNext(r.PostFormValue("next")), Error: translate(l, "login_failed")})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil, Expires: time.Now().Add(14 * 24 * time.Hour)})
	c.log.Info("operator logged in", "operator", op.ID)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := c.app.Logout(r.Context(), ck.Value); err != nil {
			c.log.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (c *Console) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "en" && l != "zh" {
		http.Error(w, "language: en or zh", http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if op, _, err := c.app.Session(r.Context(), ck.Value); err == nil {
			c.app.DB.UpdateOperatorLang(r.Context(), op.ID, l)
		}
	}
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// chart is the data a [data-chart] element draws.
type chart struct {
	X      []string      `json:"x"`
	Series []chartSeries `json:"series"`
}

type chartSeries struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data []int  `json:"data"`
}

// dailyCharts fills every day of win, including days with no activity.
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
	msgs = chart{X: x, Series: []chartSeries{{translate(l, "messages"), "bar", m}}}
	active = chart{X: x, Series: []chartSeries{{translate(l, "active_members"), "line", a}}}
	flow = chart{X: x, Series: []chartSeries{{translate(l, "joins"), "bar", j}, {translate(l, "leaves"), "bar", lv}}}
	return
}

type overviewData struct {
	Overview               shequn.Overview
	Messages, Active, Flow chart
	Top                    []*shequn.CommunitySummary
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "overview", "overview", nil)
	wsp := ws(r)
	now := c.app.Clock.Now()
	win30 := shequn.LastDays(now, wsp.Location(), 30)
	o, err := c.app.DB.Overview(r.Context(), wsp.ID, win30)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	win90 := shequn.LastDays(now, wsp.Location(), 90)
	days, err := c.app.DB.WorkspaceDays(r.Context(), wsp.ID, win90)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	top, _, err := c.app.DB.FindCommunities(r.Context(), wsp.ID, shequn.CommunityFilter{Limit: 10}, win30)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := overviewData{Overview: o, Top: top}
	d.Messages, d.Active, d.Flow = dailyCharts(v.Lang, win90, days)
	v.Data = d
	c.render(w, r, "overview", http.StatusOK, v)
}

var tierNames = []string{shequn.TierCore, shequn.TierActive, shequn.TierRegular, shequn.TierNewcomer, shequn.TierLurker, shequn.TierDormant, shequn.TierChurned}

type listData struct {
	Query, Platform, Sort string
	Tier                  string
	Tiers                 []string
	Segments              []*shequn.Segment
	FilterQuery           string
	Community             int64
	Communities           []*shequn.CommunitySummary
	Members               []*shequn.MemberSummary
	Total, Offset, Limit  int
	Platforms             []string
}

func offsetOf(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("offset"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

var knownPlatforms = []string{"wecom", "qq", "telegram", "matrix", "discord", "slack", "webhook"}

func (c *Console) communities(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "communities", "communities", nil)
	wsp := ws(r)
	q := r.URL.Query()
	d := listData{Query: q.Get("q"), Platform: q.Get("platform"), Offset: offsetOf(r), Limit: 50, Platforms: knownPlatforms}
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), 30)
	cs, total, err := c.app.DB.FindCommunities(r.Context(), wsp.ID, shequn.CommunityFilter{Query: d.Query, Platform: d.Platform, Limit: d.Limit, Offset: d.Offset}, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Communities, d.Total = cs, total
	v.Data = d
	c.render(w, r, "communities", http.StatusOK, v)
}

type communityData struct {
	Saved                     bool
	Kinds, Stages, Structures []string
	Community                 *shequn.Community
	Stats                     shequn.CommunityStats
	Messages, Active, Flow    chart
	Events                    []*shequn.StoredEvent
	Members                   []*shequn.MemberSummary
}

func (c *Console) community(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "communities", "community", nil)
	wsp := ws(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "community %q not found", r.PathValue("id")))
		return
	}
	cm, err := c.app.DB.FindCommunityByID(r.Context(), wsp.ID, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.app.Clock.Now()
	win := shequn.LastDays(now, wsp.Location(), 90)
	days, err := c.app.DB.CommunityDays(r.Context(), wsp.ID, id, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := communityData{Community: cm, Saved: r.URL.Query().Get("saved") == "1",
		Kinds: app.CommunityKinds, Stages: app.CommunityStages, Structures: app.CommunityStructures}
	d.Messages, d.Active, d.Flow = dailyCharts(v.Lang, win, days)
	for _, day := range days {
		d.Stats.Messages += day.Messages
		d.Stats.Joins += day.Joins
		d.Stats.Leaves += day.Leaves
	}
	if d.Events, err = c.app.DB.CommunityEvents(r.Context(), wsp.ID, id, shequn.Day(now, wsp.Location()), 30); err != nil {
		c.fail(w, r, err)
		return
	}
	win30 := shequn.LastDays(now, wsp.Location(), 30)
	if d.Members, _, err = c.app.DB.FindMembers(r.Context(), wsp.ID, shequn.MemberFilter{CommunityID: id, Status: shequn.StatusActive, Sort: "messages", Limit: 20}, win30); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Title = cm.Name
	v.Data = d
	c.render(w, r, "community", http.StatusOK, v)
}

func (c *Console) members(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "members", "members", nil)
	wsp := ws(r)
	q := r.URL.Query()
	d := listData{Query: strings.TrimSpace(q.Get("q")), Platform: q.Get("platform"), Sort: q.Get("sort"), Tier: q.Get("tier"), Offset: offsetOf(r), Limit: 50,
		Platforms: knownPlatforms, Tiers: tierNames}
	if d.Sort == "" {
		d.Sort = "messages"
	}
	d.Community, _ = strconv.ParseInt(q.Get("community"), 10, 64)
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), 30)
	f := shequn.MemberFilter{Query: d.Query, Platform: d.Platform, CommunityID: d.Community, Tier: d.Tier, Sort: d.Sort, Limit: d.Limit, Offset: d.Offset}
	ms, total, err := c.app.DB.FindMembers(r.Context(), wsp.ID, f, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Members, d.Total = ms, total
	if d.Communities, _, err = c.app.DB.FindCommunities(r.Context(), wsp.ID, shequn.CommunityFilter{}, win); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Segments, err = c.app.DB.FindSegments(r.Context(), wsp.ID); err != nil {
		c.fail(w, r, err)
		return
	}
	fq := url.Values{}
	for k, v := range map[string]string{"q": d.Query, "platform": d.Platform, "sort": d.Sort, "tier": d.Tier} {
		if v != "" {
			fq.Set(k, v)
		}
	}
	if d.Community != 0 {
		fq.Set("community", strconv.FormatInt(d.Community, 10))
	}
	d.FilterQuery = fq.Encode()
	v.Data = d
	c.render(w, r, "members", http.StatusOK, v)
}

func (c *Console) member(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "members", "member", nil)
	wsp := ws(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "member %q not found", r.PathValue("id")))
		return
	}
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), 90)
	p, err := c.app.MemberProfile(r.Context(), wsp, id, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Title = p.Member.DisplayName
	v.Data = p
	c.render(w, r, "member", http.StatusOK, v)
}

// editCommunity saves the settings form of a community page.
func (c *Console) editCommunity(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "community %q not found", r.PathValue("id")))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, shequn.Errorf(shequn.EINVALID, "bad form"))
		return
	}
	u, err := communityForm(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	s := r.Context().Value(ctxKey{}).(*session)
	if _, err := c.app.UpdateCommunityAs(r.Context(), s.op, s.ws, id, u); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/communities/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

func communityForm(r *http.Request) (shequn.CommunityUpdate, error) {
	f := func(k string) *string { v := strings.TrimSpace(r.PostFormValue(k)); return &v }
	capacity, err := strconv.Atoi(strings.TrimSpace(or(r.PostFormValue("capacity"), "0")))
	if err != nil {
		return shequn.CommunityUpdate{}, shequn.Errorf(shequn.EINVALID, "capacity %q: want a whole number", r.PostFormValue("capacity"))
	}
	bench := r.PostFormValue("benchmark") == "on"
	tags := []string{}
	for _, t := range strings.FieldsFunc(r.PostFormValue("tags"), func(r rune) bool { return r == ',' || r == '，' }) {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return shequn.CommunityUpdate{Kind: f("kind"), Theme: f("theme"), Structure: f("structure"), Stage: f("stage"),
		Rules: f("rules"), Capacity: &capacity, Benchmark: &bench, Tags: tags}, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *Console) saveSegment(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	r.ParseForm()
	s := r.Context().Value(ctxKey{}).(*session)
	seg, err := c.app.SaveSegment(r.Context(), s.op, s.ws, r.PostFormValue("name"), r.PostFormValue("filter"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/members?"+seg.Filter, http.StatusSeeOther)
}

func (c *Console) savePointsRule(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	s := r.Context().Value(ctxKey{}).(*session)
	if !s.op.CanEdit() {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not change points rules"))
		return
	}
	r.ParseForm()
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(k))); return n }
	rule := shequn.PointsRule{Message: num("message"), Reply: num("reply"), DailyCap: num("daily_cap"), MinLength: num("min_length")}
	if err := c.app.SavePointsRule(r.Context(), s.ws, rule); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards", http.StatusSeeOther)
}
