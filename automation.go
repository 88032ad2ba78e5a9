package shequn

import (
	"slices"
	"time"
)

// Automation kinds.
const (
	AutomationSOP  = "sop"  // a named bundle of scheduled steps applied to many groups
	AutomationRule = "rule" // trigger → conditions → actions
)

// Triggers of a rule.
const (
	TriggerSchedule     = "schedule"      // a cron expression in each group's time zone
	TriggerJoin         = "join"          // a member joins
	TriggerKeyword      = "keyword"       // a message contains one of the keywords
	TriggerFirstMessage = "first_message" // a member's first message in the group
	TriggerSilence      = "silence"       // a normally active group quiet for Hours
	TriggerUnanswered   = "unanswered"    // a question unanswered for Hours
	TriggerDormant      = "dormant"       // a member silent for Days
	TriggerStreakBroken = "streak_broken" // a check-in streak of at least Days ended yesterday
)

// Triggers lists the trigger kinds.
var Triggers = []string{TriggerSchedule, TriggerJoin, TriggerKeyword, TriggerFirstMessage, TriggerSilence, TriggerUnanswered, TriggerDormant, TriggerStreakBroken}

// Actions an automation can take.
const (
	DoSend   = "send"   // a message to the group
	DoDM     = "dm"     // a direct message to the member concerned
	DoTag    = "tag"    // tag the member concerned
	DoNotify = "notify" // an alert to operators (inbox and webhook)
	DoAward  = "award"  // points to the member concerned
)

// AutomationActions lists the action kinds.
var AutomationActions = []string{DoSend, DoDM, DoTag, DoNotify, DoAward}

// Selector picks communities: every non-empty field must match (any of its
// values); an empty selector picks every community.
type Selector struct {
	CommunityIDs []int64  `json:"community_ids,omitempty"`
	Kinds        []string `json:"kinds,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Platforms    []string `json:"platforms,omitempty"`
}

// Matches reports whether c is selected.
func (s Selector) Matches(c *Community) bool {
	if len(s.CommunityIDs) > 0 && !slices.Contains(s.CommunityIDs, c.ID) {
		return false
	}
	if len(s.Kinds) > 0 && !slices.Contains(s.Kinds, c.Kind) {
		return false
	}
	if len(s.Platforms) > 0 && !slices.Contains(s.Platforms, c.Platform) {
		return false
	}
	if len(s.Tags) > 0 && !slices.ContainsFunc(s.Tags, func(t string) bool { return slices.Contains(c.Tags, t) }) {
		return false
	}
	return c.Stage != StageArchived
}

// Action is one thing an automation does. Text may use {name}, {group},
// {inviter}, {rules}, {date} and the template's variables.
type Action struct {
	Kind   string `json:"kind"`
	Text   string `json:"text,omitempty"`
	Tag    string `json:"tag,omitempty"`
	Points int64  `json:"points,omitempty"`
}

// Step is a scheduled step of an SOP template.
type Step struct {
	Name string `json:"name"`
	// Repeat is the schedule as an operator picks it without cron; when
	// set, Cron is made from it. Cron alone is the "advanced" schedule.
	Repeat  *Repeat  `json:"repeat,omitempty"`
	Cron    string   `json:"cron"`
	Actions []Action `json:"actions"`
}

// Repeat kinds.
const (
	EveryDay      = "day"
	EveryWeekdays = "weekdays"
	EveryWeek     = "week"
	EveryMonth    = "month"
	EveryOnce     = "once"
)

// Repeats lists the repeat kinds, as the console offers them.
var Repeats = []string{EveryDay, EveryWeekdays, EveryWeek, EveryMonth, EveryOnce}

// Repeat is a schedule without cron: every day, on weekdays, on some days
// of the week, on a day of the month, or once on a date — at a time of
// day in each group's time zone.
type Repeat struct {
	Every    string `json:"every"`
	At       string `json:"at"`                 // HH:MM
	Weekdays []int  `json:"weekdays,omitempty"` // week: 0 Sunday … 6 Saturday
	Day      int    `json:"day,omitempty"`      // month: 1–31 (a month without that day is skipped)
	Date     string `json:"date,omitempty"`     // once: YYYY-MM-DD
}

// Trigger starts a rule.
type Trigger struct {
	Kind     string   `json:"kind"`
	Repeat   *Repeat  `json:"repeat,omitempty"` // a schedule trigger without cron
	Cron     string   `json:"cron,omitempty"`
	Keywords []string `json:"keywords,omitempty"`
	Hours    int      `json:"hours,omitempty"`
	Days     int      `json:"days,omitempty"`
	// CooldownMinutes: after firing in a group, a keyword rule stays quiet
	// there this long (default 10) so a busy topic does not flood the group.
	CooldownMinutes int `json:"cooldown_minutes,omitempty"`
}

// DefaultCooldown is a keyword rule's cooldown when none is set.
const DefaultCooldown = 10

// Conditions narrow a rule to some members.
type Conditions struct {
	Tiers    []string `json:"tiers,omitempty"`
	MinLevel int      `json:"min_level,omitempty"`
}

// QuietHours is a local daily window in which nothing is sent.
type QuietHours struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Automation is an SOP template or a rule.
type Automation struct {
	ID          int64      `json:"id"`
	WorkspaceID int64      `json:"workspace_id"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	Enabled     bool       `json:"enabled"`
	Selector    Selector   `json:"selector"`
	Steps       []Step     `json:"steps,omitempty"`
	Trigger     Trigger    `json:"trigger"`
	Conditions  Conditions `json:"conditions"`
	Actions     []Action   `json:"actions,omitempty"`
	QuietHours  QuietHours `json:"quiet_hours"`
	// Vars are template variables: "*" for every group, else a community id.
	Vars         map[string]map[string]string `json:"vars,omitempty"`
	PlannedUntil time.Time                    `json:"planned_until"`
	CreatedAt    time.Time                    `json:"created_at"`
	UpdatedAt    time.Time                    `json:"updated_at"`
}

// Scheduled returns the automation's scheduled steps: an SOP's steps, or a
// schedule rule as one step.
func (a *Automation) Scheduled() []Step {
	if a.Kind == AutomationSOP {
		return a.Steps
	}
	if a.Trigger.Kind == TriggerSchedule {
		return []Step{{Name: a.Name, Cron: a.Trigger.Cron, Actions: a.Actions}}
	}
	return nil
}

// Planned is one scheduled send, before or after it reaches the outbox.
type Planned struct {
	AutomationID int64     `json:"automation_id"`
	Automation   string    `json:"automation"`
	Step         int       `json:"step"`
	StepName     string    `json:"step_name"`
	CommunityID  int64     `json:"community_id"`
	Community    string    `json:"community"`
	Platform     string    `json:"platform"`
	At           time.Time `json:"at"`  // the schedule's time
	Due          time.Time `json:"due"` // after quiet hours
	Action       Action    `json:"action"`
	Key          string    `json:"key"`
}
