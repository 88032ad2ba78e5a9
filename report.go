package shequn

import (
	"fmt"
	"time"
)

// WeeklyReport is a workspace's week (Monday to Sunday in its zone)
// against the week before: made every Monday at 09:00 for the week past.
type WeeklyReport struct {
	Workspace string `json:"workspace"`
	Week      string `json:"week"` // ISO week, 2026-W47
	From      string `json:"from"`
	To        string `json:"to"`
	// Summary holds the week's figures, with the week before as Previous.
	Summary ActivitySummary `json:"summary"`
	// Rising and Falling are the groups whose messages changed most.
	Rising  []GroupChange `json:"rising"`
	Falling []GroupChange `json:"falling"`
	// Attention are the groups that need it: a low health score, a
	// declining or dormant lifecycle, or a single voice (health as of
	// when the report is made).
	Attention []GroupHealth `json:"attention"`
	// Helpers answered the most questions; Answers are the week's
	// quickest answers by someone other than the asker.
	Helpers []ParetoRow `json:"helpers"`
	Answers []*Question `json:"answers"`
	MadeAt  time.Time   `json:"made_at"`
}

// GroupChange is a group's messages in a week and the week before.
type GroupChange struct {
	CommunityID int64  `json:"community_id"`
	Name        string `json:"name"`
	Messages    int    `json:"messages"`
	Previous    int    `json:"previous"`
}

// Change is the difference between the two weeks.
func (g GroupChange) Change() int { return g.Messages - g.Previous }

// ReportSettings say where the weekly report's text summary goes: to the
// operators' alert webhook always, and to one group (0: none), in a
// language (zh or en).
type ReportSettings struct {
	CommunityID int64  `json:"community_id"`
	Lang        string `json:"lang"`
}

// ReportHour is when, on Monday in the workspace's zone, the weekly
// report is made.
const ReportHour = 9

// ParseWeek reads an ISO week ("2026-W47") and returns its Monday in loc.
func ParseWeek(week string, loc *time.Location) (time.Time, error) {
	var y, w int
	if n, err := fmt.Sscanf(week, "%4d-W%2d", &y, &w); err != nil || n != 2 || len(week) != 8 || w < 1 || w > 53 || y < 2000 || y > 2200 {
		return time.Time{}, Errorf(EINVALID, "week %q: want an ISO week such as 2026-W47", week)
	}
	monday, ok := isoMonday(y, w, loc)
	if !ok {
		return time.Time{}, Errorf(EINVALID, "week %q: %d has no week %d", week, y, w)
	}
	return monday, nil
}

// WeekOf returns the ISO week of t ("2026-W47").
func WeekOf(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}
