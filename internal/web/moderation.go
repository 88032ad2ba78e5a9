package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

type modData struct {
	Tab       string
	Cases     []*shequn.ModerationCase
	Filter    shequn.CaseFilter
	Rule      *shequn.ModerationRule
	Actions   []string
	Detectors []string
	Blocklist []*shequn.BlockEntry
	Text      string
	Result    *moderation.Result
	Saved     bool
	// Community is the group whose override is edited (nil: the workspace).
	Community *shequn.Community
}

var detectorNames = []string{moderation.DetKeyword, moderation.DetRegex, moderation.DetLink, moderation.DetContact, moderation.DetLookalike,
	moderation.DetQRCode, moderation.DetFlood, moderation.DetDuplicate, moderation.DetNewcomer, moderation.DetClassifier}

func (c *Console) modQueue(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	cs, err := c.app.FindCases(r.Context(), ws(r), shequn.CaseFilter{Status: shequn.CaseOpen, Limit: 100})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = modData{Tab: "queue", Cases: cs}
	c.render(w, r, "moderation", http.StatusOK, v)
}

func (c *Console) modLog(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	q := r.URL.Query()
	f := shequn.CaseFilter{Status: q.Get("status"), Reason: q.Get("reason"), Detector: q.Get("detector"), Limit: 100, Offset: offsetOf(r)}
	f.CommunityID, _ = strconv.ParseInt(q.Get("community"), 10, 64)
	cs, err := c.app.FindCases(r.Context(), ws(r), f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = modData{Tab: "log", Cases: cs, Filter: f, Detectors: detectorNames}
	c.render(w, r, "moderation", http.StatusOK, v)
}

func (c *Console) modReview(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	verdict := r.PathValue("verdict")
	if err != nil || (verdict != "approve" && verdict != "overturn") {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such review"))
		return
	}
	s := r.Context().Value(ctxKey{}).(*session)
	cs, err := c.app.ReviewCase(r.Context(), s.op, s.ws, id, verdict == "approve")
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		v := c.view(r, "moderation", "moderation", modData{Tab: "queue", Cases: []*shequn.ModerationCase{cs}})
		c.renderBlock(w, r, "moderation", "case-row", v)
		return
	}
	http.Redirect(w, r, "/moderation", http.StatusSeeOther)
}

func (c *Console) modRules(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	d := modData{Tab: "rules", Actions: shequn.ModerationActions, Detectors: detectorNames, Saved: r.URL.Query().Get("saved") == "1"}
	var id int64
	if q := r.URL.Query().Get("community"); q != "" {
		var err error
		if id, err = strconv.ParseInt(q, 10, 64); err != nil {
			c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "community %q not found", q))
			return
		}
		if d.Community, err = c.app.FindCommunity(r.Context(), ws(r), id); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	rule, err := c.app.ModerationRule(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Rule = rule
	v.Data = d
	c.render(w, r, "moderation", http.StatusOK, v)
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (c *Console) modSaveRules(w http.ResponseWriter, r *http.Request) {
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(k))); return n }
	th, _ := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("classifier_threshold")), 64)
	community, _ := strconv.ParseInt(r.PostFormValue("community_id"), 10, 64)
	rule := &shequn.ModerationRule{CommunityID: community, Action: r.PostFormValue("action"), WarnLimit: num("warn_limit"), ExemptRoles: r.PostForm["exempt"],
		Keywords: r.PostFormValue("keywords"), Regexes: lines(r.PostFormValue("regexes")), DenyDomains: lines(r.PostFormValue("deny_domains")),
		AllowDomains: lines(r.PostFormValue("allow_domains")), FloodCount: num("flood_count"), FloodSeconds: num("flood_seconds"),
		DupGroups: num("dup_groups"), DupMinutes: num("dup_minutes"), NewcomerHours: num("newcomer_hours"), ClassifierThreshold: th}
	for _, l := range lines(r.PostFormValue("allow_members")) {
		id, err := strconv.ParseInt(strings.TrimPrefix(l, "#"), 10, 64)
		if err != nil || id <= 0 {
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "allowed member %q: want a member id", l))
			return
		}
		rule.AllowMembers = append(rule.AllowMembers, id)
	}
	for _, d := range detectorNames {
		if r.PostFormValue("on_"+d) != "on" {
			rule.Disabled = append(rule.Disabled, d)
		}
	}
	s := r.Context().Value(ctxKey{}).(*session)
	if err := c.app.SaveModerationRule(r.Context(), s.op, s.ws, rule); err != nil {
		c.fail(w, r, err)
		return
	}
	next := "/moderation/rules?saved=1"
	if community != 0 {
		next += "&community=" + strconv.FormatInt(community, 10)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) modBlocklist(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	bl, err := c.app.FindBlocklist(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = modData{Tab: "blocklist", Blocklist: bl}
	c.render(w, r, "moderation", http.StatusOK, v)
}

func (c *Console) modUnblock(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err := c.app.Unblock(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/moderation/blocklist", http.StatusSeeOther)
}

func (c *Console) modTest(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	d := modData{Tab: "test"}
	if r.Method == http.MethodPost {
		d.Text = r.PostFormValue("text")
		res, err := c.app.TestMessage(r.Context(), ws(r), 0, d.Text)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Result = &res
	}
	v.Data = d
	if r.Header.Get("HX-Request") == "true" {
		c.renderBlock(w, r, "moderation", "test-result", v)
		return
	}
	c.render(w, r, "moderation", http.StatusOK, v)
}
