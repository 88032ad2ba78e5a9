package shequn

import "time"

// Moderation actions, mildest first.
const (
	ActionFlag      = "flag"
	ActionDelete    = "delete"
	ActionWarn      = "warn"
	ActionMute      = "mute"
	ActionKick      = "kick"
	ActionBan       = "ban"
	ActionBlocklist = "blocklist"
)

// ModerationActions lists the actions a rule may take.
var ModerationActions = []string{ActionFlag, ActionDelete, ActionWarn, ActionMute, ActionKick, ActionBan, ActionBlocklist}

// ModerationRule is how a workspace (CommunityID 0) or one community
// moderates: which detectors, their thresholds, and what to do with spam.
type ModerationRule struct {
	WorkspaceID int64 `json:"workspace_id"`
	CommunityID int64 `json:"community_id"`
	// Action is taken on spam; a warn escalates to a kick at WarnLimit.
	Action    string `json:"action"`
	WarnLimit int    `json:"warn_limit"`
	// ExemptRoles are membership roles never moderated (owner, admin, kol).
	ExemptRoles []string `json:"exempt_roles"`
	// AllowMembers are member ids never moderated.
	AllowMembers []int64 `json:"allow_members"`
	// Keywords, one a line as "text|weight".
	Keywords            string   `json:"keywords"`
	Regexes             []string `json:"regexes"`
	DenyDomains         []string `json:"deny_domains"`
	AllowDomains        []string `json:"allow_domains"`
	FloodCount          int      `json:"flood_count"`
	FloodSeconds        int      `json:"flood_seconds"`
	DupGroups           int      `json:"dup_groups"`
	DupMinutes          int      `json:"dup_minutes"`
	NewcomerHours       int      `json:"newcomer_hours"`
	ClassifierThreshold float64  `json:"classifier_threshold"`
	// ClassifierActAbove: a message that only the classifier calls spam is
	// flagged for review unless the classifier's probability is at least
	// this; then the rule's action is taken (1: never).
	ClassifierActAbove float64 `json:"classifier_act_above"`
	// ShadowUntil: until then the rule decides and records what it would
	// do, and does nothing (shadow mode).
	ShadowUntil *time.Time `json:"shadow_until,omitempty"`
	// Promotions adds the commercial-promotions keywords (sales,
	// discounts, 优惠/折/特卖/秒杀…) that many groups count as ads.
	Promotions bool      `json:"promotions"`
	Disabled   []string  `json:"disabled"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// DefaultClassifierActAbove is the probability above which the classifier
// alone may act.
const DefaultClassifierActAbove = 0.99

// Shadowing reports whether the rule is in shadow mode at t.
func (r *ModerationRule) Shadowing(t time.Time) bool {
	return r.ShadowUntil != nil && t.Before(*r.ShadowUntil)
}

// Case statuses.
const (
	CaseOpen       = "open"
	CaseApproved   = "approved"
	CaseOverturned = "overturned"
)

// Case reasons.
const (
	ReasonDetector  = "detector"
	ReasonReport    = "report"
	ReasonBlocklist = "blocklist"
)

// ModerationCase is one moderated (or reported) message: the review queue
// holds the open ones, the log all of them.
type ModerationCase struct {
	ID            int64      `json:"id"`
	WorkspaceID   int64      `json:"workspace_id"`
	CommunityID   int64      `json:"community_id"`
	CommunityName string     `json:"community_name,omitempty"`
	MemberID      int64      `json:"member_id"`
	MemberName    string     `json:"member_name,omitempty"`
	EventID       int64      `json:"event_id"`
	Platform      string     `json:"platform"`
	SourceID      string     `json:"source_id"`
	Text          string     `json:"text"`
	Reason        string     `json:"reason"`
	Detectors     string     `json:"detectors"`
	Verdicts      string     `json:"verdicts"`
	Action        string     `json:"action"`
	Status        string     `json:"status"`
	ReporterID    *int64     `json:"reporter_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy    *int64     `json:"reviewed_by,omitempty"`
	// Shadow: the rule was in shadow mode; Action is what it would have
	// done, and nothing was done.
	Shadow bool `json:"shadow"`
	// MessageAt is when the message was sent (zero for cases without one).
	MessageAt time.Time `json:"message_at"`
}

// CaseFilter selects cases.
type CaseFilter struct {
	Status      string
	Reason      string
	CommunityID int64
	MemberID    int64
	Detector    string
	// Since and Until bound the message's time (zero: unbounded).
	Since, Until time.Time
	Limit        int
	Offset       int
}

// DetectorPrecision is how often a detector's cases were confirmed by the
// operators who reviewed them.
type DetectorPrecision struct {
	Detector   string  `json:"detector"`
	Approved   int     `json:"approved"`
	Overturned int     `json:"overturned"`
	Precision  float64 `json:"precision"` // approved / reviewed; 0 when none
}

// Outbox statuses.
const (
	OutboxPending   = "pending"
	OutboxSent      = "sent"
	OutboxFailed    = "failed"
	OutboxCancelled = "cancelled"
)

// BlockEntry is a member removed from every group of the workspace and
// refused on rejoin.
type BlockEntry struct {
	WorkspaceID int64     `json:"workspace_id"`
	MemberID    int64     `json:"member_id"`
	MemberName  string    `json:"member_name,omitempty"`
	Reason      string    `json:"reason"`
	CaseID      int64     `json:"case_id"`
	CreatedAt   time.Time `json:"created_at"`
}
