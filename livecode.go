package shequn

import (
	"context"
	"regexp"
	"slices"
	"strings"
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
	AlertSeats int `json:"alert_seats"`
	// Mode is LivePool (uploaded QR pictures) or LiveWeCom (a WeCom
	// customer-group join way whose chats are the targets' groups).
	Mode string `json:"mode"`
	// State is the channel code (≤ 30 characters) joins through this live
	// code carry: WeCom stores it on the member's join, and shequn keeps it
	// as the join's source. Empty: the slug.
	State string `json:"state"`
	// ConnectorID is the WeCom connector of a LiveWeCom code.
	ConnectorID int64 `json:"connector_id,omitempty"`
	// JoinWay holds a LiveWeCom code's settings and what WeCom answered.
	JoinWay   *JoinWay `json:"join_way,omitempty"`
	SyncError string   `json:"sync_error,omitempty"`
	// HasQR: the join way's QR picture is kept (served at target 0).
	HasQR     bool         `json:"has_qr,omitempty"`
	Targets   []LiveTarget `json:"targets"`
	CreatedAt time.Time    `json:"created_at"`
}

// Live code modes.
const (
	LivePool  = "pool"
	LiveWeCom = "wecom"
)

// JoinWay is a WeCom customer-group join way (客户群「加入群聊」): a QR
// (scene 2) or mini-program button (scene 1) that puts the joiner in the
// first of its chats with room, and, with AutoCreateRoom, in a new group
// named RoomBaseName plus a number once all are full.
type JoinWay struct {
	ConfigID       string   `json:"config_id,omitempty"`
	Scene          int      `json:"scene"`
	Remark         string   `json:"remark,omitempty"`
	AutoCreateRoom bool     `json:"auto_create_room"`
	RoomBaseName   string   `json:"room_base_name,omitempty"`
	RoomBaseID     int      `json:"room_base_id,omitempty"`
	ChatIDs        []string `json:"chat_id_list,omitempty"`
	State          string   `json:"state,omitempty"`
	// QRCode is the QR picture's address WeCom answers (scene 2).
	QRCode string `json:"qr_code,omitempty"`
}

// JoinWayer is a Platform that manages join ways (WeCom).
type JoinWayer interface {
	// SaveJoinWay adds w (no ConfigID yet: it is set) or updates it, then
	// reads back its QR address.
	SaveJoinWay(ctx context.Context, w *JoinWay) error
	DeleteJoinWay(ctx context.Context, configID string) error
	// JoinWayQR downloads the join way's QR picture.
	JoinWayQR(ctx context.Context, w *JoinWay) ([]byte, error)
}

// InviteLinker is a Platform that makes named invite links to its groups
// (Telegram's createChatInviteLink): joins through a link carry its name.
type InviteLinker interface {
	CreateInviteLink(ctx context.Context, chatID, name string, expires time.Time) (string, error)
}

// Join way limits (WeCom's): at most 5 chats in one join way; scan joins
// stop at 200 members, other joins at 500.
const (
	MaxJoinWayChats = 5
	WeComScanCap    = 200
	WeComGroupCap   = 500
	MaxStateLen     = 30
)

// ChannelState is the state joins through c carry.
func (c *LiveCode) ChannelState() string {
	if c.State != "" {
		return c.State
	}
	return Clip(c.Slug, MaxStateLen)
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
	Fill      int    `json:"fill"`
	QRText    string `json:"qr_text"`
	ImageType string `json:"image_type"`
	// Invite, when adding a target, asks for a named invite link to the
	// group (Telegram) instead of an uploaded picture.
	Invite    bool      `json:"invite,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// OpensInApp reports whether t's code is a link the visitor can tap
// (a Telegram invite link) as well as scan.
func (t LiveTarget) OpensInApp() bool {
	return strings.HasPrefix(t.QRText, "https://t.me/")
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
	case !ValidState(c.State):
		return Invalid("state", "state: at most %d letters, digits, '-', '_', ':' or '.'", MaxStateLen)
	case c.Mode != LivePool && c.Mode != LiveWeCom:
		return Invalid("mode", "mode %q: want pool or wecom", Clip(c.Mode, 20))
	case c.Mode == LiveWeCom:
		return checkJoinWay(c)
	}
	return nil
}

var stateRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]*$`)

// ValidState reports whether s can be a channel code (state): at most
// MaxStateLen letters, digits, '-', '_', ':' or '.'.
func ValidState(s string) bool { return len(s) <= MaxStateLen && stateRE.MatchString(s) }

func checkJoinWay(c *LiveCode) error {
	w := c.JoinWay
	switch {
	case c.ConnectorID == 0:
		return Invalid("connector_id", "a WeCom live code needs its WeCom connector")
	case w == nil:
		return Invalid("join_way", "a WeCom live code needs its join way settings")
	case w.Scene != 1 && w.Scene != 2:
		return Invalid("scene", "scene: 1 (mini-program) or 2 (QR code)")
	case utf8.RuneCountInString(w.Remark) > 30 || !utf8.ValidString(w.Remark):
		return Invalid("remark", "remark: at most 30 characters")
	case utf8.RuneCountInString(w.RoomBaseName) > 40 || !utf8.ValidString(w.RoomBaseName):
		return Invalid("room_base_name", "room_base_name: at most 40 characters")
	case w.AutoCreateRoom && w.RoomBaseName == "":
		return Invalid("room_base_name", "creating groups automatically needs a base name for them")
	case w.RoomBaseID < 0 || w.RoomBaseID > 1_000_000:
		return Invalid("room_base_id", "room_base_id: 0 to 1000000")
	}
	return nil
}

// GroupCap is a new target's default cap: WeCom's for the join way's
// scene, else DefaultTargetCap.
func (c *LiveCode) GroupCap() int {
	switch {
	case c.Mode != LiveWeCom:
		return DefaultTargetCap
	case c.JoinWay != nil && c.JoinWay.Scene == 2:
		return WeComScanCap
	}
	return WeComGroupCap
}

// WantedChats are the chats a WeCom code's join way should list now: the
// first MaxJoinWayChats of its targets with room, by position (full ones
// are pruned, the next chained in). When all are full and the join way
// creates groups, the last one stays so that WeCom creates the next.
func (c *LiveCode) WantedChats(now time.Time, chat func(community int64) string) []string {
	ts := slices.Clone(c.Targets)
	slices.SortStableFunc(ts, func(a, b LiveTarget) int { return a.Position - b.Position })
	var out []string
	last := ""
	for _, t := range ts {
		id := chat(t.CommunityID)
		if id == "" {
			continue
		}
		last = id
		if t.Free(now) > 0 && len(out) < MaxJoinWayChats {
			out = append(out, id)
		}
	}
	if len(out) == 0 && last != "" && c.JoinWay != nil && c.JoinWay.AutoCreateRoom {
		out = append(out, last)
	}
	return out
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
