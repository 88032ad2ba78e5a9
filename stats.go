package shequn

import "time"

// Overview is the workspace at a glance.
type Overview struct {
	Communities   int `json:"communities"`
	Members       int `json:"members"`
	Events        int `json:"events"`
	Messages      int `json:"messages"`
	ActiveMembers int `json:"active_members_30d"`
	Joins30d      int `json:"joins_30d"`
	Leaves30d     int `json:"leaves_30d"`
	Messages30d   int `json:"messages_30d"`
}

// DayStats are one day's figures for a community or the workspace.
type DayStats struct {
	Day           string `json:"day"`
	Messages      int    `json:"messages"`
	ActiveMembers int    `json:"active_members"`
	Joins         int    `json:"joins"`
	Leaves        int    `json:"leaves"`
}

// DayRange is an inclusive range of days (YYYY-MM-DD in the workspace zone).
type DayRange struct {
	From, To string
}

// Day formats t as a day in loc.
func Day(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// WindowDays is the window of the console's and the API's figures (the
// last 30 days); members' figures over it are kept precomputed.
const WindowDays = 30

// ChartDays is how many days the overview's charts show; their closed
// days' figures are kept precomputed.
const ChartDays = 90

// LastDays returns the range of the n days ending on now's day in loc.
func LastDays(now time.Time, loc *time.Location, n int) DayRange {
	to := now.In(loc)
	return DayRange{From: to.AddDate(0, 0, -(n - 1)).Format(time.DateOnly), To: to.Format(time.DateOnly)}
}
