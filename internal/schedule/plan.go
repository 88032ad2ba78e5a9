package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// Planner plans scheduled sends. It caches each step's fire times per time
// zone, so planning a template over thousands of groups costs one cron walk
// per zone.
type Planner struct {
	// Fallback is the zone of groups that have none (the workspace's).
	Fallback *time.Location
	zones    map[string]*time.Location
}

// NewPlanner returns a planner for a workspace in fallback.
func NewPlanner(fallback *time.Location) *Planner {
	return &Planner{Fallback: fallback, zones: map[string]*time.Location{}}
}

func (p *Planner) zone(c *shequn.Community) *time.Location {
	if c.TimeZone == "" {
		return p.Fallback
	}
	if loc, ok := p.zones[c.TimeZone]; ok {
		return loc
	}
	loc := c.Location(p.Fallback)
	p.zones[c.TimeZone] = loc
	return loc
}

// Plan returns the sends of a's scheduled steps whose schedule time falls
// in [from, to), for every community a selects, in time order per step.
// Texts are rendered with the group's variables; Due is moved out of quiet
// hours. Keys are stable: the same send of the same version of a planned
// twice has the same key.
func (p *Planner) Plan(a *shequn.Automation, cs []*shequn.Community, from, to time.Time) ([]shequn.Planned, error) {
	var out []shequn.Planned
	version := strconv.FormatInt(a.UpdatedAt.UnixMilli(), 36) // an edit plans afresh
	for si, step := range a.Scheduled() {
		spec, err := Parse(step.Cron)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", si+1, err)
		}
		times := map[*time.Location][]time.Time{}
		for _, c := range cs {
			if !a.Selector.Matches(c) {
				continue
			}
			loc := p.zone(c)
			ts, ok := times[loc]
			if !ok {
				ts = spec.Times(from, to, loc)
				times[loc] = ts
			}
			for _, at := range ts {
				for ai, act := range step.Actions {
					if act.Kind != shequn.DoSend && act.Kind != shequn.DoNotify {
						continue // a scheduled step has no member to DM, tag or award
					}
					act.Text = Render(act.Text, Vars(a, c, at.In(loc)))
					out = append(out, shequn.Planned{AutomationID: a.ID, Automation: a.Name, Step: si, StepName: step.Name,
						CommunityID: c.ID, Community: c.Name, Platform: c.Platform, At: at, Due: Defer(a.QuietHours, at, loc), Action: act,
						Key: "auto:" + strconv.FormatInt(a.ID, 10) + ":" + version + ":" + strconv.Itoa(si) + ":" + strconv.Itoa(ai) + ":" + strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatInt(at.Unix(), 10)})
				}
			}
		}
	}
	return out, nil
}

// Vars returns the variables a text sent by a to c at local time now sees.
func Vars(a *shequn.Automation, c *shequn.Community, now time.Time) map[string]string {
	v := map[string]string{"group": c.Name, "群名": c.Name, "rules": c.Rules, "群规": c.Rules, "date": now.Format("2006-01-02"), "日期": now.Format("2006-01-02"),
		"weekday": now.Weekday().String(), "星期": "星期" + string([]rune("日一二三四五六")[now.Weekday()])}
	for k, val := range a.Vars["*"] {
		v[k] = val
	}
	for k, val := range a.Vars[strconv.FormatInt(c.ID, 10)] {
		v[k] = val
	}
	return v
}

// Render replaces {name} placeholders with vars; unknown ones stay as they are.
func Render(text string, vars map[string]string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(text[:i])
		if v, ok := vars[text[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(text[i : i+j+1])
		}
		text = text[i+j+1:]
	}
	b.WriteString(text)
	return b.String()
}
