package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// reportPicks is how many groups, helpers and answers a report lists.
const reportPicks = 5

// WeeklyReport returns ws's report for week (ISO, "" for the last full
// week): the one kept when it was made, else computed now.
func (a *App) WeeklyReport(ctx context.Context, ws *shequn.Workspace, week string) (*shequn.WeeklyReport, error) {
	monday, err := a.reportWeek(ws, week)
	if err != nil {
		return nil, err
	}
	if kept, err := a.db.WeeklyReport(ctx, ws.ID, shequn.WeekOf(monday)); err == nil {
		return kept, nil
	} else if shequn.ErrorCode(err) != shequn.ENOTFOUND {
		return nil, err
	}
	return a.buildReport(ctx, ws, monday)
}

// reportWeek returns the Monday of week, or of the last full week.
func (a *App) reportWeek(ws *shequn.Workspace, week string) (time.Time, error) {
	loc := ws.Location()
	this := mondayOf(a.Clock.Now().In(loc))
	if week == "" {
		return this.AddDate(0, 0, -7), nil
	}
	monday, err := shequn.ParseWeek(week, loc)
	if err != nil {
		return monday, err
	}
	if monday.After(this) {
		return monday, shequn.Errorf(shequn.EINVALID, "week %s has not begun", week)
	}
	return monday, nil
}

func mondayOf(t time.Time) time.Time {
	d := midnight(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// buildReport computes the report of the week starting on monday.
func (a *App) buildReport(ctx context.Context, ws *shequn.Workspace, monday time.Time) (*shequn.WeeklyReport, error) {
	win := shequn.DayRange{From: monday.Format(time.DateOnly), To: monday.AddDate(0, 0, 6).Format(time.DateOnly)}
	rep := &shequn.WeeklyReport{Workspace: ws.Name, Week: shequn.WeekOf(monday), From: win.From, To: win.To, MadeAt: a.Clock.Now()}
	all := shequn.AnalyticsFilter{}
	s, err := a.ComparedSummary(ctx, ws, all, win, nil)
	if err != nil {
		return nil, err
	}
	rep.Summary = s
	if rep.Rising, rep.Falling, err = a.groupChanges(ctx, ws, win); err != nil {
		return nil, err
	}
	health, err := a.GroupHealth(ctx, ws)
	if err != nil {
		return nil, err
	}
	for _, h := range health {
		if len(rep.Attention) < 2*reportPicks && (h.Score < 40 || h.SingleVoice || h.Lifecycle == shequn.LifecycleDeclining || h.Lifecycle == shequn.LifecycleDormant) {
			rep.Attention = append(rep.Attention, h)
		}
	}
	if rep.Helpers, err = a.helpers(ctx, ws, win); err != nil {
		return nil, err
	}
	rep.Answers, err = a.quickAnswers(ctx, ws, monday, monday.AddDate(0, 0, 7))
	return rep, err
}

// groupChanges returns the groups whose messages rose and fell most
// against the week before.
func (a *App) groupChanges(ctx context.Context, ws *shequn.Workspace, win shequn.DayRange) (rising, falling []shequn.GroupChange, err error) {
	both := shequn.DayRange{From: win.Shift(-7).From, To: win.To}
	flows, err := a.db.GroupFlows(ctx, ws.ID, shequn.AnalyticsFilter{}, both)
	if err != nil {
		return nil, nil, err
	}
	groups, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return nil, nil, err
	}
	by := map[int64]*shequn.GroupChange{}
	for _, c := range groups {
		by[c.ID] = &shequn.GroupChange{CommunityID: c.ID, Name: c.Name}
	}
	for _, f := range flows {
		g := by[f.CommunityID]
		if g == nil {
			continue
		}
		if f.Day >= win.From {
			g.Messages += f.Messages
		} else {
			g.Previous += f.Messages
		}
	}
	var all []shequn.GroupChange
	for _, g := range by {
		if g.Change() != 0 {
			all = append(all, *g)
		}
	}
	slices.SortFunc(all, func(x, y shequn.GroupChange) int {
		if x.Change() != y.Change() {
			return y.Change() - x.Change()
		}
		return int(x.CommunityID - y.CommunityID)
	})
	for _, g := range all {
		if g.Change() > 0 && len(rising) < reportPicks {
			rising = append(rising, g)
		}
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Change() < 0 && len(falling) < reportPicks {
			falling = append(falling, all[i])
		}
	}
	return rising, falling, nil
}

// helpers returns the members who answered the most questions in win.
func (a *App) helpers(ctx context.Context, ws *shequn.Workspace, win shequn.DayRange) ([]shequn.ParetoRow, error) {
	totals, err := a.db.PosterTotals(ctx, ws.ID, shequn.AnalyticsFilter{}, win, false)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(totals, func(x, y sqlstore.PosterTotal) int {
		if x.Answers != y.Answers {
			return y.Answers - x.Answers
		}
		return int(x.MemberID - y.MemberID)
	})
	var out []shequn.ParetoRow
	for _, t := range totals[:min(len(totals), reportPicks)] {
		if t.Answers == 0 {
			break
		}
		row := shequn.ParetoRow{ID: t.MemberID, Messages: t.Answers}
		if m, err := a.db.FindMemberByID(ctx, ws.ID, t.MemberID); err == nil {
			row.Name = m.DisplayName
		}
		out = append(out, row)
	}
	return out, nil
}

// quickAnswers returns the questions of [from, to) answered quickest by
// someone other than the asker.
func (a *App) quickAnswers(ctx context.Context, ws *shequn.Workspace, from, to time.Time) ([]*shequn.Question, error) {
	qs, err := a.db.FindQuestions(ctx, ws.ID, shequn.QuestionFilter{Status: "answered", Since: from, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []*shequn.Question
	for _, q := range qs {
		if q.TS.Before(to) && q.AnsweredAt != nil && q.AnswerMemberID != q.MemberID {
			out = append(out, q)
		}
	}
	slices.SortStableFunc(out, func(x, y *shequn.Question) int {
		return int(x.AnsweredAt.Sub(x.TS) - y.AnsweredAt.Sub(y.TS))
	})
	return out[:min(len(out), reportPicks)], nil
}

// MakeWeeklyReport makes ws's report of last week once it is Monday
// 09:00 in its zone, keeps it and queues its summary to the operators'
// webhook and to the chosen group; once per week.
func (a *App) MakeWeeklyReport(ctx context.Context, ws *shequn.Workspace, now time.Time) (bool, error) {
	local := now.In(ws.Location())
	this := mondayOf(local)
	if local.Before(this.Add(shequn.ReportHour * time.Hour)) {
		this = this.AddDate(0, 0, -7) // before 09:00 on Monday: last week's report is the one due
	}
	week := shequn.WeekOf(this.AddDate(0, 0, -7))
	if made, ok := a.reported.Load(ws.ID); ok && made.(string) == week {
		return false, nil
	}
	if !ws.CreatedAt.IsZero() && ws.CreatedAt.After(this) { // the workspace did not exist that week
		a.reported.Store(ws.ID, week)
		return false, nil
	}
	if _, err := a.db.WeeklyReport(ctx, ws.ID, week); err == nil {
		a.reported.Store(ws.ID, week)
		return false, nil
	}
	rep, err := a.buildReport(background(ctx), ws, this.AddDate(0, 0, -7))
	if err != nil {
		return false, err
	}
	set, err := a.db.ReportSettings(ctx, ws.ID)
	if err != nil {
		return false, err
	}
	text := ReportText(rep, set.Lang)
	notices := []*shequn.OutboxItem{shequn.NewOutboxItem(ws.ID, "report:"+week, shequn.PlatformOperators, 0, 0, shequn.ActNotify, shequn.OutboxPayload{Text: text})}
	if set.CommunityID != 0 {
		if c, err := a.db.FindCommunityByID(ctx, ws.ID, set.CommunityID); err == nil {
			notices = append(notices, textRow(ws.ID, "report:"+week+":group", c, 0, shequn.ActSend, text, now))
		}
	}
	fresh, err := a.db.AddWeeklyReport(ctx, ws.ID, rep, notices)
	if err == nil {
		a.reported.Store(ws.ID, week)
	}
	return fresh, err
}

// ReportSettings returns where ws's weekly report goes.
func (a *App) ReportSettings(ctx context.Context, ws *shequn.Workspace) (shequn.ReportSettings, error) {
	return a.db.ReportSettings(ctx, ws.ID)
}

// SaveReportSettings sets where ws's weekly report goes.
func (a *App) SaveReportSettings(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, s shequn.ReportSettings) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if s.Lang != "zh" && s.Lang != "en" {
		return shequn.Invalid("lang", "lang %q: want zh or en", s.Lang)
	}
	if s.CommunityID != 0 {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, s.CommunityID); err != nil {
			return err
		}
	}
	return a.db.SaveReportSettings(ctx, ws.ID, s)
}

// ReportText is the report's short summary for a chat group or a
// webhook, in lang (zh or en).
func ReportText(rep *shequn.WeeklyReport, lang string) string {
	w := reportWords[lang]
	if w == nil {
		w = reportWords["zh"]
	}
	s := rep.Summary
	p := s.Previous
	if p == nil {
		p = &shequn.ActivitySummary{}
	}
	var b strings.Builder
	fmt.Fprintf(&b, w["title"], rep.Workspace, rep.Week, rep.From, rep.To)
	fmt.Fprintf(&b, w["activity"], s.Messages, change(w, s.Messages, p.Messages), s.ActiveMembers, change(w, s.ActiveMembers, p.ActiveMembers))
	fmt.Fprintf(&b, w["growth"], s.Joins, s.Leaves, s.Net)
	fmt.Fprintf(&b, w["answers"], s.Questions, 100*s.AnsweredShare, waitWords(w, s.Answered, s.MedianAnswerSeconds))
	for _, g := range rep.Rising[:min(len(rep.Rising), 3)] {
		fmt.Fprintf(&b, w["rising"], g.Name, g.Previous, g.Messages)
	}
	for _, g := range rep.Falling[:min(len(rep.Falling), 3)] {
		fmt.Fprintf(&b, w["falling"], g.Name, g.Previous, g.Messages)
	}
	for _, h := range rep.Attention[:min(len(rep.Attention), 3)] {
		fmt.Fprintf(&b, w["attention"], h.Name, h.Score, w[cmp.Or(h.Action, "advice_")])
	}
	for _, h := range rep.Helpers[:min(len(rep.Helpers), 3)] {
		fmt.Fprintf(&b, w["helper"], h.Name, h.Messages)
	}
	return strings.TrimSpace(b.String())
}

// change writes a week's change as a signed percent ("new" when the
// week before had none).
func change(w map[string]string, now, was int) string {
	switch {
	case was == 0 && now == 0:
		return "±0%"
	case was == 0:
		return w["new"]
	}
	return strings.Replace(fmt.Sprintf("%+.0f%%", 100*float64(now-was)/float64(was)), "-", "−", 1)
}

// waitWords writes a median wait: minutes under an hour, else hours;
// "under a minute" when answers came within the minute.
func waitWords(w map[string]string, answered int, secs float64) string {
	switch {
	case answered == 0:
		return "—"
	case secs < 60:
		return w["under_minute"]
	case secs < 3600:
		return fmt.Sprintf("%.0f %s", secs/60, w["min"])
	}
	return fmt.Sprintf("%.1f %s", secs/3600, w["hours"])
}

// reportWords are the report summary's phrases.
var reportWords = map[string]map[string]string{
	"zh": {
		"title":               "【%s 周报】%s（%s 至 %s）\n",
		"activity":            "消息 %d（%s），活跃成员 %d（%s）\n",
		"growth":              "入群 %d，退群 %d，净增 %d\n",
		"answers":             "提问 %d，解答率 %.0f%%，首次回答中位时长 %s\n",
		"rising":              "↑ %s：%d → %d 条消息\n",
		"falling":             "↓ %s：%d → %d 条消息\n",
		"attention":           "⚠ %s 健康度 %d：%s\n",
		"helper":              "★ %s 解答了 %d 个问题\n",
		"advice_":             "请留意",
		"new":                 "上周为零",
		"under_minute":        "不到 1 分钟",
		"min":                 "分钟",
		"hours":               "小时",
		"advice_dormant":      "已沉寂数周，用话题或活动唤醒，或归档",
		"advice_single_voice": "一人发了过半消息，邀请其他成员参与",
		"advice_declining":    "活跃度在下降，安排话题或打卡挑战",
		"advice_activation":   "参与的人少，发起话题或打卡挑战", "advice_newcomers": "新人一周内流失，检查欢迎 SOP",
		"advice_growth": "退群多于入群", "advice_answers": "提问没人回答，安排管理员值班", "advice_balance": "少数人撑场",
		"advice_conversation": "消息缺少回应", "advice_clean": "广告较多，收紧审核规则",
	},
	"en": {
		"title":               "[%s weekly report] %s (%s to %s)\n",
		"activity":            "Messages %d (%s), active members %d (%s)\n",
		"growth":              "Joins %d, leaves %d, net %d\n",
		"answers":             "Questions %d, answered %.0f%%, median time to answer %s\n",
		"rising":              "↑ %s: %d → %d messages\n",
		"falling":             "↓ %s: %d → %d messages\n",
		"attention":           "⚠ %s health %d: %s\n",
		"helper":              "★ %s answered %d questions\n",
		"advice_":             "needs a look",
		"new":                 "none the week before",
		"under_minute":        "under a minute",
		"min":                 "min",
		"hours":               "h",
		"advice_dormant":      "silent for weeks: revive it with a topic or an event, or archive it",
		"advice_single_voice": "one member writes over half the messages: bring others in",
		"advice_declining":    "activity is falling: plan a topic or a check-in challenge",
		"advice_activation":   "few take part: start a topic or a check-in challenge", "advice_newcomers": "newcomers leave within a week: review the welcome SOP",
		"advice_growth": "more leave than join", "advice_answers": "questions go unanswered: put an admin on duty", "advice_balance": "a few voices carry the group",
		"advice_conversation": "messages get no replies", "advice_clean": "spam is high: tighten the moderation rules",
	},
}

// WeeklyReportWeeks returns the weeks of ws's latest reports made.
func (a *App) WeeklyReportWeeks(ctx context.Context, ws *shequn.Workspace) ([]string, error) {
	return a.db.WeeklyReportWeeks(ctx, ws.ID, 12)
}
