package shequn

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EventKind names what happened.
type EventKind string

// Event kinds accepted by the ingestion API.
const (
	EventMessage  EventKind = "message"
	EventJoin     EventKind = "join"
	EventLeave    EventKind = "leave"
	EventKick     EventKind = "kick"
	EventBan      EventKind = "ban"
	EventReaction EventKind = "reaction"
)

// EventKinds lists the accepted kinds in a stable order.
var EventKinds = []EventKind{EventMessage, EventJoin, EventLeave, EventKick, EventBan, EventReaction}

// Valid reports whether k is an accepted kind.
func (k EventKind) Valid() bool {
	for _, v := range EventKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Limits on event fields.
const (
	MaxIDLen   = 256
	MaxNameLen = 256
	MaxTextLen = 16 << 10
)

// EventInput is one event as a source delivers it (the public
// POST /api/v1/events contract). ID is the source's unique id.
type EventInput struct {
	ID            string `json:"id"`
	Platform      string `json:"platform"`
	Community     string `json:"community"`
	CommunityName string `json:"community_name,omitempty"`
	Actor         string `json:"actor"`
	ActorName     string `json:"actor_name,omitempty"`
	Kind          string `json:"kind"`
	TS            string `json:"ts"`
	Text          string `json:"text,omitempty"`
	ReplyTo       string `json:"reply_to,omitempty"`
	Target        string `json:"target,omitempty"`
	TargetName    string `json:"target_name,omitempty"`
	Inviter       string `json:"inviter,omitempty"`
	// ActorBot says the actor is a bot (the platform says so): it is
	// marked staff, out of every analytics figure.
	ActorBot bool `json:"actor_bot,omitempty"`
	// Source is how a join came about (invite_link, qr_code, campaign…).
	Source string `json:"source,omitempty"`
	// Attachments are files sent with a message.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment kinds.
const (
	AttachImage = "image"
	AttachFile  = "file"
	AttachAudio = "audio"
	AttachVideo = "video"
)

// Limits on attachments.
const (
	MaxAttachments     = 4
	MaxAttachmentBytes = 5 << 20
	MaxURLLen          = 2048
)

// Attachment is a file sent with a message. Data holds its bytes when the
// connector fetched them (base64 in JSON): pictures get the QR check.
// Only the kind, type, size and URL are stored.
type Attachment struct {
	Kind string `json:"kind"`
	MIME string `json:"mime,omitempty"`
	Size int64  `json:"size,omitempty"`
	URL  string `json:"url,omitempty"`
	Data []byte `json:"data,omitempty"`
}

// Event is a validated event, ready for the pipeline.
type Event struct {
	SourceID      string
	Platform      string
	Community     string
	CommunityName string
	Actor         string
	ActorName     string
	Kind          EventKind
	TS            time.Time
	Text          string
	ReplyTo       string
	Target        string
	TargetName    string
	Inviter       string
	Source        string
	Attachments   []Attachment
	ActorBot      bool
}

// Key is the idempotency key: the same key is stored once per workspace.
func (e *Event) Key() string { return e.Platform + ":" + e.SourceID }

// StoredEvent is a row of the append-only event log.
type StoredEvent struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Platform    string `json:"platform"`
	SourceID    string `json:"source_id"`
	CommunityID int64  `json:"community_id"`
	Community   string `json:"community_name,omitempty"`
	MemberID    int64  `json:"member_id"`
	// MemberName is filled where events are listed for people to read.
	MemberName string    `json:"member_name,omitempty"`
	Kind       EventKind `json:"kind"`
	TS         time.Time `json:"ts"`
	Text       string    `json:"text,omitempty"`
	ReplyTo    string    `json:"reply_to,omitempty"`
	TargetID   *int64    `json:"target_id,omitempty"`
	InviterID  *int64    `json:"inviter_id,omitempty"`
	// Attachments are the files sent with the message (without their bytes).
	Attachments []Attachment `json:"attachments,omitempty"`
}

// EventFilter selects events.
type EventFilter struct {
	CommunityID int64
	MemberID    int64
	Kind        EventKind
	Before      time.Time
	Limit       int
}

// ParseEvent validates in and returns the event, or an EINVALID error that
// names the field.
func ParseEvent(in EventInput) (Event, error) {
	ev := Event{
		SourceID: in.ID, Platform: strings.ToLower(strings.TrimSpace(in.Platform)),
		Community: in.Community, CommunityName: in.CommunityName,
		Actor: in.Actor, ActorName: in.ActorName, Kind: EventKind(in.Kind),
		Text: in.Text, ReplyTo: in.ReplyTo, Target: in.Target, TargetName: in.TargetName,
		Inviter: in.Inviter, Source: in.Source, Attachments: slices.Clone(in.Attachments), ActorBot: in.ActorBot,
	}
	if err := checkText("id", ev.SourceID, MaxIDLen, true); err != nil {
		return ev, err
	}
	if !validPlatform(ev.Platform) {
		return ev, Errorf(EINVALID, "platform %q: want 1-32 of a-z, 0-9, _ or -", in.Platform)
	}
	if !ev.Kind.Valid() {
		return ev, Errorf(EINVALID, "kind %q: want one of %s", in.Kind, kindList())
	}
	if err := checkFields(&ev); err != nil {
		return ev, err
	}
	if err := checkAttachments(ev.Attachments); err != nil {
		return ev, err
	}
	ts, err := time.Parse(time.RFC3339Nano, in.TS)
	if err != nil {
		return ev, Errorf(EINVALID, "ts %q: want an RFC 3339 time such as 2026-01-02T15:04:05Z", in.TS)
	}
	if ts.Year() < 2000 || ts.Year() > 2200 {
		return ev, Errorf(EINVALID, "ts %q: year out of range", in.TS)
	}
	ev.TS = ts.UTC()
	if (ev.Kind == EventKick || ev.Kind == EventBan) && ev.Target == "" {
		return ev, Errorf(EINVALID, "target: required for kind %s", ev.Kind)
	}
	if ev.Inviter != "" && ev.Inviter == ev.Actor && ev.Kind == EventJoin {
		ev.Inviter = "" // a self-invite carries no attribution
	}
	return ev, nil
}

func checkFields(ev *Event) error {
	checks := []struct {
		name     string
		v        string
		max      int
		required bool
	}{
		{"community", ev.Community, MaxIDLen, true},
		{"community_name", ev.CommunityName, MaxNameLen, false},
		{"actor", ev.Actor, MaxIDLen, true},
		{"actor_name", ev.ActorName, MaxNameLen, false},
		{"text", ev.Text, MaxTextLen, false},
		{"reply_to", ev.ReplyTo, MaxIDLen, false},
		{"target", ev.Target, MaxIDLen, false},
		{"target_name", ev.TargetName, MaxNameLen, false},
		{"inviter", ev.Inviter, MaxIDLen, false},
		{"source", ev.Source, 32, false},
	}
	for _, c := range checks {
		if err := checkText(c.name, c.v, c.max, c.required); err != nil {
			return err
		}
	}
	return nil
}

func checkAttachments(as []Attachment) error {
	if len(as) > MaxAttachments {
		return Errorf(EINVALID, "attachments: at most %d", MaxAttachments)
	}
	for i := range as {
		a := &as[i]
		field := "attachments[" + itoa(i) + "]"
		switch {
		case a.Kind != AttachImage && a.Kind != AttachFile && a.Kind != AttachAudio && a.Kind != AttachVideo:
			return Errorf(EINVALID, "%s.kind %q: want image, file, audio or video", field, a.Kind)
		case len(a.Data) > MaxAttachmentBytes:
			return Errorf(EINVALID, "%s.data: larger than %d bytes", field, MaxAttachmentBytes)
		case a.Size < 0:
			return Errorf(EINVALID, "%s.size: must not be negative", field)
		case a.URL != "" && !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") && !strings.HasPrefix(a.URL, "mxc://"):
			return Errorf(EINVALID, "%s.url: want an http(s) or mxc URL", field)
		}
		if err := checkText(field+".mime", a.MIME, 100, false); err != nil {
			return err
		}
		if err := checkText(field+".url", a.URL, MaxURLLen, false); err != nil {
			return err
		}
		if a.Size == 0 {
			a.Size = int64(len(a.Data))
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func checkText(name, v string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return Errorf(EINVALID, "%s: required", name)
	case len(v) > max:
		return Errorf(EINVALID, "%s: longer than %d bytes", name, max)
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		return Errorf(EINVALID, "%s: not valid UTF-8 text", name)
	}
	return nil
}

func validPlatform(p string) bool {
	if p == "" || len(p) > 32 {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func kindList() string {
	s := make([]string, len(EventKinds))
	for i, k := range EventKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// IngestResult tells how many events of a batch were new.
type IngestResult struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
}
