package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// tgExport is Telegram Desktop's JSON export: one chat (result.json of
// "Export chat history"), or a full export with chats.list.
type tgExport struct {
	tgChat
	Chats *struct {
		List []tgChat `json:"list"`
	} `json:"chats"`
}

type tgChat struct {
	Name     string      `json:"name"`
	Type     string      `json:"type"`
	ID       json.Number `json:"id"`
	Messages []tgMessage `json:"messages"`
}

type tgMessage struct {
	ID        json.Number     `json:"id"`
	Type      string          `json:"type"`
	Date      string          `json:"date"`
	DateUnix  string          `json:"date_unixtime"`
	From      string          `json:"from"`
	FromID    string          `json:"from_id"`
	Actor     string          `json:"actor"`
	ActorID   string          `json:"actor_id"`
	Action    string          `json:"action"`
	Members   []string        `json:"members"`
	Inviter   string          `json:"inviter"`
	Text      json.RawMessage `json:"text"`
	ReplyTo   json.Number     `json:"reply_to_message_id"`
	MediaType string          `json:"media_type"`
	Photo     string          `json:"photo"`
}

// ParseTelegram reads a Telegram Desktop JSON export. Group chats become
// communities (supergroup ids as the Bot API writes them, -100…), messages
// and service messages (joins by link, invited, removed, left) become
// events. Dates without date_unixtime are read in loc. Private chats,
// channels and saved messages are skipped.
func ParseTelegram(r io.Reader, loc *time.Location) ([]shequn.EventInput, int, error) {
	var ex tgExport
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&ex); err != nil {
		return nil, 0, fmt.Errorf("telegram export: not JSON of Telegram Desktop's export: %w", err)
	}
	chats := []tgChat{ex.tgChat}
	if ex.Chats != nil {
		chats = ex.Chats.List
	}
	var events []shequn.EventInput
	skipped := 0
	for _, c := range chats {
		if !strings.Contains(c.Type, "group") {
			skipped += len(c.Messages)
			continue
		}
		community := c.ID.String()
		if strings.Contains(c.Type, "supergroup") && !strings.HasPrefix(community, "-") {
			community = "-100" + community
		}
		for _, m := range c.Messages {
			evs, ok := tgEvents(c, community, m, loc)
			if !ok {
				skipped++
			}
			events = append(events, evs...)
		}
	}
	return events, skipped, nil
}

func tgEvents(c tgChat, community string, m tgMessage, loc *time.Location) ([]shequn.EventInput, bool) {
	ts, ok := tgTime(m, loc)
	if !ok {
		return nil, false
	}
	base := shequn.EventInput{ID: community + ":" + m.ID.String(), Platform: "telegram", Community: community, CommunityName: c.Name, TS: ts}
	switch {
	case m.Type == "message" && m.FromID != "":
		base.Kind, base.Actor, base.ActorName, base.Text = "message", tgUser(m.FromID), m.From, tgText(m.Text, m)
		if m.ReplyTo != "" {
			base.ReplyTo = community + ":" + m.ReplyTo.String()
		}
		return []shequn.EventInput{base}, true
	case m.Type != "service" || m.ActorID == "":
		return nil, false
	}
	actor := tgUser(m.ActorID)
	switch m.Action {
	case "join_group_by_link", "join_group_by_request":
		base.Kind, base.Actor, base.ActorName, base.Source = "join", actor, m.Actor, "invite_link"
		if m.Action == "join_group_by_request" {
			base.Source = "request"
		}
		return []shequn.EventInput{base}, true
	case "invite_members", "remove_members":
		var out []shequn.EventInput
		for i, name := range m.Members {
			e := base
			e.ID = base.ID + ":" + strconv.Itoa(i)
			member := "name:" + name // the export names invited members but gives no ids
			if name == m.Actor {
				member = actor
			}
			switch {
			case m.Action == "invite_members":
				e.Kind, e.Actor, e.ActorName, e.Inviter, e.Source = "join", member, name, actor, "invited"
			case member == actor:
				e.Kind, e.Actor, e.ActorName = "leave", actor, m.Actor
			default:
				e.Kind, e.Actor, e.ActorName, e.Target, e.TargetName = "kick", actor, m.Actor, member, name
			}
			out = append(out, e)
		}
		return out, len(out) > 0
	}
	return nil, false
}

func tgTime(m tgMessage, loc *time.Location) (string, bool) {
	if sec, err := strconv.ParseInt(m.DateUnix, 10, 64); err == nil {
		return time.Unix(sec, 0).UTC().Format(time.RFC3339), true
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", m.Date, loc)
	if err != nil {
		return "", false
	}
	return t.UTC().Format(time.RFC3339), true
}

// tgUser turns an export id ("user123") into the Bot API's id ("123").
func tgUser(id string) string { return strings.TrimPrefix(id, "user") }

// tgText joins a text that is a string or a list of strings and entities.
func tgText(raw json.RawMessage, m tgMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return withMedia(s, m)
	}
	var parts []json.RawMessage
	if json.Unmarshal(raw, &parts) != nil {
		return withMedia("", m)
	}
	var b strings.Builder
	for _, p := range parts {
		var ps string
		var ent struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(p, &ps) == nil {
			b.WriteString(ps)
		} else if json.Unmarshal(p, &ent) == nil {
			b.WriteString(ent.Text)
		}
	}
	return withMedia(b.String(), m)
}

func withMedia(s string, m tgMessage) string {
	switch {
	case s != "":
	case m.MediaType != "":
		return "[" + m.MediaType + "]"
	case m.Photo != "":
		return "[photo]"
	}
	return s
}
