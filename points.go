package shequn

import (
	"fmt"
	"strings"
	"time"
)

// Points entry kinds.
const (
	PointsEarn   = "earn"   // by a points rule (message, answer, check-in…)
	PointsGrant  = "grant"  // by an operator
	PointsDeduct = "deduct" // by an operator
	PointsSpend  = "spend"  // a redemption
	PointsRefund = "refund" // a cancelled redemption
)

// PointsEntry is a line of the append-only points ledger. The same
// idempotency key is posted once; a member's balance is the sum of entries
// and never negative.
type PointsEntry struct {
	ID             int64  `json:"id"`
	WorkspaceID    int64  `json:"workspace_id"`
	MemberID       int64  `json:"member_id"`
	Amount         int64  `json:"amount"`
	Kind           string `json:"kind"`
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
	OperatorID     *int64 `json:"operator_id,omitempty"`
	// CreatedAt is when the entry was booked; OccurredAt when what earned
	// it happened (the booking time for grants).
	CreatedAt  time.Time `json:"created_at"`
	OccurredAt time.Time `json:"occurred_at"`
	// Day is set on the points a member earned by chatting on that day
	// (ID 0: one such entry per day, kept with the day's activity; its
	// times are that day's noon).
	Day string `json:"day,omitempty"`
}

// Reward is something members redeem points for.
type Reward struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"` // physical or virtual
	Cost        int64  `json:"cost"`
	// Stock is nil when unlimited.
	Stock          *int64    `json:"stock"`
	PerMemberLimit int       `json:"per_member_limit"` // 0: no limit
	Active         bool      `json:"active"`
	CreatedAt      time.Time `json:"created_at"`
}

// Redemption statuses.
const (
	RedemptionPending   = "pending"
	RedemptionFulfilled = "fulfilled"
	RedemptionCancelled = "cancelled"
)

// Redemption is a member's claim of a reward.
type Redemption struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	RewardID    int64  `json:"reward_id"`
	MemberID    int64  `json:"member_id"`
	Cost        int64  `json:"cost"`
	Status      string `json:"status"`
	Delivery    string `json:"delivery"` // address or account for physical rewards
	// AwaitingDelivery: a physical reward whose member has not yet given
	// delivery details on the private page.
	AwaitingDelivery bool `json:"awaiting_delivery"`
	// DeliveryLink, set only when the redemption is made, is the private
	// page where the member gives the details.
	DeliveryLink   string    `json:"delivery_link,omitempty"`
	IdempotencyKey string    `json:"idempotency_key"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// MemberName and RewardName are filled in lists.
	MemberName string `json:"member_name,omitempty"`
	RewardName string `json:"reward_name,omitempty"`
}

// PointsRule says what earns points in a workspace.
type PointsRule struct {
	Message   int `json:"message"`    // per message of at least MinLength characters
	Reply     int `json:"reply"`      // instead of Message, for a reply to someone else
	DailyCap  int `json:"daily_cap"`  // most points a member earns from chat in a day
	MinLength int `json:"min_length"` // shorter messages earn nothing
	// InviteStays is paid to the inviter once the invitee has stayed 7 days.
	InviteStays int `json:"invite_stays"`
}

// DefaultPointsRule is what a workspace starts with.
func DefaultPointsRule() PointsRule {
	return PointsRule{Message: 1, Reply: 2, DailyCap: 20, MinLength: 4, InviteStays: 10}
}

// Periods returns the leaderboard periods of t in loc: day D2026-03-02,
// ISO week W2026-10 and month M2026-03.
func Periods(t time.Time, loc *time.Location) (day, week, month string) {
	t = t.In(loc)
	y, w := t.ISOWeek()
	return "D" + t.Format(time.DateOnly), fmt.Sprintf("W%d-%02d", y, w), "M" + t.Format("2006-01")
}

// PeriodDays returns the days a week (W2026-10) or month (M2026-03)
// period covers, and false for anything else.
func PeriodDays(period string) (DayRange, bool) {
	var y, n int
	switch {
	case strings.HasPrefix(period, "W"):
		if _, err := fmt.Sscanf(period, "W%4d-%2d", &y, &n); err != nil || n < 1 || n > 53 || len(period) != 8 {
			return DayRange{}, false
		}
		monday, ok := isoMonday(y, n, time.UTC)
		if !ok {
			return DayRange{}, false
		}
		return DayRange{From: monday.Format(time.DateOnly), To: monday.AddDate(0, 0, 6).Format(time.DateOnly)}, true
	case strings.HasPrefix(period, "M"):
		first, err := time.Parse("M2006-01", period)
		if err != nil {
			return DayRange{}, false
		}
		return DayRange{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly)}, true
	}
	return DayRange{}, false
}

// LeaderboardRow is one member's place in a period.
type LeaderboardRow struct {
	Rank     int    `json:"rank"`
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	Points   int64  `json:"points"`
}

// Levels are lifetime points thresholds: level i+1 needs Levels[i] points.
var Levels = []int64{0, 20, 60, 150, 400, 1000, 2500, 6000}

// LevelOf returns the level (1-based) for lifetime points and the points
// the next level needs (0 at the top).
func LevelOf(points int64) (level int, next int64) {
	for i, th := range Levels {
		if points >= th {
			level = i + 1
		}
	}
	if level < len(Levels) {
		next = Levels[level]
	}
	return level, next
}

// isoMonday returns the Monday of ISO week w of year y in loc, and false
// when y has no such week.
func isoMonday(y, w int, loc *time.Location) (time.Time, bool) {
	// ISO week 1 holds January 4th; weeks start on Monday
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
	yy, ww := monday.ISOWeek()
	return monday, yy == y && ww == w
}
