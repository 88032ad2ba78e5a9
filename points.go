package shequn

import "time"

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
	ID             int64     `json:"id"`
	WorkspaceID    int64     `json:"workspace_id"`
	MemberID       int64     `json:"member_id"`
	Amount         int64     `json:"amount"`
	Kind           string    `json:"kind"`
	Reason         string    `json:"reason"`
	IdempotencyKey string    `json:"idempotency_key"`
	OperatorID     *int64    `json:"operator_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
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
	ID             int64     `json:"id"`
	WorkspaceID    int64     `json:"workspace_id"`
	RewardID       int64     `json:"reward_id"`
	MemberID       int64     `json:"member_id"`
	Cost           int64     `json:"cost"`
	Status         string    `json:"status"`
	Delivery       string    `json:"delivery"` // address or account for physical rewards
	IdempotencyKey string    `json:"idempotency_key"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}
