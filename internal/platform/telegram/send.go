package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shequn/shequn"
)

// MuteFor is how long a mute lasts.
const MuteFor = 24 * time.Hour

// Send performs an outbox row. Telegram has no idempotency key, so the
// outbox's lease and ask-before-retry are what keep a row from being
// performed twice.
func (a *Adapter) Send(ctx context.Context, it *shequn.OutboxItem) error {
	p, err := it.DecodePayload()
	if err != nil {
		return err
	}
	chat, err := strconv.ParseInt(it.CommunityRef, 10, 64)
	if err != nil && it.Action != shequn.ActDM {
		return fmt.Errorf("telegram %s: no chat for community %d", it.Action, it.CommunityID)
	}
	user, _ := strconv.ParseInt(it.MemberRef, 10, 64)
	switch it.Action {
	case shequn.ActSend, shequn.ActReply:
		params := &bot.SendMessageParams{ChatID: chat, Text: p.Text}
		if id := messageID(p.ReplyTo); id != 0 {
			params.ReplyParameters = &models.ReplyParameters{MessageID: id, AllowSendingWithoutReply: true}
		}
		_, err = a.bot.SendMessage(ctx, params)
	case shequn.ActDM:
		_, err = a.bot.SendMessage(ctx, &bot.SendMessageParams{ChatID: user, Text: p.Text})
	case shequn.ActDelete:
		_, err = a.bot.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: chat, MessageID: messageID(p.MessageID)})
	case shequn.ActMute, shequn.ActUnmute:
		perms := &models.ChatPermissions{}
		if it.Action == shequn.ActUnmute {
			perms = &models.ChatPermissions{CanSendMessages: true, CanSendAudios: true, CanSendDocuments: true, CanSendPhotos: true,
				CanSendVideos: true, CanSendVideoNotes: true, CanSendVoiceNotes: true, CanSendPolls: true, CanSendOtherMessages: true, CanAddWebPagePreviews: true}
		}
		_, err = a.bot.RestrictChatMember(ctx, &bot.RestrictChatMemberParams{ChatID: chat, UserID: user, Permissions: perms, UntilDate: int(time.Now().Add(MuteFor).Unix())})
	case shequn.ActBan:
		_, err = a.bot.BanChatMember(ctx, &bot.BanChatMemberParams{ChatID: chat, UserID: user})
	case shequn.ActKick: // Telegram removes by banning; the unban lets them come back later
		if _, err = a.bot.BanChatMember(ctx, &bot.BanChatMemberParams{ChatID: chat, UserID: user}); err == nil {
			_, err = a.bot.UnbanChatMember(ctx, &bot.UnbanChatMemberParams{ChatID: chat, UserID: user, OnlyIfBanned: true})
		}
	case shequn.ActUnban:
		_, err = a.bot.UnbanChatMember(ctx, &bot.UnbanChatMemberParams{ChatID: chat, UserID: user, OnlyIfBanned: true})
	default:
		return fmt.Errorf("telegram: action %q is not supported", it.Action)
	}
	if err != nil {
		return fmt.Errorf("telegram %s: %w", it.Action, err)
	}
	return nil
}

// messageID reads the message number of an event id "chat:message".
func messageID(ref string) int {
	i := strings.LastIndexByte(ref, ':')
	n, _ := strconv.Atoi(ref[i+1:])
	return n
}
