package shequn

import (
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// LiveCode (活码) is one public link and QR (/j/{workspace}/{slug}) that
// stays the same while the groups behind it fill up and their QR codes
// expire: it shows the first of its targets, in order, that has room and
// has not expired, and its fallback when none has.
type LiveCode struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	// Fallback is shown when every target is full or expired: a staff
	// contact, a message.
	Fallback string `json:"fallback"`
	// AlertSeats raises an alert when the free seats of the unexpired
	// targets fall below it (0: never).
	AlertSeats int          `json:"alert_seats"`
	Targets    []LiveTarget `json:"targets"`
	CreatedAt  time.Time    `json:"created_at"`
}

// LiveTarget is a group's QR code in a live code's pool: an uploaded
// picture (personal WeChat, QQ, any platform) with its own cap and expiry.
type LiveTarget struct {
	ID         int64 `json:"id"`
	LiveCodeID int64 `json:"live_code_id"`
	// CommunityID is the group the QR joins when shequn knows it: its
	// members then measure the fill; else the page's scans do.
	CommunityID int64  `json:"community_id,omitempty"`
	Label       string `json:"label"`
	// Cap is the fill at which the target is full; Held are seats kept
	// for bots and staff.
	Cap       int       `json:"cap"`
	Held      int       `json:"held"`
	Position  int       `json:"position"`
	ExpiresAt time.Time `json:"expires_at"`
	// Days, when adding a target without ExpiresAt, is how many days its
	// QR stays valid (DefaultQRDays when 0).
	Days int `json:"days,omitempty"`
	// Scans counts the times the page showed this target.
	Scans int `json:"scans"`
	// Fill is the group's members (or the scans), read with the target.
	Fill      int       `json:"fill"`
	QRText    string    `json:"qr_text"`
	ImageType string    `json:"image_type"`
	CreatedAt time.Time `json:"created_at"`
}

// Live code limits and defaults: a personal WeChat group QR stops working
// past 200 members and after 7 days.
const (
	DefaultTargetCap = 190
	DefaultQRDays    = 7
	MaxQRImage       = 2 << 20
	MaxLiveTargets   = 50
	MaxFallbackLen   = 500
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// Free is the seats left on t at now: none once it has expired.
func (t LiveTarget) Free(now time.Time) int {
	if !now.Before(t.ExpiresAt) {
		return 0
	}
	return max(0, t.Cap-t.Held-t.Fill)
}

// Pick returns the first target, by position, with a free seat at now.
func (c *LiveCode) Pick(now time.Time) (LiveTarget, bool) {
	ts := slices.Clone(c.Targets)
	slices.SortStableFunc(ts, func(a, b LiveTarget) int { return a.Position - b.Position })
	for _, t := range ts {
		if t.Free(now) > 0 {
			return t, true
		}
	}
	return LiveTarget{}, false
}

// FreeSeats adds up the free seats of c's targets at now.
func (c *LiveCode) FreeSeats(now time.Time) int {
	n := 0
	for _, t := range c.Targets {
		n += t.Free(now)
	}
	return n
}

// CheckLiveCode verifies a live code's settings.
func CheckLiveCode(c *LiveCode) error {
	switch {
	case !slugRE.MatchString(c.Slug):
		return Invalid("slug", "slug %q: 2 to 40 lowercase letters, digits or hyphens, starting with a letter or digit", Clip(c.Slug, 60))
	case c.Name == "" || len(c.Name) > MaxNameLen || !utf8.ValidString(c.Name):
		return Invalid("name", "name: 1 to %d bytes of text", MaxNameLen)
	case utf8.RuneCountInString(c.Fallback) > MaxFallbackLen || !utf8.ValidString(c.Fallback):
		return Invalid("fallback", "fallback: at most %d characters", MaxFallbackLen)
	case c.AlertSeats < 0 || c.AlertSeats > 100_000:
		return Invalid("alert_seats", "alert_seats: 0 to 100000")
	}
	return nil
}

// CheckLiveTarget verifies a target's settings.
func CheckLiveTarget(t *LiveTarget) error {
	switch {
	case utf8.RuneCountInString(t.Label) > 64 || !utf8.ValidString(t.Label):
		return Invalid("label", "label: at most 64 characters")
	case t.Cap < 1 || t.Cap > 100_000:
		return Invalid("cap", "cap: 1 to 100000")
	case t.Held < 0 || t.Held >= t.Cap:
		return Invalid("held", "held seats: 0 to the cap less one")
	case t.Position < 0 || t.Position > 10_000:
		return Invalid("position", "position: 0 to 10000")
	case t.Days < 0 || t.Days > 365:
		return Invalid("days", "days: 1 to 365")
	}
	return nil
}
