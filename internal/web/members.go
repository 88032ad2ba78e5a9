package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
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
	win := shequn.LastDays(c.app.Clock.Now(), wsp.Location(), shequn.WindowDays)
	f := shequn.MemberFilter{Query: d.Query, Platform: d.Platform, CommunityID: d.Community, Tier: d.Tier, Sort: d.Sort, Limit: d.Limit, Offset: d.Offset}
	if wantsDownload(r) {
		c.downloadMembers(w, r, f, win)
		return
	}
	ms, total, err := c.app.FindMembers(r.Context(), wsp, f, win)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Members, d.Total = ms, total
	d.Capped = d.Query != "" && total > shequn.SearchCountCap
	if d.Communities, _, err = c.app.FindCommunities(r.Context(), wsp, shequn.CommunityFilter{MembersOnly: true}, win); err != nil {
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
	d := memberData{MemberProfile: p, Key: newFormKey(), Done: r.URL.Query().Get("done")}
	if fs := formOf(r); fs != nil && fs.Values.Get("key") != "" {
		d.Key = fs.Values.Get("key")
	}
	if d.Rewards, err = c.app.FindRewards(r.Context(), wsp); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Title = p.Member.DisplayName
	v.Data = d
	c.render(w, r, "member", http.StatusOK, v)
}

func (c *Console) saveSegment(w http.ResponseWriter, r *http.Request) {
	seg, err := c.app.SaveSegment(r.Context(), op(r), ws(r), r.PostFormValue("name"), r.PostFormValue("filter"))
	if err != nil {
		c.reshow(w, r, err, c.members, nil)
		return
	}
	http.Redirect(w, r, "/members?"+seg.Filter, http.StatusSeeOther)
}

// memberData is a member's page: the profile, and what an operator may do
// there (grant or deduct points, redeem a reward on the member's behalf).
type memberData struct {
	*app.MemberProfile
	Rewards []*shequn.Reward
	// Key makes a form posted twice (a double click, a retry) count once.
	Key  string
	Done string
}

// adjustPoints grants or deducts points from a member's page.
func (c *Console) adjustPoints(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := r.PostForm
	amount, err := strconv.ParseInt(strings.TrimSpace(f.Get("amount")), 10, 64)
	if err != nil {
		err = shequn.Invalid("amount", "amount %q: want a whole number, negative to deduct", f.Get("amount"))
	} else {
		_, _, err = c.app.AdjustPoints(r.Context(), op(r), ws(r), id, amount, f.Get("reason"), postKey("points", f.Get("key")))
	}
	if err != nil {
		c.reshow(w, r, err, c.member, nil)
		return
	}
	http.Redirect(w, r, "/members/"+strconv.FormatInt(id, 10)+"?done=points#points", http.StatusSeeOther)
}

// markStaff marks a member as staff or a bot (left out of analytics), or
// as a member again.
func (c *Console) markStaff(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.SetStaff(r.Context(), ws(r), op(r), id, r.PostForm.Get("staff") == "1"); err != nil {
		c.reshow(w, r, err, c.member, nil)
		return
	}
	http.Redirect(w, r, "/members/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// redeemFor redeems a reward for a member from the member's page.
func (c *Console) redeemFor(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := r.PostForm
	reward, _ := strconv.ParseInt(f.Get("reward"), 10, 64)
	if _, err := c.app.RedeemFor(r.Context(), op(r), ws(r), id, reward, strings.TrimSpace(f.Get("delivery")), postKey("redeem", f.Get("key"))); err != nil {
		c.reshow(w, r, err, c.member, nil)
		return
	}
	http.Redirect(w, r, "/members/"+strconv.FormatInt(id, 10)+"?done=redeem#points", http.StatusSeeOther)
}

// postKey is the idempotency key of a console form: the one the page
// gave it (so that a second post of the same form counts once).
func postKey(kind, key string) string {
	if key == "" || len(key) > 64 {
		return ""
	}
	return "console:" + kind + ":" + key
}

// newFormKey is a fresh key for a form on a page.
func newFormKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
