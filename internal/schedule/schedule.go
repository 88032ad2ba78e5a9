// Package schedule turns cron expressions into the local wall-clock times a
// group should hear from us, across time zones, daylight-saving changes and
// quiet hours. It is pure: callers pass every time.
//
// Expressions are parsed by robfig/cron (five fields, or @daily, @weekly,
// @monthly, @hourly); the walk over days is ours, because cron libraries
// skip a wall time that a spring-forward day does not have and fire twice
// on a fall-back day, and a morning post must do neither: a wall time that
// does not exist fires when the clock jumps over it, and one that happens
// twice fires once.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/shequn/shequn"
)

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Spec is a parsed cron expression, or a one-off wall time ("@once
// 2026-12-05 19:30").
type Spec struct {
	expr string
	s    *cron.SpecSchedule
	once *time.Time // the date and wall time, zone-free (UTC fields)
}

// Parse reads a five-field cron expression ("0 8 * * 1-5") or a descriptor.
func Parse(expr string) (Spec, error) {
	expr = strings.TrimSpace(expr)
	if rest, ok := strings.CutPrefix(expr, onceDescriptor); ok {
		t, err := time.Parse("2006-01-02 15:04", strings.TrimSpace(rest))
		if err != nil {
			return Spec{}, fmt.Errorf("once %q: want YYYY-MM-DD HH:MM", rest)
		}
		return Spec{expr: expr, once: &t}, nil
	}
	if strings.HasPrefix(expr, "@every") || strings.HasPrefix(strings.ToUpper(expr), "TZ=") || strings.HasPrefix(strings.ToUpper(expr), "CRON_TZ=") {
		return Spec{}, fmt.Errorf("cron %q: intervals and time zones are not allowed here (the group's time zone applies)", expr)
	}
	s, err := parser.Parse(expr)
	if err != nil {
		return Spec{}, fmt.Errorf("cron %q: %w", expr, err)
	}
	ss, ok := s.(*cron.SpecSchedule)
	if !ok {
		return Spec{}, fmt.Errorf("cron %q: unsupported", expr)
	}
	return Spec{expr: expr, s: ss}, nil
}

// String returns the expression.
func (s Spec) String() string { return s.expr }

// Times returns the instants in [from, to) at which s fires in loc, in order.
func (s Spec) Times(from, to time.Time, loc *time.Location) []time.Time {
	var out []time.Time
	if s.once != nil {
		t := wall(*s.once, s.once.Hour(), s.once.Minute(), loc)
		if !t.Before(from) && t.Before(to) {
			out = append(out, t)
		}
		return out
	}
	if s.s == nil || !from.Before(to) {
		return out
	}
	lf := from.In(loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, time.UTC) // a calendar date, zone-free
	var last time.Time
	for ; ; day = day.AddDate(0, 0, 1) {
		if !time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc).Add(-26 * time.Hour).Before(to) {
			return out
		}
		if !s.dayMatches(day) {
			continue
		}
		for h := 0; h < 24; h++ {
			if s.s.Hour&(1<<uint(h)) == 0 {
				continue
			}
			for m := 0; m < 60; m++ {
				if s.s.Minute&(1<<uint(m)) == 0 {
					continue
				}
				t := wall(day, h, m, loc)
				if t.Before(from) || !t.Before(to) || !t.After(last) && !last.IsZero() {
					continue // outside the range, or a repeated (fall-back) instant
				}
				last = t
				out = append(out, t)
			}
		}
	}
}

// wall returns the first instant the clock in loc shows day h:m; when it
// never does (a spring-forward gap), the instant the clock jumps past it.
func wall(day time.Time, h, m int, loc *time.Location) time.Time {
	t := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	if t.Hour() != h || t.Minute() != m { // in a gap
		start, end := t.ZoneBounds()
		if t.Hour()*60+t.Minute() > h*60+m {
			return start
		}
		return end
	}
	for _, back := range []time.Duration{time.Hour, 30 * time.Minute} {
		if e := t.Add(-back); e.Hour() == h && e.Minute() == m {
			return e // the wall time happens twice: take the first
		}
	}
	return t
}

const starBit = 1 << 63

func (s Spec) dayMatches(day time.Time) bool {
	if s.s.Month&(1<<uint(day.Month())) == 0 {
		return false
	}
	dom := s.s.Dom&(1<<uint(day.Day())) > 0
	dow := s.s.Dow&(1<<uint(day.Weekday())) > 0
	if s.s.Dom&starBit > 0 || s.s.Dow&starBit > 0 {
		return dom && dow
	}
	return dom || dow
}

// ValidateQuiet checks quiet hours' clock times.
func ValidateQuiet(q shequn.QuietHours) error {
	if q.Start == "" && q.End == "" {
		return nil
	}
	for _, v := range []string{q.Start, q.End} {
		if _, err := clockMinutes(v); err != nil {
			return err
		}
	}
	return nil
}

// Defer returns when a send planned for t may go out in loc: t itself, or
// the end of the quiet hours (a daily local window such as 22:00–08:00) t
// falls in. Equal or empty ends mean no quiet hours.
func Defer(q shequn.QuietHours, t time.Time, loc *time.Location) time.Time {
	start, err1 := clockMinutes(q.Start)
	end, err2 := clockMinutes(q.End)
	if err1 != nil || err2 != nil || start == end {
		return t
	}
	lt := t.In(loc)
	now := lt.Hour()*60 + lt.Minute()
	quiet := (start < end && now >= start && now < end) || (start > end && (now >= start || now < end))
	if !quiet {
		return t
	}
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	if start > end && now >= start {
		day = day.AddDate(0, 0, 1) // the window ends tomorrow morning
	}
	return wall(day, end/60, end%60, loc)
}

func clockMinutes(v string) (int, error) {
	h, m, ok := strings.Cut(v, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, fmt.Errorf("time %q: want HH:MM", v)
	}
	return hh*60 + mm, nil
}
