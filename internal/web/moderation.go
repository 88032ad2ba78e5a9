package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/moderation"
)

type modData struct {
	Tab         string
	Page        app.CasePage
	Cases       []app.CaseView // a single row after an htmx review
	Precision   []shequn.DetectorPrecision
	Communities []*shequn.Community
	Since       string // the filter's dates, as typed
	Until       string
	Query       string // the filter as a query string (paging, bulk return)
	Rule        *shequn.ModerationRule
	Actions     []string
	Detectors   []string
	Blocklist   []*shequn.BlockEntry
	Text        string
	Result      *moderation.Result
	Pieces      []moderation.Piece // the tested text, matches marked
	Saved       bool
	ShadowDays  int // days of shadow mode left
	Reviewed    int // cases closed by the last bulk review
	// Community is the group whose override is edited (nil: the workspace).
	Community *shequn.Community
	// AllowMembers are the rule's trusted members, a line each ("小王 #12").
	AllowMembers string
}

// modQueue is the review queue: open cases by default; the log tab shows
// every status. Filters: status, detector, group, message dates; pages of
// 50; a bulk form over the rows.
func (c *Console) modQueue(w http.ResponseWriter, r *http.Request) {
	c.caseList(w, r, "queue", shequn.CaseOpen)
}

func (c *Console) modLog(w http.ResponseWriter, r *http.Request) { c.caseList(w, r, "log", "") }

func (c *Console) caseList(w http.ResponseWriter, r *http.Request, tab, status string) {
	v := c.view(r, "moderation", "moderation", nil)
	q := r.URL.Query()
	wsp := ws(r)
	if q.Has("status") {
		status = q.Get("status")
	}
	f := shequn.CaseFilter{Status: status, Reason: q.Get("reason"), Detector: q.Get("detector"), Limit: 50, Offset: offsetOf(r)}
	f.CommunityID, _ = strconv.ParseInt(q.Get("community"), 10, 64)
	f.MemberID, _ = strconv.ParseInt(q.Get("member"), 10, 64)
	d := modData{Tab: tab, Detectors: moderation.Names(), Since: q.Get("since"), Until: q.Get("until")}
	var err error
	if f.Since, err = dayStart(d.Since, wsp.Location()); err != nil {
		c.fail(w, r, err)
		return
	}
	if f.Until, err = dayStart(d.Until, wsp.Location()); err != nil {
		c.fail(w, r, err)
		return
	}
	if !f.Until.IsZero() {
		f.Until = f.Until.AddDate(0, 0, 1) // through the end of that day
	}
	if d.Page, err = c.app.CasePage(r.Context(), wsp, op(r), f); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Precision, err = c.app.DetectorPrecision(r.Context(), wsp, 30); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Communities, err = c.app.ListCommunities(r.Context(), wsp); err != nil {
		c.fail(w, r, err)
		return
	}
	d.Reviewed, _ = strconv.Atoi(q.Get("reviewed"))
	keep := url.Values{}
	for _, k := range []string{"status", "reason", "detector", "community", "member", "since", "until"} {
		if q.Has(k) {
			keep.Set(k, q.Get(k))
		}
	}
	d.Query = keep.Encode()
	v.Data = d
	c.render(w, r, "moderation", http.StatusOK, v)
}

// dayStart reads a YYYY-MM-DD date as the start of that day in loc.
func dayStart(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, shequn.Errorf(shequn.EINVALID, "date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

func (c *Console) modReview(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	verdict := r.PathValue("verdict")
	if err != nil || (verdict != "approve" && verdict != "overturn") {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such review"))
		return
	}
	cs, err := c.app.ReviewCase(r.Context(), op(r), ws(r), id, verdict == "approve")
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		v := c.view(r, "moderation", "moderation", modData{Tab: "queue", Cases: []app.CaseView{app.ViewCase(cs, false)}})
		c.renderBlock(w, r, "moderation", "case-row", v)
		return
	}
	http.Redirect(w, r, "/moderation", http.StatusSeeOther)
}

// modBulk reviews the chosen cases, then shows the same list again.
func (c *Console) modBulk(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	for _, s := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "case id %q: not a number", s))
			return
		}
		ids = append(ids, id)
	}
	n, err := c.app.ReviewCases(r.Context(), ws(r), op(r), ids, r.PostFormValue("verdict"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	back := "/moderation"
	if r.PostFormValue("tab") == "log" {
		back = "/moderation/log"
	}
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	q.Set("reviewed", strconv.Itoa(n))
	http.Redirect(w, r, back+"?"+q.Encode(), http.StatusSeeOther)
}

func (c *Console) modRules(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "moderation", nil)
	d := modData{Tab: "rules", Actions: shequn.ModerationActions, Detectors: moderation.Names(), Saved: r.URL.Query().Get("saved") == "1"}
	var id int64
	q := r.URL.Query().Get("community")
	if fs := formOf(r); fs != nil {
		q = fs.Values.Get("community_id")
		if q == "0" {
			q = ""
		}
	}
	if q != "" {
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
	d.AllowMembers = c.memberLines(r, rule.AllowMembers)
	if rule.Shadowing(c.app.Clock.Now()) {
		d.ShadowDays = int(math.Ceil(rule.ShadowUntil.Sub(c.app.Clock.Now()).Hours() / 24))
	}
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
	rule, err := c.modRuleFromForm(r)
	if err == nil {
		err = c.app.SaveModerationRule(r.Context(), op(r), ws(r), rule)
	}
	if err != nil {
		c.reshow(w, r, err, c.modRules, nil)
		return
	}
	next := "/moderation/rules?saved=1"
	if rule.CommunityID != 0 {
		next += "&community=" + strconv.FormatInt(rule.CommunityID, 10)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// modRuleFromForm reads the rules form; numbers that are not numbers and
// members that cannot be found are refused beside their input.
func (c *Console) modRuleFromForm(r *http.Request) (*shequn.ModerationRule, error) {
	f := r.PostForm
	community, _ := strconv.ParseInt(f.Get("community_id"), 10, 64)
	rule := &shequn.ModerationRule{CommunityID: community, Action: f.Get("action"), ExemptRoles: f["exempt"], Keywords: f.Get("keywords"),
		Regexes: lines(f.Get("regexes")), DenyDomains: lines(f.Get("deny_domains")), AllowDomains: lines(f.Get("allow_domains")),
		Promotions: f.Get("promotions") == "on"}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"warn_limit", &rule.WarnLimit}, {"flood_count", &rule.FloodCount}, {"flood_seconds", &rule.FloodSeconds},
		{"dup_groups", &rule.DupGroups}, {"dup_minutes", &rule.DupMinutes}, {"newcomer_hours", &rule.NewcomerHours}} {
		v, err := strconv.Atoi(or(strings.TrimSpace(f.Get(n.name)), "0"))
		if err != nil {
			return nil, shequn.Invalid(n.name, "%s: want a whole number", n.name)
		}
		*n.dst = v
	}
	var err error
	if rule.ClassifierThreshold, err = strconv.ParseFloat(strings.TrimSpace(f.Get("classifier_threshold")), 64); err != nil {
		return nil, shequn.Invalid("classifier_threshold", "classifier_threshold %q: want a number such as 0.5", f.Get("classifier_threshold"))
	}
	if f.Has("classifier_act_above") {
		if rule.ClassifierActAbove, err = strconv.ParseFloat(strings.TrimSpace(f.Get("classifier_act_above")), 64); err != nil {
			return nil, shequn.Invalid("classifier_act_above", "classifier_act_above %q: want a number such as 0.99", f.Get("classifier_act_above"))
		}
	} else { // a form without it keeps the rule's
		cur, err := c.app.ModerationRule(r.Context(), ws(r), community)
		if err != nil {
			return nil, err
		}
		rule.ClassifierActAbove = cur.ClassifierActAbove
	}
	if days, err := strconv.Atoi(or(strings.TrimSpace(f.Get("shadow_days")), "0")); err != nil || days < 0 {
		return nil, shequn.Invalid("shadow_days", "shadow_days: want a whole number of days")
	} else if days > 0 {
		until := c.app.Clock.Now().Add(time.Duration(days) * 24 * time.Hour)
		rule.ShadowUntil = &until
	}
	if rule.AllowMembers, err = c.membersOfLines(r, f.Get("allow_members")); err != nil {
		return nil, err
	}
	for _, d := range moderation.Names() {
		if f.Get("on_"+d) != "on" {
			rule.Disabled = append(rule.Disabled, d)
		}
	}
	return rule, nil
}

// membersOfLines reads members named one a line: "小王", "小王 #123",
// "#123" or "123" (the number tells apart members of the same name).
func (c *Console) membersOfLines(r *http.Request, text string) ([]int64, error) {
	var ids []int64
	for _, l := range lines(text) {
		if i := strings.LastIndex(l, "#"); i >= 0 || strings.Trim(l, "0123456789") == "" {
			if id, err := strconv.ParseInt(strings.TrimSpace(l[i+1:]), 10, 64); err == nil && id > 0 {
				if _, err := c.app.FindMember(r.Context(), ws(r), id); err != nil {
					return nil, shequn.Invalid("allow_members", "no member number %d in this workspace", id)
				}
				ids = append(ids, id)
				continue
			}
		}
		m, err := c.app.MemberNamed(r.Context(), ws(r), l)
		if err != nil {
			return nil, shequn.OnField(err, "allow_members")
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// memberLines writes members one a line as the form reads them back.
func (c *Console) memberLines(r *http.Request, ids []int64) string {
	var b strings.Builder
	for _, id := range ids {
		name := ""
		if m, err := c.app.FindMember(r.Context(), ws(r), id); err == nil {
			name = m.DisplayName + " "
		}
		fmt.Fprintf(&b, "%s#%d\n", name, id)
	}
	return b.String()
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
		var spans []string
		for _, v := range res.Verdicts {
			if v.Spam && v.Span != "" {
				spans = append(spans, v.Span)
			}
		}
		d.Pieces = moderation.Highlight(d.Text, spans)
	}
	v.Data = d
	if r.Header.Get("HX-Request") == "true" {
		c.renderBlock(w, r, "moderation", "test-result", v)
		return
	}
	c.render(w, r, "moderation", http.StatusOK, v)
}

// caseRowData is what a case row renders: the case and the page's view
// (language, operator).
type caseRowData struct {
	View view
	Case app.CaseView
}
