package shequn

import "time"

// Workspace is a tenant: every other row carries its ID.
type Workspace struct {
	ID        int64     `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

// Location returns the workspace time zone, UTC when unset or unknown.
func (w *Workspace) Location() *time.Location {
	if w == nil || w.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Role of an operator in a workspace.
type Role string

const (
	RoleOwner    Role = "owner"
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
	RoleViewer   Role = "viewer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleOperator, RoleViewer:
		return true
	}
	return false
}

// Operator is a console user.
type Operator struct {
	ID           int64     `json:"id"`
	WorkspaceID  int64     `json:"workspace_id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Lang         string    `json:"lang"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// CanEdit reports whether the operator may change settings (viewers only read).
func (o *Operator) CanEdit() bool { return o.Role != RoleViewer && o.Role.Valid() }

// APIToken authenticates API calls. Only a hash of the secret is stored.
type APIToken struct {
	ID          int64      `json:"id"`
	WorkspaceID int64      `json:"workspace_id"`
	Name        string     `json:"name"`
	Hash        string     `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at,omitempty"`
}

// Session is a logged-in console operator; only a hash of its cookie is stored.
type Session struct {
	Hash       string
	OperatorID int64
	ExpiresAt  time.Time
}

// Connector is one platform account (a bot, an app, a webhook).
// Its secrets are never serialised.
type Connector struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	Platform    string    `json:"platform"`
	Name        string    `json:"name"`
	Status      string    `json:"status"`
	Config      string    `json:"config"`
	Secret      []byte    `json:"-"` // sealed at rest; plain only in memory
	CreatedAt   time.Time `json:"created_at"`
	// What it has done: events delivered, when last, its last error.
	Events      int64     `json:"events"`
	LastEventAt time.Time `json:"last_event_at,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	// FailingSince is when its current run of errors began (zero: none
	// since it last worked).
	FailingSince time.Time `json:"failing_since,omitzero"`
	// UpdatedAt is when its settings last changed.
	UpdatedAt time.Time `json:"updated_at"`
	// Health is HealthAt the time it was read (running, failing, paused).
	Health string `json:"health,omitempty"`
	// State is the connector's own resume point (a Matrix sync token, a
	// Telegram update offset).
	State string `json:"-"`
}

// Connector statuses (as set by an operator). A deleted connector is kept
// for its history but no longer listed or run.
const (
	ConnectorActive  = "active"
	ConnectorPaused  = "paused"
	ConnectorDeleted = "deleted"
)

// Connector health, as the console shows it.
const (
	HealthRunning = "running"
	HealthFailing = "failing"
	HealthPaused  = "paused"
)

// FailingFor is how recent a connector's last error must be for it to
// count as failing (a connector that retries keeps its errors recent).
const FailingFor = 15 * time.Minute

// HealthAt says whether an active connector works: failing when errors
// began and have not stopped (the last within FailingFor) and nothing
// has worked since.
func (c *Connector) HealthAt(now time.Time) string {
	switch {
	case c.Status != ConnectorActive:
		return HealthPaused
	case !c.FailingSince.IsZero() && now.Sub(c.LastErrorAt) < FailingFor:
		return HealthFailing
	}
	return HealthRunning
}
