package shequn

import (
	"encoding/json"
	"time"
)

// Outbox actions: what a row asks a platform connector to do. The
// payload of every action is one OutboxPayload.
const (
	ActSend   = "send"   // Text to the group
	ActReply  = "reply"  // Text in reply to ReplyTo
	ActDM     = "dm"     // Text to the member privately
	ActDelete = "delete" // remove MessageID
	ActMute   = "mute"   // silence the member (Seconds, 0: the platform's default)
	ActUnmute = "unmute"
	ActKick   = "kick" // remove the member; they may come back
	ActBan    = "ban"  // remove the member and refuse them
	ActUnban  = "unban"
	ActNotify = "notify" // a notice to the workspace's operators (Alert or Text)
)

// OutboxActions lists every action, for validation and documentation.
var OutboxActions = []string{ActSend, ActReply, ActDM, ActDelete, ActMute, ActUnmute, ActKick, ActBan, ActUnban, ActNotify}

// PlatformOperators is the outbox "platform" of notices to the workspace's
// operators (alerts and notify steps), performed by the alert webhook.
const PlatformOperators = "operators"

// OutboxPayload is the payload of every outbox row; each action reads the
// fields its comment names.
type OutboxPayload struct {
	Text          string   `json:"text,omitempty"`
	ReplyTo       string   `json:"reply_to,omitempty"`   // platform id of the message answered
	MessageID     string   `json:"message_id,omitempty"` // platform id of the message to delete
	Reason        string   `json:"reason,omitempty"`
	Seconds       int      `json:"seconds,omitempty"`        // mute length
	MentionMember int64    `json:"mention_member,omitempty"` // a warning names its member
	Names         []string `json:"names,omitempty"`          // a welcome's greeted members
	Inviters      []string `json:"inviters,omitempty"`
	AutomationID  int64    `json:"automation,omitempty"`
	Step          string   `json:"step,omitempty"`
	Alert         *Alert   `json:"alert,omitempty"`
}

// OutboxItem is an action to perform on a platform (send, reply, delete,
// mute, unmute, kick, ban, unban). The idempotency key makes sure it is
// recorded, and later performed, once.
type OutboxItem struct {
	ID             int64     `json:"id"`
	WorkspaceID    int64     `json:"workspace_id"`
	IdempotencyKey string    `json:"idempotency_key"`
	Platform       string    `json:"platform"`
	CommunityID    int64     `json:"community_id"`
	MemberID       int64     `json:"member_id"`
	Action         string    `json:"action"`
	Payload        string    `json:"payload"`
	CaseID         int64     `json:"case_id"`
	Status         string    `json:"status"`
	Attempts       int       `json:"attempts"`
	DueAt          time.Time `json:"due_at"`
	CreatedAt      time.Time `json:"created_at"`
	// CommunityRef and MemberRef are the platform's own ids of the group
	// and the member, filled in by the outbox worker for the connector.
	CommunityRef string `json:"-"`
	MemberRef    string `json:"-"`
	// Filled where rows are listed for people: the group's and member's
	// names, and the platform's answer to the last attempt.
	CommunityName string `json:"community_name,omitempty"`
	MemberName    string `json:"member_name,omitempty"`
	LastError     string `json:"last_error,omitempty"`
}

// SetPayload stores p as the row's payload.
func (o *OutboxItem) SetPayload(p OutboxPayload) {
	b, _ := json.Marshal(p) // plain fields only: it cannot fail
	o.Payload = string(b)
}

// DecodePayload reads the row's payload; an error means the row cannot be
// performed as written.
func (o *OutboxItem) DecodePayload() (OutboxPayload, error) {
	var p OutboxPayload
	if o.Payload == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(o.Payload), &p); err != nil {
		return p, Errorf(EINVALID, "outbox row %s: payload is not an outbox payload: %v", o.IdempotencyKey, err)
	}
	return p, nil
}

// NewOutboxItem is a row of workspace ws for a community with its payload.
func NewOutboxItem(ws int64, key, platform string, community, member int64, action string, p OutboxPayload) *OutboxItem {
	o := &OutboxItem{WorkspaceID: ws, IdempotencyKey: key, Platform: platform, CommunityID: community, MemberID: member, Action: action}
	o.SetPayload(p)
	return o
}
