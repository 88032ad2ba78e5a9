package telegram

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/go-telegram/bot"

	"github.com/shequn/shequn"
)

var _ shequn.InviteLinker = (*Adapter)(nil)

// CreateInviteLink makes an invite link to chatID named name (the channel
// code joins through it carry) that expires at expires.
func (a *Adapter) CreateInviteLink(ctx context.Context, chatID, name string, expires time.Time) (string, error) {
	chat, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return "", fmt.Errorf("telegram: chat id %q is not a number", chatID)
	}
	p := &bot.CreateChatInviteLinkParams{ChatID: chat, Name: name}
	if !expires.IsZero() {
		p.ExpireDate = int(expires.Unix())
	}
	l, err := a.bot.CreateChatInviteLink(ctx, p)
	if err != nil {
		return "", fmt.Errorf("telegram createChatInviteLink: %w", err)
	}
	return l.InviteLink, nil
}
