package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

type automationsData struct {
	Autos    []*shequn.Automation
	Edit     *shequn.Automation
	Triggers []string
	Actions  []string
	Welcome  shequn.WelcomeSettings
	Saved    bool
}

func (c *Console) automations(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "automations", nil)
	d := automationsData{Triggers: shequn.Triggers, Actions: shequn.AutomationActions, Saved: r.URL.Query().Get("saved") == "1"}
	var err error
	if d.Autos, err = c.app.FindAutomations(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	kind := r.URL.Query().Get("new")
	d.Edit = &shequn.Automation{Kind: shequn.AutomationSOP, Enabled: true}
	if kind == shequn.AutomationRule {
		d.Edit.Kind = kind
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); id > 0 {
		if d.Edit, err = c.app.FindAutomation(r.Context(), ws(r), id); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	m, err := c.app.Welcome(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Welcome = m[0]
	v.Data = d
	c.render(w, r, "automations", http.StatusOK, v)
}

// csv splits a comma-separated field.
func csv(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func ids(s string) ([]int64, error) {
	var out []int64
	for _, p := range csv(s) {
		id, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64)
		if err != nil {
			return nil, shequn.Errorf(shequn.EINVALID, "group id %q: want a number", p)
		}
		out = append(out, id)
	}
	return out, nil
}

// automationFromForm reads the editor: up to 6 steps (SOP) or 3 actions
// (rule); blank rows are skipped.
func automationFromForm(r *http.Request) (*shequn.Automation, error) {
	f := r.PostForm
	a := &shequn.Automation{Name: f.Get("name"), Kind: f.Get("kind"), Enabled: f.Get("enabled") == "on",
		QuietHours: shequn.QuietHours{Start: f.Get("quiet_start"), End: f.Get("quiet_end")}}
	a.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	a.Selector = shequn.Selector{Kinds: csv(f.Get("kinds")), Tags: csv(f.Get("tags")), Platforms: csv(f.Get("platforms"))}
	var err error
	if a.Selector.CommunityIDs, err = ids(f.Get("community_ids")); err != nil {
		return nil, err
	}
	for i := range 6 {
		n := strconv.Itoa(i)
		if cron, text := strings.TrimSpace(f.Get("step_cron_"+n)), f.Get("step_text_"+n); cron != "" || strings.TrimSpace(text) != "" {
			a.Steps = append(a.Steps, shequn.Step{Name: f.Get("step_name_" + n), Cron: cron, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: text}}})
		}
	}
	hours, _ := strconv.Atoi(f.Get("trigger_hours"))
	days, _ := strconv.Atoi(f.Get("trigger_days"))
	a.Trigger = shequn.Trigger{Kind: f.Get("trigger"), Cron: f.Get("trigger_cron"), Keywords: csv(f.Get("trigger_keywords")), Hours: hours, Days: days}
	a.Conditions.Tiers = csv(f.Get("tiers"))
	for i := range 3 {
		n := strconv.Itoa(i)
		kind := f.Get("action_kind_" + n)
		if kind == "" {
			continue
		}
		pts, _ := strconv.ParseInt(f.Get("action_points_"+n), 10, 64)
		a.Actions = append(a.Actions, shequn.Action{Kind: kind, Text: f.Get("action_text_" + n), Tag: f.Get("action_tag_" + n), Points: pts})
	}
	a.Vars = parseVars(f.Get("vars"))
	return a, nil
}

// parseVars reads "key=value" (every group) and "12:key=value" lines.
func parseVars(s string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range lines(s) {
		scope := "*"
		kv := l
		if i := strings.Index(l, ":"); i > 0 && i < strings.Index(l+"=", "=") {
			if _, err := strconv.ParseInt(l[:i], 10, 64); err == nil {
				scope, kv = l[:i], l[i+1:]
			}
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			continue
		}
		if out[scope] == nil {
			out[scope] = map[string]string{}
		}
		out[scope][strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return out
}

func (c *Console) saveAutomation(w http.ResponseWriter, r *http.Request) {
	a, err := automationFromForm(r)
	if err == nil {
		err = c.app.SaveAutomation(r.Context(), ws(r), op(r), a)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/automations?saved=1", http.StatusSeeOther)
}

func (c *Console) deleteAutomation(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteAutomation(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/automations", http.StatusSeeOther)
}
