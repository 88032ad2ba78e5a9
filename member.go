package shequn

import "time"

// Member is one person across platforms and groups.
type Member struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	DisplayName string    `json:"display_name"`
	Phone       string    `json:"-"`
	Tags        []string  `json:"tags"`
	Note        string    `json:"note"`
	CreatedAt   time.Time `json:"created_at"`
	// Staff marks staff, bots and the workspace's own accounts: they are
	// left out of every analytics figure.
	Staff bool `json:"staff"`
}

// Identity maps one platform account to a member.
type Identity struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	MemberID    int64     `json:"member_id"`
	Platform    string    `json:"platform"`
	ExternalID  string    `json:"external_id"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

// Membership roles and statuses.
const (
	MemberRoleOwner  = "owner"
	MemberRoleAdmin  = "admin"
	MemberRoleKOL    = "kol"
	MemberRoleMember = "member"

	StatusActive = "active"
	StatusLeft   = "left"
	StatusKicked = "kicked"
	StatusBanned = "banned"
)

// Join sources.
const (
	SourceDirect   = "direct"
	SourceInvite   = "invite"
	SourceLink     = "invite_link"
	SourceQRCode   = "qr_code"
	SourceCampaign = "campaign"
	SourceImport   = "import"
	SourceUnknown  = "unknown"
)

// Membership is a member in a community.
type Membership struct {
	ID            int64      `json:"id"`
	WorkspaceID   int64      `json:"workspace_id"`
	CommunityID   int64      `json:"community_id"`
	CommunityName string     `json:"community_name,omitempty"`
	MemberID      int64      `json:"member_id"`
	Role          string     `json:"role"`
	Status        string     `json:"status"`
	JoinedAt      *time.Time `json:"joined_at,omitempty"`
	LeftAt        *time.Time `json:"left_at,omitempty"`
	InvitedBy     *int64     `json:"invited_by,omitempty"`
	JoinSource    string     `json:"join_source"`
	StatusAt      time.Time  `json:"status_at"`
	Lifecycle     string     `json:"lifecycle,omitempty"`
}

// MemberStats are a member's figures.
type MemberStats struct {
	Messages     int        `json:"messages"`
	ActiveDays   int        `json:"active_days"`
	Communities  int        `json:"communities"`
	Invited      int        `json:"invited"`
	FirstSeen    *time.Time `json:"first_seen,omitempty"`
	LastActiveOn string     `json:"last_active_on,omitempty"`
}

// MemberSummary is a member with figures, for lists.
type MemberSummary struct {
	Member
	Platforms []string    `json:"platforms"`
	Stats     MemberStats `json:"stats"`
	Tier      string      `json:"tier,omitempty"`
}

// MemberFilter selects members. Zero fields do not filter.
// SearchCountCap is how far a search's matches are counted: a larger
// total is reported as SearchCountCap+1 ("more than 1,000").
const SearchCountCap = 1000

type MemberFilter struct {
	Query       string
	CommunityID int64
	Platform    string
	// Status filters by membership status in CommunityID (or any community).
	Status string
	// Tier filters by computed tier (core, active, regular, newcomer, lurker, dormant, churned).
	Tier string
	// Sort is one of "recent" (default), "messages", "name".
	Sort   string
	Limit  int
	Offset int
}

// MaskPhone keeps the first three and last two digits: 138******78.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) <= 5 {
		out := make([]rune, len(r))
		for i := range out {
			out[i] = '*'
		}
		return string(out)
	}
	for i := 3; i < len(r)-2; i++ {
		r[i] = '*'
	}
	return string(r)
}
