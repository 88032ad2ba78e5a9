package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

func (c *Console) members(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "members", "members", nil)
	wsp := ws(r)
	q := r.URL.Query()
	d := listData{Query: strings.TrimSpace(q.Get("q")), Platform: q.Get("platform"), Sort: q.Get("sort"), Tier: q.Get("tier"), Offset: offsetOf(r), Limit: 50,
		Platforms: knownPlatforms, Tiers: shequn.Tiers}
	if d.Sort == "" {
		d.Sort = "messages"
	}
	d.Community, _ = strconv.ParseInt(q.Get("community"), 10, 64)
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), 30)
	f := shequn.MemberFilter{Query: d.Query, Platform: d.Platform, CommunityID: d.Community, Tier: d.Tier, Sort: d.Sort, Limit: d.Limit, Offset: d.Offset}
	ms, total, err := c.app.FindMembers(r.Context(), wsp, f, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Members, d.Total = ms, total
	if d.Communities, _, err = c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{}, win); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Segments, err = c.app.FindSegments(r.Context(), wsp); err != nil {
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

func (c *Console) saveSegment(w http.ResponseWriter, r *http.Request) {
	s := r.Context().Value(ctxKey{}).(*session)
	seg, err := c.app.SaveSegment(r.Context(), s.op, s.ws, r.PostFormValue("name"), r.PostFormValue("filter"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/members?"+seg.Filter, http.StatusSeeOther)
}
