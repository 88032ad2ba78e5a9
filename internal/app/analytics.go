package app

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// MaxAnalyticsDays is the longest period the analytics answer at once.
const MaxAnalyticsDays = 366

const dayMS = int64(24 * time.Hour / time.Millisecond)

// checkFilter verifies that the filter's group is ws's and its words are
// short, and resolves a segment into the members it selects.
func (a *App) checkFilter(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter) (shequn.AnalyticsFilter, error) {
	if utf8.RuneCountInString(f.Platform) > 32 || utf8.RuneCountInString(f.JoinSource) > 64 {
		return f, shequn.Errorf(shequn.EINVALID, "platform or join source too long")
	}
	if f.Benchmark != "" && f.Benchmark != shequn.BenchmarkOnly && f.Benchmark != shequn.BenchmarkRest {
		return f, shequn.Errorf(shequn.EINVALID, "benchmark %q: want only or rest", f.Benchmark)
	}
	if f.CommunityID != 0 {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, f.CommunityID); err != nil {
			return f, err
		}
	}
	if f.Segment == 0 {
		f.Members = nil
		return f, nil
	}
	segs, err := a.db.FindSegments(ctx, ws.ID)
	if err != nil {
		return f, err
	}
	for _, s := range segs {
		if s.ID == f.Segment {
			mf := shequn.SegmentMembers(s.Filter)
			f.Members = &mf
			return f, nil
		}
	}
	return f, shequn.Errorf(shequn.ENOTFOUND, "segment %d not found", f.Segment)
}

// checkPeriod verifies a period and returns its bounds in ws's zone.
func checkPeriod(ws *shequn.Workspace, win shequn.DayRange) (from, to time.Time, err error) {
	from, to, err = win.Bounds(ws.Location())
	if err != nil {
		return from, to, err
	}
	if n := win.Days(); n > MaxAnalyticsDays {
		return from, to, shequn.Errorf(shequn.EINVALID, "a period of %d days: at most %d", n, MaxAnalyticsDays)
	}
	return from, to, nil
}

// checkRead verifies a read's period and filter (see checkPeriod and
// checkFilter) and returns the filter resolved.
func (a *App) checkRead(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.AnalyticsFilter, error) {
	if _, _, err := checkPeriod(ws, win); err != nil {
		return f, err
	}
	return a.checkFilter(ctx, ws, f)
}

// ActivitySummary returns the activity of the filter's groups and members
// over win (see shequn.ActivitySummary for each figure).
func (a *App) ActivitySummary(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.ActivitySummary, error) {
	f, err := a.checkRead(ctx, ws, f, win)
	if err != nil {
		return shequn.ActivitySummary{From: win.From, To: win.To}, err
	}
	return kept(ctx, a, ws, figureRequest{Kind: figSummary, Filter: f, Win: win}, func() (shequn.ActivitySummary, error) {
		return a.activitySummary(ctx, ws, f, win)
	})
}

// activitySummary computes the summary of a checked filter and period.
func (a *App) activitySummary(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.ActivitySummary, error) {
	s := shequn.ActivitySummary{From: win.From, To: win.To}
	from, to, err := win.Bounds(ws.Location())
	if err != nil {
		return s, err
	}
	posters, err := a.db.PosterTotals(ctx, ws.ID, f, win, false)
	if err != nil {
		return s, err
	}
	counts := make([]int, len(posters))
	for i, p := range posters {
		s.Messages, s.Reactions, s.Replies, s.Chars = s.Messages+p.Messages, s.Reactions+p.Reactions, s.Replies+p.Replies, s.Chars+p.Chars
		counts[i] = p.Messages
	}
	s.ActiveMembers = len(posters)
	s.Concentration = shequn.Concentrate(counts)
	daily, err := a.db.DailyActive(ctx, ws.ID, f, win)
	if err != nil {
		return s, err
	}
	s.Daily = fillDays(win, daily)
	if err := a.flow(ctx, ws, f, win, from, to, &s); err != nil {
		return s, err
	}
	if err := a.answers(ctx, ws, f, from, to, &s); err != nil {
		return s, err
	}
	return s, a.stickiness(ctx, ws, f, win, &s)
}

// fillDays returns one entry per day of win, zeros where nobody was active.
func fillDays(win shequn.DayRange, got []shequn.DailyCount) []shequn.DailyCount {
	by := map[string]shequn.DailyCount{}
	for _, d := range got {
		by[d.Day] = d
	}
	from, _ := time.Parse(time.DateOnly, win.From)
	out := make([]shequn.DailyCount, 0, win.Days())
	for i := range win.Days() {
		day := from.AddDate(0, 0, i).Format(time.DateOnly)
		d := by[day]
		d.Day = day
		out = append(out, d)
	}
	return out
}

// flow fills joins, leaves, members and churn.
func (a *App) flow(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange, from, to time.Time, s *shequn.ActivitySummary) error {
	if f.JoinSource != "" || f.Members != nil { // per membership: the group rollups cannot tell
		j, l, err := a.db.SourceFlow(ctx, ws.ID, f, from.UnixMilli(), to.UnixMilli())
		if err != nil {
			return err
		}
		s.Joins, s.Leaves = j, l
	} else {
		rows, err := a.db.GroupFlows(ctx, ws.ID, f, win)
		if err != nil {
			return err
		}
		for _, r := range rows {
			s.Joins, s.Leaves = s.Joins+r.Joins, s.Leaves+r.Leaves
		}
	}
	s.Net = s.Joins - s.Leaves
	members, err := a.db.GroupMembers(ctx, ws.ID, f)
	if err != nil {
		return err
	}
	for _, n := range members {
		s.Members += n
	}
	later, err := a.netSince(ctx, ws, f, to)
	if err != nil {
		return err
	}
	s.Members = max(0, s.Members-later)
	s.ChurnRate = shequn.Ratio(s.Leaves, s.Members-s.Net)
	inviters, err := a.db.Inviters(ctx, ws.ID, f, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return err
	}
	for _, r := range inviters {
		s.Invited, s.InviteesStayed = s.Invited+r.Invited, s.InviteesStayed+r.Stayed
	}
	s.Inviters = len(inviters)
	if s.Inviters > 0 {
		s.InviteesPerInviter = float64(s.Invited) / float64(s.Inviters)
	}
	return nil
}

// TopInviters returns the members who invited the most joiners in win,
// with how many of them stayed.
func (a *App) TopInviters(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) ([]shequn.InviterRow, error) {
	f, err := a.checkRead(ctx, ws, f, win)
	if err != nil {
		return nil, err
	}
	return kept(ctx, a, ws, figureRequest{Kind: figInviters, Filter: f, Win: win}, func() ([]shequn.InviterRow, error) {
		return a.topInviters(ctx, ws, f, win)
	})
}

// topInviters computes the top inviters of a checked filter and period.
func (a *App) topInviters(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) ([]shequn.InviterRow, error) {
	from, to, err := win.Bounds(ws.Location())
	if err != nil {
		return nil, err
	}
	rows, err := a.db.Inviters(ctx, ws.ID, f, from.UnixMilli(), to.UnixMilli())
	return rows[:min(len(rows), shequn.TopPosters)], err
}

// netSince returns the net growth from end (a period's end) until now.
func (a *App) netSince(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, end time.Time) (int, error) {
	now := a.Clock.Now()
	if !end.Before(now) {
		return 0, nil
	}
	if f.JoinSource != "" || f.Members != nil { // per membership: the group rollups cannot tell
		j, l, err := a.db.SourceFlow(ctx, ws.ID, f, end.UnixMilli(), now.UnixMilli()+1)
		return j - l, err
	}
	after := shequn.DayRange{From: shequn.Day(end, ws.Location()), To: shequn.Day(now, ws.Location())}
	rows, err := a.db.GroupFlows(ctx, ws.ID, f, after)
	net := 0
	for _, r := range rows {
		net += r.Joins - r.Leaves
	}
	return net, err
}

// answers fills the question figures.
func (a *App) answers(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, from, to time.Time, s *shequn.ActivitySummary) error {
	qs, err := a.db.QuestionWaits(ctx, ws.ID, f, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return err
	}
	var waits []int64
	for _, q := range qs {
		if q.Wait >= 0 {
			waits = append(waits, q.Wait)
		}
	}
	s.Questions, s.Answered = len(qs), len(waits)
	s.AnsweredShare = shequn.Ratio(s.Answered, s.Questions)
	s.MedianAnswerSeconds = shequn.Median(waits) / 1000
	return nil
}

// stickiness fills the rolling DAU, WAU and MAU of each day of win and,
// for the 28 days ending on win.To, stickiness and activation.
func (a *App) stickiness(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange, s *shequn.ActivitySummary) error {
	span := shequn.DayRange{From: win.Shift(-27).From, To: win.To}
	days, err := a.db.ActiveDays(ctx, ws.ID, f, span)
	if err != nil {
		return err
	}
	s.Rolling = rolling(span, days)[27:]
	last := s.Rolling[len(s.Rolling)-1]
	s.DAU, s.WAU, s.MAU = last.DAU, last.WAU, last.MAU
	sum := 0
	for _, r := range rolling(span, days)[max(0, span.Days()-28):] {
		sum += r.DAU
	}
	if s.MAU > 0 {
		s.Stickiness = float64(sum) / 28 / float64(s.MAU)
	}
	s.Activation = shequn.Ratio(s.MAU, s.Members)
	return nil
}

// rolling counts, for each day of span, the members active that day and
// in the 7 and 28 days ending on it, sliding both windows along.
func rolling(span shequn.DayRange, days map[string][]int64) []shequn.RollingCount {
	week, month := map[int64]int{}, map[int64]int{}
	from, _ := time.Parse(time.DateOnly, span.From)
	n := span.Days()
	out := make([]shequn.RollingCount, n)
	slide := func(in map[int64]int, add, drop string) {
		for _, m := range days[add] {
			in[m]++
		}
		for _, m := range days[drop] {
			if in[m]--; in[m] == 0 {
				delete(in, m)
			}
		}
	}
	for i := range n {
		d := from.AddDate(0, 0, i).Format(time.DateOnly)
		slide(week, d, from.AddDate(0, 0, i-7).Format(time.DateOnly))
		slide(month, d, from.AddDate(0, 0, i-28).Format(time.DateOnly))
		out[i] = shequn.RollingCount{Day: d, DAU: len(days[d]), WAU: len(week), MAU: len(month)}
	}
	return out
}

// Cohorts returns the retention of the memberships that joined in each of
// the last weeks (this one included), and the newcomers' funnel.
func (a *App) Cohorts(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, weeks int) (shequn.CohortReport, error) {
	if weeks < 1 || weeks > 52 {
		return shequn.CohortReport{StayDays: shequn.StayDays}, shequn.Errorf(shequn.EINVALID, "weeks must be from 1 to 52")
	}
	f, err := a.checkFilter(ctx, ws, f)
	if err != nil {
		return shequn.CohortReport{StayDays: shequn.StayDays}, err
	}
	return kept(ctx, a, ws, figureRequest{Kind: figCohorts, Filter: f, Weeks: weeks}, func() (shequn.CohortReport, error) {
		return a.cohorts(ctx, ws, f, weeks)
	})
}

// cohorts computes the cohorts of a checked filter.
func (a *App) cohorts(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, weeks int) (shequn.CohortReport, error) {
	rep := shequn.CohortReport{StayDays: shequn.StayDays}
	loc, now := ws.Location(), a.Clock.Now()
	today := midnight(now.In(loc))
	start := mondayOf(today).AddDate(0, 0, -7*(weeks-1))
	joiners, err := a.db.Joiners(ctx, ws.ID, f, start.UnixMilli(), now.UnixMilli()+1, start.Format(time.DateOnly))
	if err != nil {
		return rep, err
	}
	rep.Cohorts = make([]shequn.Cohort, weeks)
	for i := range rep.Cohorts {
		ws := start.AddDate(0, 0, 7*i)
		y, w := ws.ISOWeek()
		rep.Cohorts[i] = shequn.Cohort{Week: isoWeek(y, w), Start: ws.Format(time.DateOnly),
			Stayed: make([]*int, len(shequn.StayDays)), Active: make([]*int, shequn.ActiveWeeks)}
	}
	for _, j := range joiners {
		joined := time.UnixMilli(j.JoinedAt).In(loc)
		d0 := midnight(joined)
		i := int(d0.Sub(start).Hours()/24+0.5) / 7
		if i < 0 || i >= weeks {
			continue
		}
		c := &rep.Cohorts[i]
		c.Size++
		end := start.AddDate(0, 0, 7*(i+1)) // the cohort's last join is before end
		for k, d := range shequn.StayDays {
			if end.UnixMilli()+int64(d)*dayMS > now.UnixMilli() {
				continue
			}
			cell(&c.Stayed[k], j.LeftAt == 0 || j.LeftAt > j.JoinedAt+int64(d)*dayMS)
		}
		for k := 1; k <= shequn.ActiveWeeks; k++ {
			if !end.AddDate(0, 0, 7*k+6).After(today) { // the week is over for the cohort's last joiner
				cell(&c.Active[k-1], activeBetween(j.Days, d0.AddDate(0, 0, 7*k), d0.AddDate(0, 0, 7*k+6)))
			}
		}
		funnel(&rep.Funnel, j, d0, today)
	}
	return rep, nil
}

// cell counts one member into a retention cell that is complete.
func cell(c **int, kept bool) {
	if *c == nil {
		*c = new(int)
	}
	if kept {
		**c++
	}
}

// funnel counts a joiner whose second week is over into the funnel.
func funnel(f *shequn.Funnel, j sqlstore.Joiner, d0, today time.Time) {
	if !d0.AddDate(0, 0, 13).Before(today) {
		return
	}
	f.Joined++
	if j.LeftAt != 0 && j.LeftAt <= j.JoinedAt+dayMS {
		return
	}
	f.Stayed1d++
	if !activeBetween(j.Days, d0, today) {
		return
	}
	f.Posted++
	if activeBetween(j.Days, d0.AddDate(0, 0, 7), d0.AddDate(0, 0, 13)) {
		f.Week2++
	}
}

// activeBetween reports whether one of days falls from a to b inclusive.
func activeBetween(days []string, a, b time.Time) bool {
	lo, hi := a.Format(time.DateOnly), b.Format(time.DateOnly)
	return slices.ContainsFunc(days, func(d string) bool { return d >= lo && d <= hi })
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func isoWeek(y, w int) string { return fmt.Sprintf("%d-W%02d", y, w) }

// Pareto returns the groups by messages with their running share, and the
// top posters, over win.
func (a *App) Pareto(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.Pareto, error) {
	f, err := a.checkRead(ctx, ws, f, win)
	if err != nil {
		return shequn.Pareto{From: win.From, To: win.To}, err
	}
	p, err := kept(ctx, a, ws, figureRequest{Kind: figPareto, Filter: f, Win: win}, func() (shequn.Pareto, error) {
		return a.pareto(ctx, ws, f, win)
	})
	if err != nil {
		return p, err
	}
	return p, a.paretoNames(ctx, ws, &p)
}

// pareto computes the Pareto of a checked filter and period, without
// names (read as they are now: see paretoNames).
func (a *App) pareto(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.Pareto, error) {
	p := shequn.Pareto{From: win.From, To: win.To}
	totals, err := a.db.PosterTotals(ctx, ws.ID, f, win, true)
	if err != nil {
		return p, err
	}
	byGroup, byMember := map[int64]*shequn.ParetoRow{}, map[int64]*shequn.ParetoRow{}
	chars := map[int64]int{}
	for _, t := range totals {
		if t.Messages == 0 {
			continue
		}
		add(byGroup, t.CommunityID, "", t.Messages)
		add(byMember, t.MemberID, "", t.Messages)
		chars[t.MemberID] += t.Chars
	}
	p.Groups = rows(byGroup)
	p.Messages, p.GroupsFor80 = shequn.Cumulate(p.Groups)
	p.GroupsConcentr = shequn.Concentrate(messages(p.Groups))
	p.Members = rows(byMember)
	shequn.Cumulate(p.Members)
	p.Concentration = shequn.Concentrate(messages(p.Members))
	p.Members = p.Members[:min(len(p.Members), shequn.TopPosters)]
	for i := range p.Members {
		m := &p.Members[i]
		m.AvgChars = float64(chars[m.ID]) / float64(m.Messages)
	}
	return p, nil
}

// paretoNames names a Pareto's groups and members as they are now.
func (a *App) paretoNames(ctx context.Context, ws *shequn.Workspace, p *shequn.Pareto) error {
	groups, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, c := range groups {
		names[c.ID] = c.Name
	}
	for i := range p.Groups {
		p.Groups[i].Name = names[p.Groups[i].ID]
	}
	for i := range p.Members {
		m := &p.Members[i]
		m.Name = ""
		if who, err := a.db.FindMemberByID(ctx, ws.ID, m.ID); err == nil {
			m.Name = who.DisplayName
		}
	}
	return nil
}

func add(by map[int64]*shequn.ParetoRow, id int64, name string, n int) {
	r := by[id]
	if r == nil {
		r = &shequn.ParetoRow{ID: id, Name: name}
		by[id] = r
	}
	r.Messages += n
}

func rows(by map[int64]*shequn.ParetoRow) []shequn.ParetoRow {
	out := make([]shequn.ParetoRow, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b shequn.ParetoRow) int { return int(a.ID - b.ID) })
	return out
}

func messages(rs []shequn.ParetoRow) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.Messages
	}
	return out
}

// SetStaff marks a member as staff or a bot (left out of every analytics
// figure), or as a member again.
func (a *App) SetStaff(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, member int64, staff bool) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.db.SetStaff(ctx, ws.ID, member, staff); err != nil {
		return err
	}
	return a.forgetFigures(ctx, ws)
}

// AnalyticsDays is the default period of the analytics: the last 28 days.
const AnalyticsDays = 28

// AnalyticsPeriod reads a period from its first and last days; the last
// defaults to today and the first to 27 days before the last.
func (a *App) AnalyticsPeriod(ws *shequn.Workspace, from, to string) (shequn.DayRange, error) {
	win := shequn.LastDays(a.Clock.Now(), ws.Location(), AnalyticsDays)
	if to != "" {
		win = shequn.DayRange{From: to, To: to}.Shift(0)
		if win.To != to {
			return win, shequn.Errorf(shequn.EINVALID, "to %q: want a day written YYYY-MM-DD", to)
		}
		win.From = win.Shift(-(AnalyticsDays - 1)).From
	}
	if from != "" {
		win.From = from
	}
	_, _, err := checkPeriod(ws, win)
	return win, err
}

// ComparedSummary is ActivitySummary with the same figures for another
// period: the one of the same length just before when against is empty.
func (a *App) ComparedSummary(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange, against *shequn.DayRange) (shequn.ActivitySummary, error) {
	s, err := a.ActivitySummary(ctx, ws, f, win)
	if err != nil {
		return s, err
	}
	prev := win.Shift(-win.Days())
	if against != nil {
		prev = *against
	}
	p, err := a.ActivitySummary(ctx, ws, f, prev)
	if err != nil {
		return s, err
	}
	s.Previous = &p
	return s, nil
}

// RebuildAnalytics recomputes ws's analytics counters from its event log
// (after an upgrade or a fix) and returns the messages read.
func (a *App) RebuildAnalytics(ctx context.Context, ws *shequn.Workspace) (int, error) {
	n, err := a.db.RebuildAnalytics(ctx, ws.ID, ws.Location())
	if err != nil {
		return n, err
	}
	return n, a.forgetFigures(ctx, ws)
}

// JoinSources lists the join sources of ws's memberships (channel codes
// included), most used first, for the analytics' join source filter.
func (a *App) JoinSources(ctx context.Context, ws *shequn.Workspace) ([]shequn.SourceCount, error) {
	return kept(ctx, a, ws, figureRequest{Kind: figSources}, func() ([]shequn.SourceCount, error) { return a.db.JoinSources(ctx, ws.ID) })
}
