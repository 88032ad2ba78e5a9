package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/schedule"
)

// Scheduling windows.
const (
	// PlanAhead is how far ahead scheduled sends are written to the outbox
	// (due at their time, so they go out on the minute).
	PlanAhead = 5 * time.Minute
	// MaxLate is how late a scheduled send may still go out after downtime;
	// older ones are skipped rather than posted out of context.
	MaxLate = time.Hour
)

// SaveAutomation validates and stores a new (ID 0) or changed automation.
func (a *App) SaveAutomation(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, au *shequn.Automation) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := validateAutomation(au); err != nil {
		return err
	}
	if err := a.checkSelector(ctx, ws, "selector", au.Selector); err != nil {
		return err
	}
	au.WorkspaceID = ws.ID
	defer a.forgetRules(ws.ID)
	if au.ID == 0 {
		au.PlannedUntil = a.Clock.Now() // nothing before its creation
		return a.db.CreateAutomation(ctx, au)
	}
	old, err := a.db.FindAutomation(ctx, ws.ID, au.ID)
	if err != nil {
		return err
	}
	au.PlannedUntil = old.PlannedUntil
	if now := a.Clock.Now(); au.PlannedUntil.After(now) {
		au.PlannedUntil = now // cancelled future sends are planned again
	}
	return a.db.UpdateAutomation(ctx, au)
}

// DeleteAutomation removes an automation and its future sends.
func (a *App) DeleteAutomation(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	defer a.forgetRules(ws.ID)
	return a.db.DeleteAutomation(ctx, ws.ID, id)
}

func validateAutomation(au *shequn.Automation) error {
	au.Name = strings.TrimSpace(au.Name)
	switch {
	case au.Name == "" || utf8.RuneCountInString(au.Name) > 100:
		return shequn.Invalid("name", "name: 1 to 100 characters")
	case au.Kind != shequn.AutomationSOP && au.Kind != shequn.AutomationRule:
		return shequn.Invalid("kind", "kind %q: want sop or rule", au.Kind)
	}
	if err := checkList("conditions.tiers", au.Conditions.Tiers); err != nil {
		return err
	}
	n := 0
	for k, vs := range au.Vars {
		n += len(k)
		for k2, v := range vs {
			n += len(k2) + len(v)
		}
	}
	if n > maxVarsLen {
		return shequn.Invalid("vars", "vars: at most %d bytes in all", maxVarsLen)
	}
	if err := schedule.ValidateQuiet(au.QuietHours); err != nil {
		return shequn.Invalid("quiet_hours", "quiet hours %q to %q: want HH:MM to HH:MM", au.QuietHours.Start, au.QuietHours.End)
	}
	if au.Kind == shequn.AutomationSOP {
		return validateSteps(au.Steps)
	}
	if err := validateTrigger(&au.Trigger); err != nil {
		return err
	}
	return validateActions(au.Actions, au.Trigger.Kind == shequn.TriggerSchedule || au.Trigger.Kind == shequn.TriggerSilence, "actions")
}

// validateSteps checks an SOP's steps: each one's schedule and message.
func validateSteps(steps []shequn.Step) error {
	if len(steps) == 0 || len(steps) > 50 {
		return shequn.Invalid("steps", "steps: 1 to 50 required")
	}
	for i := range steps {
		st := &steps[i]
		if err := stepSchedule(i, st); err != nil {
			return err
		}
		if err := validateActions(st.Actions, true, "steps."+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// validateTrigger checks a rule's trigger (a scheduled one gets its cron
// from its repeat).
func validateTrigger(t *shequn.Trigger) error {
	if !slices.Contains(shequn.Triggers, t.Kind) {
		return shequn.Invalid("trigger.kind", "trigger.kind %q: want one of %s", t.Kind, strings.Join(shequn.Triggers, ", "))
	}
	switch t.Kind {
	case shequn.TriggerSchedule:
		st := shequn.Step{Repeat: t.Repeat, Cron: t.Cron}
		if err := stepSchedule(0, &st); err != nil {
			e := err.(*shequn.Error)
			return shequn.Invalid("trigger."+e.Field[strings.LastIndexByte(e.Field, '.')+1:], "trigger: when should it run?")
		}
		t.Cron = st.Cron
	case shequn.TriggerKeyword:
		if len(t.Keywords) == 0 {
			return shequn.Invalid("trigger.keywords", "trigger.keywords: at least one")
		}
		if err := checkList("trigger.keywords", t.Keywords); err != nil {
			return err
		}
	case shequn.TriggerSilence, shequn.TriggerUnanswered:
		if t.Hours <= 0 || t.Hours > 24*30 {
			return shequn.Invalid("trigger.hours", "trigger.hours: 1 to 720")
		}
	case shequn.TriggerDormant, shequn.TriggerStreakBroken:
		if t.Days <= 0 || t.Days > 365 {
			return shequn.Invalid("trigger.days", "trigger.days: 1 to 365")
		}
	}
	return nil
}

// validateActions checks actions; an error names the field under prefix
// (prefix.text for a step's one action, prefix.N.field for a rule's).
func validateActions(acts []shequn.Action, groupOnly bool, prefix string) error {
	if len(acts) == 0 || len(acts) > 10 {
		return shequn.Invalid(prefix, "actions: 1 to 10 required")
	}
	field := func(i int, f string) string {
		if prefix != "actions" {
			return prefix + "." + f // a step has one action
		}
		return prefix + "." + strconv.Itoa(i) + "." + f
	}
	for i, ac := range acts {
		switch {
		case !slices.Contains(shequn.AutomationActions, ac.Kind):
			return shequn.Invalid(field(i, "kind"), "actions[%d].kind %q: want one of %s", i, ac.Kind, strings.Join(shequn.AutomationActions, ", "))
		case groupOnly && ac.Kind != shequn.DoSend && ac.Kind != shequn.DoNotify:
			return shequn.Invalid(field(i, "kind"), "actions[%d]: %s needs a member; a scheduled or group trigger can only send or notify", i, ac.Kind)
		case (ac.Kind == shequn.DoSend || ac.Kind == shequn.DoDM) && strings.TrimSpace(ac.Text) == "":
			return shequn.Invalid(field(i, "text"), "text: required")
		case len(ac.Text) > 4000:
			return shequn.Invalid(field(i, "text"), "text: at most 4000 bytes")
		case ac.Kind == shequn.DoTag && strings.TrimSpace(ac.Tag) == "":
			return shequn.Invalid(field(i, "tag"), "actions[%d].tag: required", i)
		case utf8.RuneCountInString(ac.Tag) > maxTagLen:
			return shequn.Invalid(field(i, "tag"), "actions[%d].tag: at most %d characters", i, maxTagLen)
		case ac.Kind == shequn.DoAward && (ac.Points <= 0 || ac.Points > 1_000_000):
			return shequn.Invalid(field(i, "points"), "actions[%d].points: 1 to 1000000", i)
		}
	}
	return nil
}

// RunSchedules writes the scheduled sends of every enabled automation of ws
// due up to now+PlanAhead to the outbox, each exactly once, and returns how
// many it wrote and how many it skipped as too late.
func (a *App) RunSchedules(ctx context.Context, ws *shequn.Workspace, now time.Time) (written, skipped int, err error) {
	autos, err := a.db.FindAutomations(ctx, ws.ID)
	if err != nil {
		return 0, 0, err
	}
	var cs []*shequn.Community
	p := schedule.NewPlanner(ws.Location())
	for _, au := range autos {
		if !au.Enabled || len(au.Scheduled()) == 0 {
			continue
		}
		if cs == nil {
			if cs, err = a.db.ListCommunities(ctx, ws.ID); err != nil {
				return written, skipped, err
			}
		}
		from, to := au.PlannedUntil, now.Add(PlanAhead)
		if !from.Before(to) {
			continue
		}
		items, err := p.Plan(au, cs, from, to)
		if err != nil {
			a.Log.Warn("automation cannot be planned", "automation", au.ID, "err", err)
			continue
		}
		var rows []*shequn.OutboxItem
		for _, it := range items {
			if it.At.Before(now.Add(-MaxLate)) {
				skipped++
				continue
			}
			rows = append(rows, plannedRow(ws.ID, it))
		}
		if err := a.db.CommitPlan(ctx, ws.ID, au.ID, rows, to); err != nil {
			return written, skipped, err
		}
		written += len(rows)
	}
	return written, skipped, nil
}

// plannedRow is the outbox row of a planned send; notify steps become
// operator alerts through the "operators" platform.
func plannedRow(ws int64, it shequn.Planned) *shequn.OutboxItem {
	platform, action := it.Platform, shequn.ActSend
	if it.Action.Kind == shequn.DoNotify {
		platform, action = shequn.PlatformOperators, shequn.ActNotify
	}
	row := shequn.NewOutboxItem(ws, it.Key, platform, it.CommunityID, 0, action,
		shequn.OutboxPayload{Text: it.Action.Text, AutomationID: it.AutomationID, Step: it.StepName})
	row.DueAt = it.Due
	return row
}

// Calendar returns every scheduled send of ws in [from, to), planned from
// the current automations, in time order.
func (a *App) Calendar(ctx context.Context, ws *shequn.Workspace, from, to time.Time) ([]shequn.Planned, error) {
	if to.Sub(from) > 31*24*time.Hour || !from.Before(to) {
		return nil, shequn.Invalid("calendar", "calendar: a window of up to 31 days")
	}
	autos, err := a.db.FindAutomations(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	cs, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	p := schedule.NewPlanner(ws.Location())
	var out []shequn.Planned
	for _, au := range autos {
		if !au.Enabled {
			continue
		}
		items, err := p.Plan(au, cs, from, to)
		if err != nil {
			continue
		}
		out = append(out, items...)
	}
	slices.SortStableFunc(out, func(x, y shequn.Planned) int { return x.Due.Compare(y.Due) })
	return out, nil
}

// FindAutomations lists ws's automations and SOP templates.
func (a *App) FindAutomations(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Automation, error) {
	return a.db.FindAutomations(ctx, ws.ID)
}

// FindAutomation returns one automation of ws.
func (a *App) FindAutomation(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Automation, error) {
	return a.db.FindAutomation(ctx, ws.ID, id)
}

// stepSchedule makes a step's cron from its repeat (when it has one) and
// checks it; an error names the step's field at fault.
func stepSchedule(i int, st *shequn.Step) error {
	field := func(f string) string { return "steps." + strconv.Itoa(i) + "." + f }
	if st.Repeat != nil {
		expr, err := schedule.RepeatCron(*st.Repeat)
		var fe *schedule.FieldError
		if errors.As(err, &fe) {
			r := st.Repeat
			switch fe.Field {
			case "at":
				return shequn.Invalid(field("at"), "step %d: time %q: want HH:MM", i+1, r.At)
			case "weekdays":
				return shequn.Invalid(field("weekdays"), "step %d: pick the days of the week", i+1)
			case "day":
				return shequn.Invalid(field("day"), "step %d: day of the month %d: want 1 to 31", i+1, r.Day)
			case "date":
				return shequn.Invalid(field("date"), "step %d: date %q: want YYYY-MM-DD", i+1, r.Date)
			}
			return shequn.Invalid(field("every"), "step %d: repeat %q: want one of %s", i+1, r.Every, strings.Join(shequn.Repeats, ", "))
		}
		st.Cron = expr
	}
	if strings.TrimSpace(st.Cron) == "" {
		return shequn.Invalid(field("every"), "step %d: when should it be sent?", i+1)
	}
	if _, err := schedule.Parse(st.Cron); err != nil {
		return shequn.Invalid(field("cron"), "step %d: the schedule %q is not valid cron", i+1, st.Cron)
	}
	return nil
}
