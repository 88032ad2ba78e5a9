package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// Editor rows: an SOP has up to maxSteps steps, a rule up to maxActions
// actions.
const (
	maxSteps   = 8
	maxActions = 3
)

type automationsData struct {
	Autos    []*shequn.Automation
	Edit     *shequn.Automation
	Steps    []stepRow
	Trigger  whenInput
	Vars     string
	Choices  app.GroupChoices
	Triggers []string
	Actions  []string
	Repeats  []string
	Weekdays []int
	Welcome  shequn.WelcomeSettings
	Saved    bool
}

// stepRow is one SOP step in the editor.
type stepRow struct {
	I          int
	Name, Text string
	When       whenInput
	Hidden     bool // a blank row after the first blank one ("add a step" shows it)
}

// hideBlankRows leaves one blank row open for a new step.
func hideBlankRows(rows []stepRow) {
	open := false
	for i := range rows {
		if strings.TrimSpace(rows[i].Name) == "" && strings.TrimSpace(rows[i].Text) == "" {
			rows[i].Hidden = open
			open = true
		}
	}
}

func (c *Console) automations(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "automations", nil)
	wsp := ws(r)
	d := automationsData{Triggers: shequn.Triggers, Actions: shequn.AutomationActions, Repeats: append(shequn.Repeats[:len(shequn.Repeats):len(shequn.Repeats)], everyCron),
		Weekdays: weekdayNumbers, Saved: r.URL.Query().Get("saved") == "1"}
	var err error
	if d.Autos, err = c.app.FindAutomations(r.Context(), wsp); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Choices, err = c.app.Choices(r.Context(), wsp); err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.editorOf(r, &d); err != nil {
		c.fail(w, r, err)
		return
	}
	loc, err := c.zoneOfChoice(r, idStrings(d.Edit.Selector.CommunityIDs))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.app.Clock.Now()
	for i := range d.Steps {
		if !d.Steps[i].When.blank() {
			d.Steps[i].When = d.Steps[i].When.withRuns(v.Lang, now, loc, 5)
		}
	}
	hideBlankRows(d.Steps)
	if d.Edit.Kind == shequn.AutomationRule && d.Edit.Trigger.Kind == shequn.TriggerSchedule {
		d.Trigger = d.Trigger.withRuns(v.Lang, now, loc, 5)
	}
	m, err := c.app.Welcome(r.Context(), wsp)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Welcome = m[0]
	v.Data = d
	c.render(w, r, "automations", http.StatusOK, v)
}

// editorOf fills the editor: a refused post as it was typed, the
// automation asked for (?edit=ID), or a new SOP or rule (?new=).
func (c *Console) editorOf(r *http.Request, d *automationsData) error {
	if fs := formOf(r); fs != nil && r.URL.Path == "/automations" && fs.Values.Has("kind") {
		d.Edit, _ = automationFromForm(fs.Values, d.Choices)
		d.Steps = stepRowsOfForm(fs.Values)
		d.Trigger = whenFromForm(fs.Values, "trigger_", "")
		d.Vars = fs.Values.Get("vars")
		return nil
	}
	d.Edit = &shequn.Automation{Kind: shequn.AutomationSOP, Enabled: true}
	if r.URL.Query().Get("new") == shequn.AutomationRule {
		d.Edit.Kind = shequn.AutomationRule
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); id > 0 {
		var err error
		if d.Edit, err = c.app.FindAutomation(r.Context(), ws(r), id); err != nil {
			return err
		}
	}
	for i := range maxSteps {
		row := stepRow{I: i, When: whenOf("step_", "_"+strconv.Itoa(i), nil, "")}
		if i < len(d.Edit.Steps) {
			st := d.Edit.Steps[i]
			row.Name, row.When = st.Name, whenOf("step_", "_"+strconv.Itoa(i), st.Repeat, st.Cron)
			for _, a := range st.Actions {
				row.Text = a.Text
			}
		} else {
			row.When.At = ""
		}
		d.Steps = append(d.Steps, row)
	}
	d.Trigger = whenOf("trigger_", "", d.Edit.Trigger.Repeat, d.Edit.Trigger.Cron)
	d.Vars = varsText(d.Edit.Vars, d.Choices)
	return nil
}

func stepRowsOfForm(f url.Values) []stepRow {
	rows := make([]stepRow, maxSteps)
	for i := range rows {
		n := strconv.Itoa(i)
		rows[i] = stepRow{I: i, Name: f.Get("step_name_" + n), Text: f.Get("step_text_" + n), When: whenFromForm(f, "step_", "_"+n)}
	}
	return rows
}

// automationFromForm reads the editor: the steps that hold something
// (SOP) or the actions that have a kind (rule). input maps the app's
// field paths to the editor's inputs (a step's index among those kept is
// not its row's).
func automationFromForm(f url.Values, choices app.GroupChoices) (*shequn.Automation, func(string) string) {
	a := &shequn.Automation{Name: f.Get("name"), Kind: f.Get("kind"), Enabled: f.Get("enabled") == "on",
		QuietHours: shequn.QuietHours{Start: f.Get("quiet_start"), End: f.Get("quiet_end")}}
	a.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	a.Selector = selectorFromForm(f)
	var rowOf []int
	for _, row := range stepRowsOfForm(f) {
		if strings.TrimSpace(row.Name) == "" && strings.TrimSpace(row.Text) == "" {
			continue
		}
		repeat, cron := row.When.schedule()
		a.Steps = append(a.Steps, shequn.Step{Name: row.Name, Repeat: repeat, Cron: cron, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: row.Text}}})
		rowOf = append(rowOf, row.I)
	}
	hours, _ := strconv.Atoi(f.Get("trigger_hours"))
	days, _ := strconv.Atoi(f.Get("trigger_days"))
	a.Trigger = shequn.Trigger{Kind: f.Get("trigger"), Keywords: csv(f.Get("trigger_keywords")), Hours: hours, Days: days}
	if a.Trigger.Kind == shequn.TriggerSchedule {
		a.Trigger.Repeat, a.Trigger.Cron = whenFromForm(f, "trigger_", "").schedule()
	}
	a.Conditions.Tiers = f["tier"]
	for i := range maxActions {
		n := strconv.Itoa(i)
		kind := f.Get("action_kind_" + n)
		if kind == "" {
			continue
		}
		pts, _ := strconv.ParseInt(f.Get("action_points_"+n), 10, 64)
		a.Actions = append(a.Actions, shequn.Action{Kind: kind, Text: f.Get("action_text_" + n), Tag: f.Get("action_tag_" + n), Points: pts})
	}
	a.Vars = parseVars(f.Get("vars"), choices)
	input := func(path string) string {
		parts := strings.Split(path, ".")
		if len(parts) == 3 && parts[0] == "steps" {
			if i, err := strconv.Atoi(parts[1]); err == nil && i < len(rowOf) {
				parts[1] = strconv.Itoa(rowOf[i])
				path = strings.Join(parts, ".")
			}
		}
		return inputOf(path)
	}
	return a, input
}

// csv splits a comma-separated field.
func csv(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *Console) saveAutomation(w http.ResponseWriter, r *http.Request) {
	choices, err := c.app.Choices(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	a, input := automationFromForm(r.PostForm, choices)
	if err := c.app.SaveAutomation(r.Context(), ws(r), op(r), a); err != nil {
		c.reshow(w, r, err, c.automations, input)
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
