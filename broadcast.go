package shequn

import "time"

// Broadcast statuses.
const (
	BroadcastPending  = "pending_approval"
	BroadcastApproved = "approved" // queued in the outbox, staggered
	BroadcastRejected = "rejected"
)

// BroadcastApprovalAt is the number of groups from which a broadcast needs
// a second operator's approval.
const BroadcastApprovalAt = 10

// Broadcast is one announcement to a segment of groups.
type Broadcast struct {
	ID             int64     `json:"id"`
	WorkspaceID    int64     `json:"workspace_id"`
	Text           string    `json:"text"`
	Selector       Selector  `json:"selector"`
	CommunityIDs   []int64   `json:"community_ids"`
	Status         string    `json:"status"`
	StaggerSeconds int       `json:"stagger_seconds"`
	CreatedBy      int64     `json:"created_by"`
	ApprovedBy     int64     `json:"approved_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	DecidedAt      time.Time `json:"decided_at,omitzero"`
}
