package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// onceDescriptor is how a one-off schedule is written as an expression:
// "@once 2026-12-05 19:30" (a wall time in each group's zone).
const onceDescriptor = "@once "

// FieldError is a schedule error that names the field at fault.
type FieldError struct {
	Field, Msg string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// RepeatCron turns a repeat into the expression the planner runs.
func RepeatCron(r shequn.Repeat) (string, error) {
	h, m, err := clock(r.At)
	if err != nil {
		return "", &FieldError{"at", fmt.Sprintf("%q: want HH:MM", r.At)}
	}
	hm := strconv.Itoa(m) + " " + strconv.Itoa(h)
	switch r.Every {
	case shequn.EveryDay:
		return hm + " * * *", nil
	case shequn.EveryWeekdays:
		return hm + " * * 1-5", nil
	case shequn.EveryWeek:
		if len(r.Weekdays) == 0 {
			return "", &FieldError{"weekdays", "pick at least one day"}
		}
		days := slices.Clone(r.Weekdays)
		slices.Sort(days)
		days = slices.Compact(days)
		parts := make([]string, len(days))
		for i, d := range days {
			if d < 0 || d > 6 {
				return "", &FieldError{"weekdays", fmt.Sprintf("%d: want 0 (Sunday) to 6", d)}
			}
			parts[i] = strconv.Itoa(d)
		}
		return hm + " * * " + strings.Join(parts, ","), nil
	case shequn.EveryMonth:
		if r.Day < 1 || r.Day > 31 {
			return "", &FieldError{"day", fmt.Sprintf("%d: want 1 to 31", r.Day)}
		}
		return hm + " " + strconv.Itoa(r.Day) + " * *", nil
	case shequn.EveryOnce:
		if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
			return "", &FieldError{"date", fmt.Sprintf("%q: want YYYY-MM-DD", r.Date)}
		}
		return onceDescriptor + r.Date + " " + fmt.Sprintf("%02d:%02d", h, m), nil
	}
	return "", &FieldError{"every", fmt.Sprintf("%q: want one of %s", r.Every, strings.Join(shequn.Repeats, ", "))}
}

// RepeatOf reads an expression back as a repeat, for the editor; false
// when it is cron a repeat cannot say.
func RepeatOf(expr string) (shequn.Repeat, bool) {
	if rest, ok := strings.CutPrefix(expr, onceDescriptor); ok {
		date, at, _ := strings.Cut(rest, " ")
		return shequn.Repeat{Every: shequn.EveryOnce, Date: date, At: at}, true
	}
	f := strings.Fields(expr)
	if len(f) != 5 || f[3] != "*" {
		return shequn.Repeat{}, false
	}
	m, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || m > 59 || h > 23 {
		return shequn.Repeat{}, false
	}
	r := shequn.Repeat{At: fmt.Sprintf("%02d:%02d", h, m)}
	switch {
	case f[2] == "*" && f[4] == "*":
		r.Every = shequn.EveryDay
	case f[2] == "*" && f[4] == "1-5":
		r.Every = shequn.EveryWeekdays
	case f[2] == "*":
		r.Every = shequn.EveryWeek
		for _, d := range strings.Split(f[4], ",") {
			n, err := strconv.Atoi(d)
			if err != nil || n < 0 || n > 6 {
				return shequn.Repeat{}, false
			}
			r.Weekdays = append(r.Weekdays, n)
		}
	case f[4] == "*":
		d, err := strconv.Atoi(f[2])
		if err != nil {
			return shequn.Repeat{}, false
		}
		r.Every, r.Day = shequn.EveryMonth, d
	default:
		return shequn.Repeat{}, false
	}
	return r, true
}

func clock(s string) (h, m int, err error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, err
	}
	return t.Hour(), t.Minute(), nil
}

// Next returns the next n times an expression fires after from, in loc.
func Next(expr string, loc *time.Location, from time.Time, n int) ([]time.Time, error) {
	spec, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for window := 7 * 24 * time.Hour; len(out) < n && window <= 800*24*time.Hour; window *= 4 {
		out = spec.Times(from, from.Add(window), loc)
	}
	return out[:min(n, len(out))], nil
}
