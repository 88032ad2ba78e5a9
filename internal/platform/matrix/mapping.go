// Package matrix connects shequn to Matrix rooms through a bot account
// (maunium.net/go/mautrix): a sync loop turns room events into shequn
// events, and outbox rows become messages, replies, redactions, kicks and
// bans, each sent with the row's key as its transaction id.
package matrix

import (
	"strings"
	"time"

	"maunium.net/go/mautrix/event"

	"github.com/shequn/shequn"
)

// rooms remembers what later events need: room names, members' display
// names, and who invited whom (the join event does not say).
type rooms struct {
	self     string            // the bot: its own events are not members' activity
	names    map[string]string // room → name
	display  map[string]string // room|user → display name
	inviters map[string]string // room|user → who invited them
	images   map[string]string // event id → mxc:// URL of a picture, until looked at
}

func newRooms(self string) *rooms {
	return &rooms{self: self, names: map[string]string{}, display: map[string]string{}, inviters: map[string]string{}, images: map[string]string{}}
}

// mapEvents turns a room's sync events into shequn events, in order.
// State-only events (names, invites) update r and yield nothing.
func (r *rooms) mapEvents(room string, evs []*event.Event) []shequn.EventInput {
	var out []shequn.EventInput
	for _, ev := range evs {
		if e, ok := r.mapEvent(room, ev); ok && e.Actor != r.self {
			out = append(out, e)
		}
	}
	return out
}

func (r *rooms) mapEvent(room string, ev *event.Event) (shequn.EventInput, bool) {
	raw := ev.Content.Raw
	base := shequn.EventInput{ID: ev.ID.String(), Platform: "matrix", Community: room, CommunityName: r.names[room],
		Actor: ev.Sender.String(), ActorName: r.name(room, ev.Sender.String()),
		TS: time.UnixMilli(ev.Timestamp).UTC().Format(time.RFC3339Nano)}
	switch ev.Type {
	case event.StateRoomName:
		if n, _ := raw["name"].(string); n != "" {
			r.names[room] = n
		}
	case event.StateMember:
		return r.member(room, ev, base)
	case event.EventMessage:
		base.Kind, base.Text = "message", messageText(raw)
		if t, _ := raw["msgtype"].(string); t == "m.image" {
			if u, _ := raw["url"].(string); u != "" {
				r.images[base.ID] = u
			}
		}
		if rel, ok := raw["m.relates_to"].(map[string]any); ok {
			if reply, ok := rel["m.in_reply_to"].(map[string]any); ok {
				base.ReplyTo, _ = reply["event_id"].(string)
			}
		}
		return base, true
	case event.EventReaction:
		// an annotation names the message reacted to, and the emoji
		base.Kind = "reaction"
		if rel, ok := raw["m.relates_to"].(map[string]any); ok {
			base.ReplyTo, _ = rel["event_id"].(string)
			base.Text, _ = rel["key"].(string)
		}
		return base, true
	}
	return base, false
}

// member maps an m.room.member event: joins (with the inviter seen in an
// earlier invite), leaves, kicks and bans.
func (r *rooms) member(room string, ev *event.Event, base shequn.EventInput) (shequn.EventInput, bool) {
	if ev.StateKey == nil {
		return base, false
	}
	target := *ev.StateKey
	raw := ev.Content.Raw
	if name, _ := raw["displayname"].(string); name != "" {
		r.display[room+"|"+target] = name
	}
	membership, _ := raw["membership"].(string)
	prev := ""
	if ev.Unsigned.PrevContent != nil {
		prev, _ = ev.Unsigned.PrevContent.Raw["membership"].(string)
	}
	switch membership {
	case "invite":
		r.inviters[room+"|"+target] = ev.Sender.String()
		return base, false
	case "join":
		if prev == "join" {
			return base, false // a display name or avatar change
		}
		base.Kind, base.Actor, base.ActorName = "join", target, r.name(room, target)
		base.Inviter = r.inviters[room+"|"+target]
		if base.Inviter == "" && prev == "invite" {
			base.Inviter = ev.Unsigned.PrevSender.String()
		}
		if base.Inviter != "" {
			base.Source = "invite"
		}
		return base, true
	case "leave":
		if ev.Sender.String() == target {
			base.Kind = "leave"
			return base, prev == "join"
		}
		base.Kind, base.Target, base.TargetName = "kick", target, r.name(room, target)
		return base, true
	case "ban":
		base.Kind, base.Target, base.TargetName = "ban", target, r.name(room, target)
		return base, true
	}
	return base, false
}

func (r *rooms) name(room, user string) string {
	if n := r.display[room+"|"+user]; n != "" {
		return n
	}
	local, _, _ := strings.Cut(strings.TrimPrefix(user, "@"), ":")
	return local
}

// messageText is what shequn reads of a message: the body, with images
// and files marked so that proof and moderation can see them.
func messageText(raw map[string]any) string {
	body, _ := raw["body"].(string)
	switch t, _ := raw["msgtype"].(string); t {
	case "m.image":
		return "[image] " + body
	case "m.file", "m.video", "m.audio":
		return "[" + strings.TrimPrefix(t, "m.") + "] " + body
	case "m.emote":
		return "* " + body
	}
	return body
}
