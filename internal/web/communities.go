package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

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
	// Capped: a search's matches were counted only up to the cap
	Capped bool
}

// CapText is a capped total as shown: "1000+".
func (listData) CapText() string { return strconv.Itoa(shequn.SearchCountCap) + "+" }

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
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), shequn.WindowDays)
	if wantsDownload(r) {
		c.downloadCommunities(w, r, shequn.CommunityFilter{Query: d.Query, Platform: d.Platform}, win)
		return
	}
	cs, total, err := c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{Query: d.Query, Platform: d.Platform, Limit: d.Limit, Offset: d.Offset}, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Communities, d.Total = cs, total
	v.Data = d
	c.render(w, r, "communities", http.StatusOK, v)
}

type communityData struct {
	Saved bool
	// Welcome is the group's own welcome (OwnWelcome) or the workspace's.
	Welcome                   shequn.WelcomeSettings
	OwnWelcome                bool
	Kinds, Stages, Structures []string
	Community                 *shequn.Community
	Stats                     shequn.CommunityStats
	Messages, Active, Flow    chart
	Events                    []*shequn.StoredEvent
	Members                   []*shequn.MemberSummary
	Health                    *shequn.GroupHealth
}

func (c *Console) community(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "communities", "community", nil)
	wsp := ws(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "community %q not found", r.PathValue("id")))
		return
	}
	cm, err := c.app.FindCommunity(r.Context(), wsp, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.app.Clock.Now()
	win := shequn.LastDays(now, wsp.Location(), 90)
	days, err := c.app.CommunityDays(r.Context(), wsp, id, win)
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
	if d.Events, err = c.app.CommunityEvents(r.Context(), wsp, id, shequn.Day(now, wsp.Location()), 30); err != nil {
		c.fail(w, r, err)
		return
	}
	win30 := shequn.LastDays(now, wsp.Location(), shequn.WindowDays)
	if d.Members, _, err = c.app.FindMembers(r.Context(), wsp, shequn.MemberFilter{CommunityID: id, Status: shequn.StatusActive, Sort: "messages", Limit: 20}, win30); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Health, err = c.groupHealth(r, id); err != nil {
		c.fail(w, r, err)
		return
	}
	wm, err := c.app.Welcome(r.Context(), wsp)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Welcome, d.OwnWelcome = wm[0], false
	if own, ok := wm[id]; ok {
		d.Welcome, d.OwnWelcome = own, true
	}
	v.Title = cm.Name
	v.Data = d
	c.render(w, r, "community", http.StatusOK, v)
}

// editCommunity saves the settings form of a community page.
func (c *Console) editCommunity(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "community %q not found", r.PathValue("id")))
		return
	}
	u, err := communityForm(r)
	if err == nil {
		_, err = c.app.UpdateCommunityAs(r.Context(), op(r), ws(r), id, u)
	}
	if err != nil {
		c.reshow(w, r, err, c.community, nil)
		return
	}
	http.Redirect(w, r, "/communities/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

func communityForm(r *http.Request) (shequn.CommunityUpdate, error) {
	f := func(k string) *string { v := strings.TrimSpace(r.PostFormValue(k)); return &v }
	capacity, err := strconv.Atoi(strings.TrimSpace(or(r.PostFormValue("capacity"), "0")))
	if err != nil {
		return shequn.CommunityUpdate{}, shequn.Invalid("capacity", "capacity %q: want a whole number", r.PostFormValue("capacity"))
	}
	bench := r.PostFormValue("benchmark") == "on"
	tags := csv(r.PostFormValue("tags"))
	if tags == nil {
		tags = []string{}
	}
	return shequn.CommunityUpdate{Kind: f("kind"), Theme: f("theme"), Structure: f("structure"), Stage: f("stage"),
		Rules: f("rules"), Capacity: &capacity, Benchmark: &bench, Tags: tags, TimeZone: f("time_zone")}, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// saveGroupWelcome gives a group its own welcome; "reset" makes it use
// the workspace's again.
func (c *Console) saveGroupWelcome(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := r.PostForm
	var s *shequn.WelcomeSettings
	if f.Get("reset") == "" {
		batch, err := strconv.Atoi(or(strings.TrimSpace(f.Get("w_batch_seconds")), "60"))
		if err != nil {
			c.reshow(w, r, shequn.Invalid("batch_seconds", "batch_seconds: 0 to 3600"), c.community, func(f string) string { return "w_" + f })
			return
		}
		s = &shequn.WelcomeSettings{Enabled: f.Get("w_enabled") == "on", Text: f.Get("w_text"), BatchSeconds: batch, IntroPrompt: f.Get("w_intro_prompt")}
	}
	if err := c.app.SaveWelcome(r.Context(), ws(r), op(r), id, s); err != nil {
		c.reshow(w, r, err, c.community, func(f string) string { return "w_" + f })
		return
	}
	http.Redirect(w, r, "/communities/"+strconv.FormatInt(id, 10)+"?saved=1#group-welcome", http.StatusSeeOther)
}
