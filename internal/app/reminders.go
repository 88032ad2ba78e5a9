package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// progress is every participant's check-in days of a challenge, sorted.
func (a *App) progress(ctx context.Context, ch *shequn.Challenge) (map[int64][]shequn.Checkin, error) {
	out := map[int64][]shequn.Checkin{}
	err := a.db.ChallengeCheckins(ctx, ch.ID, func(c shequn.Checkin) error {
		out[c.MemberID] = append(out[c.MemberID], c)
		return nil
	})
	return out, err
}

// RemindCheckins posts, once a day per group at the challenge's reminder
// time, a reminder naming the participants who have not checked in today.
func (a *App) RemindCheckins(ctx context.Context, ws *shequn.Workspace, now time.Time) (int, error) {
	chs, err := a.db.FindChallenges(ctx, ws.ID)
	if err != nil {
		return 0, err
	}
	var rows []*shequn.OutboxItem
	for _, ch := range chs {
		if ch.ReminderAt == "" {
			continue
		}
		var prog map[int64][]shequn.Checkin
		for _, id := range ch.CommunityIDs {
			c, err := a.db.FindCommunityByID(ctx, ws.ID, id)
			if err != nil {
				continue
			}
			local := now.In(c.Location(ws.Location()))
			today, minute := local.Format(time.DateOnly), local.Hour()*60+local.Minute()
			if today < ch.Start || today > ch.End || minute < mustMinutes(ch.ReminderAt) || minute > mustMinutes(ch.WindowEnd) {
				continue
			}
			if prog == nil {
				if prog, err = a.progress(ctx, ch); err != nil {
					return 0, err
				}
			}
			text := reminderText(ch, c.ID, today, prog)
			rows = append(rows, textRow(ws.ID, fmt.Sprintf("remind:%d:%d:%s", ch.ID, c.ID, today), c, 0, shequn.ActSend, text, now))
		}
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return len(rows), a.db.AddOutbox(ctx, rows)
}

func reminderText(ch *shequn.Challenge, community int64, today string, prog map[int64][]shequn.Checkin) string {
	var missing []string
	for _, days := range prog {
		last := days[len(days)-1]
		if last.CommunityID == community && last.Day != today && len(days) < ch.Goal {
			missing = append(missing, "@"+orName(last.MemberName, strconv.FormatInt(last.MemberID, 10)))
		}
	}
	head := fmt.Sprintf("【%s】今天的打卡截止 %s，发送「打卡 + 今天的内容」即可。\nCheck in before %s: send \"checkin\" with what you did today.", ch.Title, ch.WindowEnd, ch.WindowEnd)
	if len(missing) == 0 {
		return head
	}
	more := ""
	if len(missing) > 20 {
		more, missing = fmt.Sprintf(" 等 %d 人 and others", len(missing)), missing[:20]
	}
	return head + "\n还没打卡 Not yet: " + strings.Join(missing, " ") + more
}

// detectBrokenStreaks fires streak_broken rules once a day for members
// whose streak of at least the rule's days ended the day before yesterday
// (they missed yesterday).
func (a *App) detectBrokenStreaks(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, autos []*shequn.Automation, now time.Time) error {
	rules := rulesOn(autos, shequn.TriggerStreakBroken)
	if len(rules) == 0 {
		return nil
	}
	chs, err := a.db.FindChallenges(ctx, ws.ID)
	if err != nil {
		return err
	}
	today := now.In(ws.Location()).Format(time.DateOnly)
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		if first, err := tx.ClaimRun(ctx, "sweep:streak:"+today, 0); err != nil || !first {
			return err
		}
		for _, ch := range chs {
			if today < ch.Start || addDays(today, -1) > ch.End {
				continue
			}
			prog, err := a.progress(ctx, ch)
			if err != nil {
				return err
			}
			for member, days := range prog {
				last := days[len(days)-1]
				if last.Day != addDays(today, -2) {
					continue
				}
				streak := streakOf(days, addDays(today, -2))
				for _, r := range rules {
					c := cs[last.CommunityID]
					if streak < r.Trigger.Days || c == nil || !r.Selector.Matches(c) {
						continue
					}
					s := subject{Community: c, MemberID: member, Key: fmt.Sprintf("streak:%d:%d:%s", ch.ID, member, last.Day), At: now,
						Vars:    map[string]string{"name": last.MemberName, "昵称": last.MemberName, "streak": strconv.Itoa(streak), "challenge": ch.Title},
						Details: map[string]any{"challenge": ch.Title, "streak": streak}}
					if err := a.act(ctx, tx, ws, r, s); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// DetectEvery is how often Tick runs the detectors of a workspace (they
// read days of rollups; alerts need minutes, not seconds).
const DetectEvery = 5 * time.Minute
