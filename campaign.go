package shequn

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign is a fission campaign (裂变). Every kind records its helps on
// one ledger; a task campaign (送, 任务宝) counts the people each member
// invites into its groups and pays points at each stage reached.
type Campaign struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	// CommunityIDs are the groups invitees join (none: every group).
	CommunityIDs []int64 `json:"community_ids"`
	Stages       []Stage `json:"stages"`
	// NewOnly counts only invitees shequn had never seen before the
	// campaign started.
	NewOnly bool `json:"new_only"`
	// HoldHours must pass, with the invitee still in the group, before a
	// help is confirmed and counts toward a payout.
	HoldHours int `json:"hold_hours"`
	// Cost is what the campaign cost, in cents (fen) of the workspace's
	// currency: with the confirmed helps it gives the cost per member.
	Cost      int64     `json:"cost"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	CreatedAt time.Time `json:"created_at"`
	// Secret signs members' progress links; never shown.
	Secret string `json:"-"`
}

// Stage is a threshold of confirmed helps and what reaching it pays.
type Stage struct {
	Threshold int    `json:"threshold"`
	Points    int64  `json:"points"`
	Label     string `json:"label"`
	// Stock is how many members this stage may pay (0: no limit); Paid
	// how many it has.
	Stock int `json:"stock"`
	Paid  int `json:"paid"`
}

// Campaign kinds (the others of SPEC C5 come on the same ledger).
const CampaignTask = "task"

// Help statuses: a help is held from the moment it passes the checks
// (new person, not oneself, not blocklisted: it counts toward progress
// at once) until its hold window ends; it is then confirmed when the
// invitee is still in the group, else voided. A voided help says why.
//
// A help whose fraud signals add up to ReviewScore goes to review instead
// of being confirmed: an operator confirms or voids it (as fraud).
const (
	HelpHeld      = "held"
	HelpReview    = "review"
	HelpConfirmed = "confirmed"
	HelpVoided    = "voided"
)

// Reasons a help is voided.
const (
	VoidNotNew      = "not_new"
	VoidSelf        = "self"
	VoidBlocklisted = "blocklisted"
	VoidLeft        = "left_within_hold"
	VoidFraud       = "fraud"
)

// Fraud signals a help may carry, and what each adds to its score.
const (
	// SignalBurst: the inviter brought BurstJoins or more people within
	// BurstWindow (scripted or bought joins come in bursts).
	SignalBurst = "burst"
	// SignalDefaultName: the invitee kept a platform's default name.
	SignalDefaultName = "default_name"
	// SignalSilent: the invitee wrote nothing during the hold window.
	SignalSilent = "silent"
	ReviewScore  = 60
	BurstJoins   = 5
	BurstWindow  = 10 * time.Minute
)

// SignalWeights are the points each signal adds to a help's score.
var SignalWeights = map[string]int{SignalBurst: 40, SignalDefaultName: 30, SignalSilent: 30}

var defaultNameRE = regexp.MustCompile(`(?i)^(微信用户|wechat ?user|用户|user|qq用户|telegram user|新用户)[\s_-]*\d*$`)

// DefaultName reports whether name looks like a platform's default
// (微信用户, user12345) or is empty.
func DefaultName(name string) bool {
	name = strings.TrimSpace(name)
	return name == "" || defaultNameRE.MatchString(name)
}

// Suspect reports whether h looked like fraud: its signals reached the
// review score (whatever became of it), or a review voided it as fraud.
func (h Help) Suspect() bool { return h.Score >= ReviewScore || h.Reason == VoidFraud }

// Score adds up the weights of signals.
func Score(signals []string) int {
	n := 0
	for _, s := range signals {
		n += SignalWeights[s]
	}
	return n
}

// Help is one entry of the help ledger: an invitee brought by a member.
type Help struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	InviterID  int64     `json:"inviter_id"`
	InviteeID  int64     `json:"invitee_id"`
	Community  int64     `json:"community_id"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
	JoinedAt   time.Time `json:"joined_at"`
	DecidedAt  time.Time `json:"decided_at"`
	// Signals are the fraud signals the help carries, Score their weight.
	Signals []string `json:"signals,omitempty"`
	Score   int      `json:"score"`
	// names, read with the ledger
	InviterName string `json:"inviter_name,omitempty"`
	InviteeName string `json:"invitee_name,omitempty"`
}

// Progress is a participant's standing in a campaign.
type Progress struct {
	MemberID  int64  `json:"member_id"`
	Name      string `json:"name"`
	Held      int    `json:"held"`
	Confirmed int    `json:"confirmed"`
	Voided    int    `json:"voided"`
	// Reached is the number of stages paid.
	Reached int `json:"reached"`
}

// Campaign limits and defaults.
const (
	DefaultHoldHours = 72
	MaxStages        = 10
)

// HoldUntil is when a help that joined at t is decided.
func (c *Campaign) HoldUntil(t time.Time) time.Time {
	return t.Add(time.Duration(c.HoldHours) * time.Hour)
}

// CheckCampaign verifies a campaign's settings.
func CheckCampaign(c *Campaign) error {
	switch {
	case c.Kind != CampaignTask:
		return Invalid("kind", "kind %q: want task", Clip(c.Kind, 20))
	case c.Name == "" || utf8.RuneCountInString(c.Name) > 100 || !utf8.ValidString(c.Name):
		return Invalid("name", "name: 1 to 100 characters")
	case !c.End.After(c.Start) || c.End.Sub(c.Start) > 366*24*time.Hour:
		return Invalid("end", "end: after the start and within a year of it")
	case c.HoldHours < 0 || c.HoldHours > 7*24:
		return Invalid("hold_hours", "hold_hours: 0 to 168 (7 days)")
	case len(c.Stages) == 0 || len(c.Stages) > MaxStages:
		return Invalid("stages", "stages: 1 to %d", MaxStages)
	case len(c.CommunityIDs) > 1000:
		return Invalid("community_ids", "at most 1000 groups")
	case c.Cost < 0 || c.Cost > 1_000_000_000_00:
		return Invalid("cost", "cost: 0 to 1,000,000,000 (in cents)")
	}
	last := 0
	for i, s := range c.Stages {
		switch {
		case s.Threshold <= last || s.Threshold > 100_000:
			return Invalid("stages", "stage %d: thresholds rise, 1 to 100000", i+1)
		case s.Points < 0 || s.Points > 1_000_000:
			return Invalid("stages", "stage %d: points 0 to 1000000", i+1)
		case s.Stock < 0 || utf8.RuneCountInString(s.Label) > 100 || !utf8.ValidString(s.Label):
			return Invalid("stages", "stage %d: a stock of 0 or more and a label of at most 100 characters", i+1)
		}
		last = s.Threshold
	}
	return nil
}

// InGroups reports whether community counts for c.
func (c *Campaign) InGroups(community int64) bool {
	return len(c.CommunityIDs) == 0 || slices.Contains(c.CommunityIDs, community)
}

// CampaignFigures sum up a campaign: participants (members who brought
// anyone), helps by outcome, the K-factor (confirmed invitees per
// participant) and the cost per confirmed member (cents; 0 when none).
type CampaignFigures struct {
	Participants  int     `json:"participants"`
	Confirmed     int     `json:"confirmed"`
	Held          int     `json:"held"`
	Voided        int     `json:"voided"`
	Suspect       int     `json:"suspect"`
	KFactor       float64 `json:"k_factor"`
	CostPerMember int64   `json:"cost_per_member"`
}

// Figures sums up helps (the whole ledger) and progress.
func (c *Campaign) Figures(helps []Help, participants int) CampaignFigures {
	f := CampaignFigures{Participants: participants}
	for _, h := range helps {
		switch h.Status {
		case HelpConfirmed:
			f.Confirmed++
		case HelpVoided:
			f.Voided++
		default:
			f.Held++
		}
		if h.Suspect() {
			f.Suspect++
		}
	}
	if participants > 0 {
		f.KFactor = float64(f.Confirmed) / float64(participants)
	}
	if f.Confirmed > 0 {
		f.CostPerMember = c.Cost / int64(f.Confirmed)
	}
	return f
}
