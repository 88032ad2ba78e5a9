package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// tierFields are the criteria the tiers form edits, in its order.
var tierFields = []string{"window_days", "core_active_days", "core_messages", "core_invites", "active_days", "regular_days",
	"newcomer_days", "retained_days", "demotion_hold_days"}

type tiersData struct {
	Criteria map[string]int
	Fields   []string
	Counts   map[string]int
	Total    int
	Saved    bool
	Changed  string // members moved by a recompute just asked for
}

func criteriaMap(c shequn.TierCriteria) map[string]int {
	return map[string]int{"window_days": c.WindowDays, "core_active_days": c.CoreActiveDays, "core_messages": c.CoreMessages,
		"core_invites": c.CoreInvites, "active_days": c.ActiveDays, "regular_days": c.RegularDays, "newcomer_days": c.NewcomerDays,
		"retained_days": c.RetainedDays, "demotion_hold_days": c.DemotionHoldDays}
}

// tiers shows how members are placed in tiers, and lets an operator
// change the criteria and place everyone again now.
func (c *Console) tiers(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "members", "tiers", nil)
	crit, err := c.app.FindTierCriteria(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := tiersData{Criteria: criteriaMap(crit), Fields: tierFields, Saved: r.URL.Query().Get("saved") == "1", Changed: r.URL.Query().Get("changed")}
	if d.Counts, err = c.app.TierCounts(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	for _, n := range d.Counts {
		d.Total += n
	}
	v.Data = d
	c.render(w, r, "tiers", http.StatusOK, v)
}

func (c *Console) saveTiers(w http.ResponseWriter, r *http.Request) {
	crit, err := c.app.FindTierCriteria(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	dst := map[string]*int{"window_days": &crit.WindowDays, "core_active_days": &crit.CoreActiveDays, "core_messages": &crit.CoreMessages,
		"core_invites": &crit.CoreInvites, "active_days": &crit.ActiveDays, "regular_days": &crit.RegularDays, "newcomer_days": &crit.NewcomerDays,
		"retained_days": &crit.RetainedDays, "demotion_hold_days": &crit.DemotionHoldDays}
	for _, f := range tierFields {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(f)))
		if err != nil {
			c.reshow(w, r, shequn.Invalid(f, "%s: want a whole number", f), c.tiers, nil)
			return
		}
		*dst[f] = n
	}
	if err := c.app.SaveTierCriteria(r.Context(), ws(r), op(r), crit); err != nil {
		c.reshow(w, r, err, c.tiers, nil)
		return
	}
	http.Redirect(w, r, "/tiers?saved=1", http.StatusSeeOther)
}

func (c *Console) recomputeTiers(w http.ResponseWriter, r *http.Request) {
	_, changed, err := c.app.RecomputeStandingsBy(r.Context(), op(r), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tiers?changed="+strconv.Itoa(changed), http.StatusSeeOther)
}
