package shequn

import "time"

// Challenge is a check-in challenge (打卡): members check in once a day in
// a daily window, by bot command or the mobile page, until the goal.
type Challenge struct {
	ID           int64   `json:"id"`
	WorkspaceID  int64   `json:"workspace_id"`
	Title        string  `json:"title"`
	CommunityIDs []int64 `json:"community_ids"`
	// Goal is the number of check-in days that completes the challenge.
	Goal int `json:"goal"`
	// Start and End are the first and last day (YYYY-MM-DD), local to each group.
	Start string `json:"start"`
	End   string `json:"end"`
	// WindowStart and WindowEnd bound the daily check-in window (HH:MM, local).
	WindowStart  string `json:"window_start"`
	WindowEnd    string `json:"window_end"`
	MinLength    int    `json:"min_length"`
	RequireImage bool   `json:"require_image"`
	// Makeups is how many missed days a member may make up (补卡).
	Makeups int `json:"makeups"`
	// ReminderAt is when (HH:MM, local) those not yet checked in are reminded; "" for never.
	ReminderAt   string    `json:"reminder_at"`
	DailyPoints  int64     `json:"daily_points"`
	RewardPoints int64     `json:"reward_points"`
	CreatedAt    time.Time `json:"created_at"`
	// Secret signs members' check-in page links; never shown.
	Secret string `json:"-"`
}

// Checkin is one member's check-in for one day of a challenge.
type Checkin struct {
	ChallengeID int64     `json:"challenge_id"`
	MemberID    int64     `json:"member_id"`
	MemberName  string    `json:"member_name,omitempty"`
	Day         string    `json:"day"`
	CommunityID int64     `json:"community_id"`
	TS          time.Time `json:"ts"`
	Makeup      bool      `json:"makeup"`
	Proof       string    `json:"proof"`
}

// ChallengeDay counts a day's check-ins.
type ChallengeDay struct {
	Day      string `json:"day"`
	Checkins int    `json:"checkins"`
	Makeups  int    `json:"makeups"`
}

// ChallengeStats summarise a challenge.
type ChallengeStats struct {
	Participants int            `json:"participants"`
	Completed    int            `json:"completed"`
	Checkins     int            `json:"checkins"`
	Days         []ChallengeDay `json:"days"`
	// Leaders are the members with the most check-in days.
	Leaders []ChallengeMember `json:"leaders"`
}

// ChallengeMember is a participant's progress.
type ChallengeMember struct {
	MemberID  int64  `json:"member_id"`
	Name      string `json:"name"`
	Days      int    `json:"days"`
	Streak    int    `json:"streak"`
	Makeups   int    `json:"makeups"`
	Completed bool   `json:"completed"`
	LastDay   string `json:"last_day"`
	// CommunityID is where the member last checked in.
	CommunityID int64 `json:"community_id"`
}
