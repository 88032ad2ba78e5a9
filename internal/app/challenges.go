package app

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// SaveChallenge validates and stores a new (ID 0) or changed challenge.
func (a *App) SaveChallenge(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, c *shequn.Challenge) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.validateChallenge(ctx, ws, c); err != nil {
		return err
	}
	c.WorkspaceID = ws.ID
	if c.ID == 0 {
		c.Secret = randomToken()
		return a.db.CreateChallenge(ctx, c)
	}
	old, err := a.db.FindChallenge(ctx, ws.ID, c.ID)
	if err != nil {
		return err
	}
	c.Secret = old.Secret
	return a.db.UpdateChallenge(ctx, c)
}

func (a *App) validateChallenge(ctx context.Context, ws *shequn.Workspace, c *shequn.Challenge) error {
	c.Title = strings.TrimSpace(c.Title)
	start, err1 := time.Parse(time.DateOnly, c.Start)
	end, err2 := time.Parse(time.DateOnly, c.End)
	switch {
	case c.Title == "" || utf8.RuneCountInString(c.Title) > 100:
		return shequn.Invalid("title", "title: 1 to 100 characters")
	case len(c.CommunityIDs) == 0:
		return shequn.Invalid("community_ids", "community_ids: at least one group")
	case len(c.CommunityIDs) > maxListItems:
		return shequn.Invalid("community_ids", "community_ids: at most %d groups", maxListItems)
	case err1 != nil || err2 != nil:
		return shequn.Invalid("start", "start and end: dates as YYYY-MM-DD")
	case end.Before(start) || end.Sub(start) > 366*24*time.Hour:
		return shequn.Invalid("end", "end: on or after start, within a year")
	case c.Goal < 1 || c.Goal > int(end.Sub(start).Hours()/24)+1+c.Makeups:
		return shequn.Invalid("goal", "goal: 1 to the number of days of the challenge")
	case c.MinLength < 0 || c.MinLength > 1000:
		return shequn.Invalid("min_length", "min_length: 0 to 1000")
	case c.Makeups < 0 || c.Makeups > 30:
		return shequn.Invalid("makeups", "makeups: 0 to 30")
	case c.DailyPoints < 0 || c.DailyPoints > 1_000_000:
		return shequn.Invalid("daily_points", "points: 0 to 1000000")
	case c.RewardPoints < 0 || c.RewardPoints > 1_000_000:
		return shequn.Invalid("reward_points", "points: 0 to 1000000")
	}
	if c.WindowStart == "" && c.WindowEnd == "" {
		c.WindowStart, c.WindowEnd = "00:00", "23:59"
	}
	for _, f := range []struct{ name, v string }{{"window_start", c.WindowStart}, {"window_end", c.WindowEnd}, {"reminder_at", c.ReminderAt}} {
		if _, err := minutesOf(f.v); err != nil && !(f.name == "reminder_at" && f.v == "") {
			return shequn.Invalid(f.name, "%s %q: want HH:MM", f.name, f.v)
		}
	}
	if ws0, _ := minutesOf(c.WindowStart); ws0 >= mustMinutes(c.WindowEnd) {
		return shequn.Invalid("window_end", "window_end: after window_start")
	}
	for _, id := range c.CommunityIDs {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, id); err != nil {
			return err
		}
	}
	return nil
}

func minutesOf(v string) (int, error) {
	t, err := time.Parse("15:04", v)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func mustMinutes(v string) int {
	m, _ := minutesOf(v)
	return m
}

// checkinRequest is one attempt to check in.
type checkinRequest struct {
	Community *shequn.Community
	MemberID  int64
	TS        time.Time
	Proof     string
	// Makeup is the missed day to make up (补卡), or "".
	Makeup string
	Key    string // idempotency of points for this attempt
}

// checkIn checks a member in to every running challenge of the group and
// returns the reply, in Chinese and English.
func (a *App) checkIn(ctx context.Context, tx *sqlstore.ActTx, ws *shequn.Workspace, r checkinRequest) (string, error) {
	chs, err := a.db.FindChallenges(ctx, ws.ID)
	if err != nil {
		return "", err
	}
	loc := r.Community.Location(ws.Location())
	today := r.TS.In(loc).Format(time.DateOnly)
	var replies []string
	for _, ch := range chs {
		if !slices.Contains(ch.CommunityIDs, r.Community.ID) || today < ch.Start || today > addDays(ch.End, 1) {
			continue
		}
		reply, err := a.checkInOne(ctx, tx, ch, r, loc, today)
		if err != nil {
			return "", err
		}
		replies = append(replies, reply)
	}
	if len(replies) == 0 {
		return "这个群现在没有进行中的打卡活动。\nNo check-in challenge is running in this group.", nil
	}
	return strings.Join(replies, "\n\n"), nil
}

func (a *App) checkInOne(ctx context.Context, tx *sqlstore.ActTx, ch *shequn.Challenge, r checkinRequest, loc *time.Location, today string) (string, error) {
	day := today
	prefix := "【" + ch.Title + "】"
	if r.Makeup != "" {
		day = r.Makeup
		if day < ch.Start || day >= today || day > ch.End {
			return prefix + "只能补挑战期内今天之前的日子。\nYou can only make up a past day of the challenge.", nil
		}
	} else {
		if today > ch.End {
			return prefix + "打卡已结束。\nThis challenge has ended.", nil
		}
		now := r.TS.In(loc).Hour()*60 + r.TS.In(loc).Minute()
		if now < mustMinutes(ch.WindowStart) || now > mustMinutes(ch.WindowEnd) {
			return fmt.Sprintf("%s打卡时间是每天 %s–%s。\nCheck in between %s and %s.", prefix, ch.WindowStart, ch.WindowEnd, ch.WindowStart, ch.WindowEnd), nil
		}
	}
	past, err := tx.MemberCheckins(ctx, ch.ID, r.MemberID)
	if err != nil {
		return "", err
	}
	if r.Makeup != "" && countMakeups(past) >= ch.Makeups {
		return fmt.Sprintf("%s补卡次数已用完（共 %d 次）。\nNo make-up cards left (%d in all).", prefix, ch.Makeups, ch.Makeups), nil
	}
	if utf8.RuneCountInString(strings.TrimSpace(r.Proof)) < ch.MinLength {
		return fmt.Sprintf("%s打卡内容至少 %d 个字，比如今天做了什么。\nPlease write at least %d characters about what you did.", prefix, ch.MinLength, ch.MinLength), nil
	}
	if ch.RequireImage && !hasImage(r.Proof) {
		return prefix + "这个打卡需要附一张图片。\nThis check-in needs a picture.", nil
	}
	added, err := tx.AddCheckin(ctx, &shequn.Checkin{ChallengeID: ch.ID, MemberID: r.MemberID, Day: day, CommunityID: r.Community.ID, TS: r.TS, Makeup: r.Makeup != "", Proof: shequn.Clip(r.Proof, 1000)})
	if err != nil {
		return "", err
	}
	if !added {
		return prefix + "今天已经打过卡了 ✅\nAlready checked in for that day ✅", nil
	}
	past = append(past, shequn.Checkin{Day: day, Makeup: r.Makeup != ""})
	slices.SortFunc(past, func(x, y shequn.Checkin) int { return strings.Compare(x.Day, y.Day) })
	days, streak := len(past), streakOf(past, today)
	member := strconv.FormatInt(r.MemberID, 10)
	chID := strconv.FormatInt(ch.ID, 10)
	if ch.DailyPoints > 0 {
		if _, err := tx.Post(ctx, &shequn.PointsEntry{MemberID: r.MemberID, Amount: ch.DailyPoints, Kind: shequn.PointsEarn,
			Reason: "check-in: " + ch.Title, IdempotencyKey: "checkin:" + chID + ":" + member + ":" + day}); err != nil {
			return "", err
		}
	}
	reply := fmt.Sprintf("%s打卡成功！累计 %d/%d 天，连续 %d 天。\nChecked in: %d of %d days, %d in a row.", prefix, days, ch.Goal, streak, days, ch.Goal, streak)
	if days == ch.Goal {
		if ch.RewardPoints > 0 {
			if _, err := tx.Post(ctx, &shequn.PointsEntry{MemberID: r.MemberID, Amount: ch.RewardPoints, Kind: shequn.PointsEarn,
				Reason: "challenge completed: " + ch.Title, IdempotencyKey: "challenge:" + chID + ":done:" + member}); err != nil {
				return "", err
			}
		}
		reply += fmt.Sprintf("\n🎉 挑战完成！奖励 %d 积分。Challenge complete! %d points.", ch.RewardPoints, ch.RewardPoints)
	}
	return reply, nil
}

func hasImage(text string) bool {
	t := strings.ToLower(text)
	for _, m := range []string{"[图片]", "[image]", "[photo]", "[picture]", ".jpg", ".jpeg", ".png", ".webp"} {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

func countMakeups(cs []shequn.Checkin) int {
	n := 0
	for _, c := range cs {
		if c.Makeup {
			n++
		}
	}
	return n
}

// streakOf counts consecutive days ending today (or yesterday, when today
// is not checked in yet). days must be sorted.
func streakOf(cs []shequn.Checkin, today string) int {
	if len(cs) == 0 {
		return 0
	}
	last := cs[len(cs)-1].Day
	if last != today && last != addDays(today, -1) {
		return 0
	}
	n := 1
	for i := len(cs) - 1; i > 0 && cs[i-1].Day == addDays(cs[i].Day, -1); i-- {
		n++
	}
	return n
}

func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// ChallengeStats computes a challenge's figures as of now.
func (a *App) ChallengeStats(ctx context.Context, ws *shequn.Workspace, ch *shequn.Challenge) (shequn.ChallengeStats, error) {
	var st shequn.ChallengeStats
	days, err := a.db.ChallengeDays(ctx, ch.ID)
	if err != nil {
		return st, err
	}
	st.Days = days
	prog, err := a.progress(ctx, ch)
	if err != nil {
		return st, err
	}
	today := a.Clock.Now().In(ws.Location()).Format(time.DateOnly)
	for member, mine := range prog {
		last := mine[len(mine)-1]
		m := shequn.ChallengeMember{MemberID: member, Name: last.MemberName, Days: len(mine), Streak: streakOf(mine, today),
			Makeups: countMakeups(mine), Completed: len(mine) >= ch.Goal, LastDay: last.Day, CommunityID: last.CommunityID}
		st.Leaders = append(st.Leaders, m)
		st.Checkins += m.Days
		if m.Completed {
			st.Completed++
		}
	}
	st.Participants = len(st.Leaders)
	slices.SortFunc(st.Leaders, func(x, y shequn.ChallengeMember) int {
		if d := y.Days - x.Days; d != 0 {
			return d
		}
		return cmp.Compare(x.MemberID, y.MemberID)
	})
	return st, nil
}

// CheckinLink returns the signed path of a member's mobile check-in page.
func CheckinLink(ch *shequn.Challenge, member int64) string {
	return fmt.Sprintf("/checkin/%d/%d/%s", ch.ID, member, checkinSig(ch, member))
}

func checkinSig(ch *shequn.Challenge, member int64) string {
	m := hmac.New(sha256.New, []byte(ch.Secret))
	fmt.Fprintf(m, "%d/%d/%d", ch.WorkspaceID, ch.ID, member)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// CheckinPage checks a mobile page link and returns its challenge and
// member's progress.
func (a *App) CheckinPage(ctx context.Context, chID, member int64, sig string) (*shequn.Challenge, *shequn.Workspace, error) {
	ch, err := a.db.FindChallengeAnyWorkspace(ctx, chID)
	if err != nil || !hmac.Equal([]byte(sig), []byte(checkinSig(ch, member))) {
		return nil, nil, shequn.Errorf(shequn.ENOTFOUND, "this check-in link is not valid")
	}
	ws, err := a.db.FindWorkspaceByID(ctx, ch.WorkspaceID)
	return ch, ws, err
}

// CheckInWeb checks a member in from the mobile page.
func (a *App) CheckInWeb(ctx context.Context, chID, member int64, sig, proof, makeup string) (string, error) {
	ch, ws, err := a.CheckinPage(ctx, chID, member, sig)
	if err != nil {
		return "", err
	}
	c, err := a.memberCommunity(ctx, ws, ch, member)
	if err != nil {
		return "", err
	}
	var reply string
	now := a.Clock.Now()
	err = a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) (err error) {
		reply, err = a.checkInOne(ctx, tx, ch, checkinRequest{Community: c, MemberID: member, TS: now, Proof: proof, Makeup: makeup},
			c.Location(ws.Location()), now.In(c.Location(ws.Location())).Format(time.DateOnly))
		return err
	})
	return reply, err
}

// memberCommunity is the challenge group a member belongs to (the first
// active membership among the challenge's groups).
func (a *App) memberCommunity(ctx context.Context, ws *shequn.Workspace, ch *shequn.Challenge, member int64) (*shequn.Community, error) {
	ms, err := a.db.FindMemberships(ctx, ws.ID, member)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if slices.Contains(ch.CommunityIDs, m.CommunityID) && m.Status == "active" {
			return a.db.FindCommunityByID(ctx, ws.ID, m.CommunityID)
		}
	}
	return nil, shequn.Errorf(shequn.EFORBIDDEN, "you are not in a group of this challenge")
}

// FindChallenges lists ws's check-in challenges.
func (a *App) FindChallenges(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Challenge, error) {
	return a.db.FindChallenges(ctx, ws.ID)
}

// FindChallenge returns one challenge of ws.
func (a *App) FindChallenge(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Challenge, error) {
	return a.db.FindChallenge(ctx, ws.ID, id)
}
