package shequn

import "time"

// Community kinds (S3, S0).
const (
	KindProspect = "prospect"
	KindCustomer = "customer"
	KindCore     = "core"
	KindSupport  = "support"
	KindInterest = "interest"
	KindLocal    = "local"
)

// Community stages (S3).
const (
	StageNew       = "new"
	StageGrowing   = "growing"
	StageMature    = "mature"
	StageDeclining = "declining"
	StageArchived  = "archived"
)

// Community (社群) is one group on one platform.
type Community struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	Platform    string    `json:"platform"`
	ExternalID  string    `json:"external_id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Theme       string    `json:"theme"`
	Tags        []string  `json:"tags"`
	Structure   string    `json:"structure"`
	Stage       string    `json:"stage"`
	Rules       string    `json:"rules"`
	Capacity    int       `json:"capacity"`
	Benchmark   bool      `json:"benchmark"`
	CreatedAt   time.Time `json:"created_at"`
	// TimeZone is the group's IANA zone; "" means the workspace's.
	TimeZone string `json:"time_zone"`
}

// Location returns the community's time zone, or fallback when it has none
// or an unknown one.
func (c *Community) Location(fallback *time.Location) *time.Location {
	if c.TimeZone != "" {
		if loc, err := time.LoadLocation(c.TimeZone); err == nil {
			return loc
		}
	}
	return fallback
}

// CommunityStats are a community's figures over a window.
type CommunityStats struct {
	Members       int `json:"members"`
	ActiveMembers int `json:"active_members"`
	Messages      int `json:"messages"`
	Joins         int `json:"joins"`
	Leaves        int `json:"leaves"`
}

// CommunitySummary is a community with its recent figures, for lists.
type CommunitySummary struct {
	Community
	Stats CommunityStats `json:"stats"`
	// LastActivity is the time of the latest event, if any.
	LastActivity *time.Time `json:"last_activity,omitempty"`
}

// CommunityFilter selects communities. Zero fields do not filter.
type CommunityFilter struct {
	Platform string
	Query    string
	// Since bounds the stats window of summaries (inclusive day).
	Since  time.Time
	Limit  int
	Offset int
	// MembersOnly leaves out the window's figures: only member counts
	// (pickers), groups sorted by them.
	MembersOnly bool
}

// CommunityUpdate holds the fields an operator may change.
type CommunityUpdate struct {
	Name      *string
	Kind      *string
	Theme     *string
	Tags      []string
	Structure *string
	Stage     *string
	Rules     *string
	Capacity  *int
	Benchmark *bool
	TimeZone  *string
}
