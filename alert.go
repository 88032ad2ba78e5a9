package shequn

import "time"

// Alert kinds raised by the detectors.
const (
	AlertUnanswered  = "unanswered"    // a question unanswered past the SLA
	AlertSilence     = "silence"       // a normally active group gone quiet
	AlertDormant     = "dormant"       // members gone quiet (recall 召回 list)
	AlertSpamWave    = "spam_wave"     // many moderation cases in a short time
	AlertSentiment   = "sentiment"     // a spike of complaints
	AlertCapacity    = "capacity"      // a group near its member limit
	AlertAutomation  = "automation"    // an automation's notify action
	AlertQRExpiring  = "qr_expiring"   // a live code's QR expires within a day
	AlertLiveCodeLow = "live_code_low" // a live code's free seats below its threshold
)

// AlertKinds lists the kinds.
var AlertKinds = []string{AlertUnanswered, AlertSilence, AlertDormant, AlertSpamWave, AlertSentiment, AlertCapacity, AlertAutomation,
	AlertQRExpiring, AlertLiveCodeLow}

// Alert statuses.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertResolved     = "resolved"
)

// Alert is an item of the operators' inbox.
type Alert struct {
	ID          int64          `json:"id"`
	WorkspaceID int64          `json:"workspace_id"`
	Kind        string         `json:"kind"`
	CommunityID int64          `json:"community_id,omitempty"`
	Community   string         `json:"community_name,omitempty"`
	MemberID    int64          `json:"member_id,omitempty"`
	MemberName  string         `json:"member_name,omitempty"` // filled in lists
	Key         string         `json:"key"`
	Details     map[string]any `json:"details"`
	Status      string         `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Status string
	Kind   string
	Limit  int
}
