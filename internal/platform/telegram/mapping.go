// Package telegram connects shequn to Telegram groups through a bot
// (github.com/go-telegram/bot): long polling or a webhook checked by its
// secret token bring updates in; outbox rows become messages, replies,
// deletions, restrictions and bans.
package telegram

import (
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/shequn/shequn"
)

// mapUpdate turns one update into events. Only groups and supergroups are
// communities; private chats and channels are skipped. Joins and leaves get
// ids from (chat, user, time) so that the service message and the
// chat_member update of the same join count once.
func mapUpdate(u *models.Update, self int64) []shequn.EventInput {
	switch {
	case u.Message != nil:
		return mapMessage(u.Message, self)
	case u.ChatMember != nil:
		return mapMember(u.ChatMember, self)
	}
	return nil
}

func isGroup(c models.Chat) bool { return c.Type == "group" || c.Type == "supergroup" }

func base(chat models.Chat, date int) shequn.EventInput {
	return shequn.EventInput{Platform: "telegram", Community: strconv.FormatInt(chat.ID, 10), CommunityName: chat.Title,
		TS: time.Unix(int64(date), 0).UTC().Format(time.RFC3339)}
}

func userID(u *models.User) string { return strconv.FormatInt(u.ID, 10) }

func userName(u *models.User) string {
	name := u.FirstName
	if u.LastName != "" {
		name += " " + u.LastName
	}
	if name == "" {
		name = u.Username
	}
	return name
}

func mapMessage(m *models.Message, self int64) []shequn.EventInput {
	if !isGroup(m.Chat) || m.From == nil || m.From.ID == self {
		return nil
	}
	b := base(m.Chat, m.Date)
	chat := b.Community
	switch {
	case len(m.NewChatMembers) > 0:
		var out []shequn.EventInput
		for i := range m.NewChatMembers {
			nu := &m.NewChatMembers[i]
			if nu.ID == self {
				continue
			}
			e := b
			e.ID, e.Kind, e.Actor, e.ActorName = memberEventID("join", chat, nu.ID, m.Date), "join", userID(nu), userName(nu)
			e.ActorBot = nu.IsBot
			if m.From.ID != nu.ID {
				e.Inviter, e.Source = userID(m.From), "invited"
			}
			out = append(out, e)
		}
		return out
	case m.LeftChatMember != nil:
		if m.LeftChatMember.ID == self {
			return nil
		}
		e := b
		e.ID = memberEventID("leave", chat, m.LeftChatMember.ID, m.Date)
		if m.From.ID == m.LeftChatMember.ID {
			e.Kind, e.Actor, e.ActorName = "leave", userID(m.From), userName(m.From)
		} else {
			e.Kind, e.Actor, e.ActorName, e.Target, e.TargetName = "kick", userID(m.From), userName(m.From), userID(m.LeftChatMember), userName(m.LeftChatMember)
		}
		return []shequn.EventInput{e}
	}
	b.ID, b.Kind, b.Actor, b.ActorName = chat+":"+strconv.Itoa(m.ID), "message", userID(m.From), userName(m.From)
	b.ActorBot = m.From != nil && m.From.IsBot
	b.Text = m.Text
	if len(m.Photo) > 0 {
		b.Text = "[photo] " + m.Caption
	} else if m.Document != nil {
		b.Text = "[file] " + m.Caption
	}
	if m.ReplyToMessage != nil {
		b.ReplyTo = chat + ":" + strconv.Itoa(m.ReplyToMessage.ID)
	}
	return []shequn.EventInput{b}
}

// mapMember maps a chat_member update: a join (with the admin who added
// the member, or the invite link's creator and name), a leave, a kick or a
// ban.
func mapMember(cm *models.ChatMemberUpdated, self int64) []shequn.EventInput {
	user := memberUser(cm.NewChatMember)
	if !isGroup(cm.Chat) || user == nil || user.ID == self {
		return nil
	}
	was, is := inChat(cm.OldChatMember), inChat(cm.NewChatMember)
	e := base(cm.Chat, cm.Date)
	chat := e.Community
	switch {
	case !was && is:
		e.ID, e.Kind, e.Actor, e.ActorName = memberEventID("join", chat, user.ID, cm.Date), "join", userID(user), userName(user)
		e.ActorBot = user.IsBot
		switch {
		case cm.InviteLink != nil:
			e.Inviter, e.Source = userID(&cm.InviteLink.Creator), linkSource(cm.InviteLink)
		case cm.From.ID != user.ID:
			e.Inviter, e.Source = userID(&cm.From), "invited"
		case cm.ViaJoinRequest:
			e.Source = "join_request"
		}
	case was && !is && cm.NewChatMember.Type == models.ChatMemberTypeBanned:
		e.ID, e.Kind, e.Actor, e.ActorName = memberEventID("ban", chat, user.ID, cm.Date), "ban", userID(&cm.From), userName(&cm.From)
		e.Target, e.TargetName = userID(user), userName(user)
	case was && !is && cm.From.ID != user.ID:
		e.ID, e.Kind, e.Actor, e.ActorName = memberEventID("leave", chat, user.ID, cm.Date), "kick", userID(&cm.From), userName(&cm.From)
		e.Target, e.TargetName = userID(user), userName(user)
	case was && !is:
		e.ID, e.Kind, e.Actor, e.ActorName = memberEventID("leave", chat, user.ID, cm.Date), "leave", userID(user), userName(user)
	default:
		return nil // a promotion, a restriction, a title change
	}
	if e.Inviter == e.Actor {
		e.Inviter = ""
	}
	return []shequn.EventInput{e}
}

func memberEventID(kind, chat string, user int64, date int) string {
	return kind + ":" + chat + ":" + strconv.FormatInt(user, 10) + ":" + strconv.Itoa(date)
}

// linkSource is the join source of an invite link: its name (a campaign),
// cut to the 32 bytes a source may have.
func linkSource(l *models.ChatInviteLink) string {
	s := l.Name
	if s == "" {
		return "invite_link"
	}
	for len(s) > 32 {
		r := []rune(s)
		s = string(r[:len(r)-1])
	}
	return s
}

func memberUser(m models.ChatMember) *models.User {
	switch m.Type {
	case models.ChatMemberTypeOwner:
		return m.Owner.User
	case models.ChatMemberTypeAdministrator:
		return &m.Administrator.User
	case models.ChatMemberTypeMember:
		return m.Member.User
	case models.ChatMemberTypeRestricted:
		return m.Restricted.User
	case models.ChatMemberTypeLeft:
		return m.Left.User
	case models.ChatMemberTypeBanned:
		return m.Banned.User
	}
	return nil
}

// inChat reports whether the status counts as being in the group.
func inChat(m models.ChatMember) bool {
	switch m.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		return true
	case models.ChatMemberTypeRestricted:
		return m.Restricted.IsMember
	}
	return false
}
