package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// commandStage answers bot commands written in a group, in Chinese or
// English, with or without a leading / or !: 积分/points, 排行/rank,
// 兑换/redeem N, 帮助/help. Replies go to the outbox.
type commandStage struct{ a *App }

func (*commandStage) Name() string { return "commands" }

var commandAliases = map[string]string{
	"积分": "points", "我的积分": "points", "points": "points", "balance": "points",
	"排行": "rank", "排行榜": "rank", "rank": "rank", "top": "rank",
	"兑换": "redeem", "redeem": "redeem",
	"帮助": "help", "help": "help",
	"打卡": "checkin", "签到": "checkin", "checkin": "checkin", "check-in": "checkin",
	"补卡": "makeup", "makeup": "makeup",
	"进度": "progress", "邀请进度": "progress", "progress": "progress",
}

// parseCommand returns the command and its argument, or "".
func parseCommand(text string) (cmd, arg string) {
	t := strings.TrimSpace(text)
	t = strings.TrimLeft(t, "/!！")
	word, rest, _ := strings.Cut(t, " ")
	if c, ok := commandAliases[strings.ToLower(word)]; ok {
		return c, strings.TrimSpace(rest)
	}
	return "", ""
}

func (s *commandStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	if b.History {
		return nil
	}
	for _, it := range b.Items {
		if it.Kind != shequn.EventMessage {
			continue
		}
		cmd, arg := parseCommand(it.Text)
		// A moderated message runs no command, but a redemption that came
		// with an address or phone number (removed for the member's sake)
		// still goes through, privately.
		if cmd == "" || (it.Moderated && cmd != "redeem") {
			continue
		}
		it.Command = true
		reply, err := s.answer(ctx, b, it, cmd, arg)
		if err != nil {
			return err
		}
		item := shequn.NewOutboxItem(b.Workspace.ID, "cmd:"+it.Platform+":"+it.SourceID, it.Platform, it.CommunityID, it.MemberID,
			shequn.ActReply, shequn.OutboxPayload{ReplyTo: it.SourceID, Text: reply})
		if err := b.Tx.AddOutbox(ctx, []*shequn.OutboxItem{item}); err != nil {
			return err
		}
	}
	return nil
}

func (s *commandStage) answer(ctx context.Context, b *pipeline.Batch, it *pipeline.Item, cmd, arg string) (string, error) {
	tx := b.Tx.Points()
	_, _, month := shequn.Periods(it.TS, b.Workspace.Location())
	switch cmd {
	case "points":
		bal, err := tx.Balance(ctx, it.MemberID)
		if err != nil {
			return "", err
		}
		earned, err := tx.PeriodPoints(ctx, month, it.CommunityID, it.MemberID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("你的积分：%d（本月在本群获得 %d）\nYour points: %d (%d earned in this group this month)", bal, earned, bal, earned), nil
	case "rank":
		rows, err := tx.Leaderboard(ctx, month, it.CommunityID, 5)
		if err != nil {
			return "", err
		}
		return rankText(rows), nil
	case "redeem":
		return s.redeem(ctx, b, tx, it, arg)
	case "checkin", "makeup":
		return s.checkin(ctx, b, it, cmd, arg)
	case "progress":
		st, err := tx.Standings(ctx, it.MemberID, it.TS)
		if err != nil {
			return "", err
		}
		base := strings.TrimRight(s.a.PublicURL, "/")
		return progressText(st, b.Workspace.Location(), func(g sqlstore.Standing) string {
			if base == "" {
				return ""
			}
			return base + ProgressLink(g.ID, g.WorkspaceID, g.Secret, it.MemberID)
		}), nil
	}
	return "命令 Commands: 打卡/checkin · 补卡 日期/makeup DATE · 积分/points · 排行/rank · 兑换 N/redeem N · 进度/progress · 举报/report（回复消息 reply to a message）", nil
}

// progressText is a member's standing in each running campaign, in
// Chinese and English: confirmed and held helps, the next stage.
func progressText(st []sqlstore.Standing, loc *time.Location, link func(sqlstore.Standing) string) string {
	if len(st) == 0 {
		return "现在没有进行中的邀请活动。\nNo invite campaign is running now."
	}
	var b strings.Builder
	for i, s := range st {
		if i > 0 {
			b.WriteString("\n")
		}
		end := s.End.In(loc).Format("01-02 15:04")
		fmt.Fprintf(&b, "「%s」已确认 %d 人，考察中 %d 人（截止 %s）", s.Campaign, s.Confirmed, s.Held, end)
		next := ""
		for _, g := range s.Stages {
			if s.Confirmed < g.Threshold {
				label := g.Label
				if label == "" {
					label = fmt.Sprintf("%d 积分 points", g.Points)
				}
				fmt.Fprintf(&b, "；再邀请 %d 人得「%s」", g.Threshold-s.Confirmed, label)
				next = fmt.Sprintf("; %d more for %q", g.Threshold-s.Confirmed, label)
				break
			}
		}
		fmt.Fprintf(&b, "\n%q: %d confirmed, %d in the hold window (ends %s)%s", s.Campaign, s.Confirmed, s.Held, end, next)
		if l := link(s); l != "" {
			b.WriteString("\n" + l)
		}
	}
	return b.String()
}

func rankText(rows []shequn.LeaderboardRow) string {
	if len(rows) == 0 {
		return "本月还没有人获得积分。No points earned this month yet."
	}
	var b strings.Builder
	b.WriteString("本月排行 Top this month:")
	for _, r := range rows {
		fmt.Fprintf(&b, "\n%d. %s %d", r.Rank, r.Name, r.Points)
	}
	return b.String()
}

func (s *commandStage) redeem(ctx context.Context, b *pipeline.Batch, tx *sqlstore.PointsTx, it *pipeline.Item, arg string) (string, error) {
	idText, delivery, _ := strings.Cut(arg, " ")
	id, err := strconv.ParseInt(strings.TrimPrefix(idText, "#"), 10, 64)
	if err != nil || id <= 0 {
		return "用法：兑换 奖品编号 [收货信息]\nUsage: redeem REWARD_ID [delivery details]", nil
	}
	var rd *shequn.Redemption
	var token string
	err = tx.Savepoint(ctx, func() (err error) {
		// Delivery details never come from a group message: a physical
		// reward gets a private link instead (see deliveryDM).
		rd, token, err = redeemIn(ctx, tx, it.MemberID, id, "", "cmd:"+it.Platform+":"+it.SourceID)
		return err
	})
	switch code := shequn.ErrorCode(err); code {
	case "":
		if token != "" {
			return s.deliveryDM(ctx, b, it, rd, token, strings.TrimSpace(delivery) != "")
		}
		return fmt.Sprintf("兑换成功，编号 #%d，花费 %d 积分，等待发放。\nRedeemed: #%d for %d points, on its way.", rd.ID, rd.Cost, rd.ID, rd.Cost), nil
	case shequn.ENOTFOUND, shequn.ECONFLICT, shequn.EINVALID:
		return "兑换失败 Could not redeem: " + shequn.ErrorMessage(err), nil
	}
	return "", err
}

// checkin handles 打卡 [what I did] and 补卡 YYYY-MM-DD|昨天 [what I did].
func (s *commandStage) checkin(ctx context.Context, b *pipeline.Batch, it *pipeline.Item, cmd, arg string) (string, error) {
	c := s.a.batchCommunity(ctx, b.Workspace.ID, map[int64]*shequn.Community{}, it)
	r := checkinRequest{Community: c, MemberID: it.MemberID, TS: it.TS, Proof: arg, Key: it.Key()}
	if cmd == "makeup" {
		day, rest, _ := strings.Cut(arg, " ")
		local := it.TS.In(c.Location(b.Workspace.Location()))
		switch strings.ToLower(day) {
		case "昨天", "yesterday":
			day = local.AddDate(0, 0, -1).Format(time.DateOnly)
		case "前天":
			day = local.AddDate(0, 0, -2).Format(time.DateOnly)
		}
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			return "用法：补卡 2026-03-01 内容（或 补卡 昨天 内容）\nUsage: makeup YYYY-MM-DD what you did (or: makeup yesterday …)", nil
		}
		r.Makeup, r.Proof = day, strings.TrimSpace(rest)
	}
	return s.a.checkIn(ctx, b.Tx.Act(), b.Workspace, r)
}

// deliveryDM sends the member, privately, the link to give a physical
// reward's delivery details, and returns the group reply, which names no
// personal data and asks for none. Without a public URL the operators
// send the link themselves (the console shows it).
func (s *commandStage) deliveryDM(ctx context.Context, b *pipeline.Batch, it *pipeline.Item, rd *shequn.Redemption, token string, postedDetails bool) (string, error) {
	dm := "兑换成功，请在这里填写收货信息（只有你能看到）：%s\nDelivery details for your reward, private to you: %s"
	if s.a.PublicURL == "" {
		dm = "兑换成功，群主会私下联系你确认收货信息。\nRedeemed: the organisers will contact you privately for delivery details.%s%s"
	}
	link := ""
	if s.a.PublicURL != "" {
		link = strings.TrimRight(s.a.PublicURL, "/") + DeliveryPath(token)
	}
	row := shequn.NewOutboxItem(b.Workspace.ID, fmt.Sprintf("delivery:%d", rd.ID), it.Platform, it.CommunityID, it.MemberID,
		shequn.ActDM, shequn.OutboxPayload{Text: fmt.Sprintf(dm, link, link)})
	if err := b.Tx.AddOutbox(ctx, []*shequn.OutboxItem{row}); err != nil {
		return "", err
	}
	reply := fmt.Sprintf("兑换成功，编号 #%d，花费 %d 积分。收货信息请在私信里填写。\nRedeemed #%d for %d points: give your delivery details in the private message we sent you.", rd.ID, rd.Cost, rd.ID, rd.Cost)
	if postedDetails {
		reply += "\n为了你的隐私，请不要在群里发地址和电话。For your privacy, do not post addresses or phone numbers in the group."
	}
	return reply, nil
}
