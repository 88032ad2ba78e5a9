package shequn

import (
	"math"
	"slices"
	"time"
)

// AnalyticsFilter narrows analytics to a group, a platform or the members
// who joined through a source. Zero values mean everything.
type AnalyticsFilter struct {
	CommunityID int64  `json:"community,omitempty"`
	Platform    string `json:"platform,omitempty"`
	JoinSource  string `json:"join_source,omitempty"`
	// Benchmark keeps the benchmark groups (BenchmarkOnly) or the others
	// (BenchmarkRest); "" keeps both.
	Benchmark string `json:"benchmark,omitempty"`
	// Segment keeps the members of a saved segment; the app resolves it
	// into Members, the segment's member filter.
	Segment int64         `json:"segment,omitempty"`
	Members *MemberFilter `json:"-"`
}

// Benchmark filters.
const (
	BenchmarkOnly = "only"
	BenchmarkRest = "rest"
)

// Concentration says how much of the talk comes from a few members.
type Concentration struct {
	// Posters are the members who wrote at least one message.
	Posters int `json:"posters"`
	// TopShare is the share of messages written by the top 20% of posters
	// (at least one poster).
	TopShare float64 `json:"top20_share"`
	// AbsenceFactor is the fewest posters who wrote half of the messages
	// (CHAOSS Contributor Absence Factor).
	AbsenceFactor int `json:"contributor_absence_factor"`
	// Gini of the messages per poster: 0 when all wrote alike, towards 1
	// when one wrote everything.
	Gini float64 `json:"gini"`
	// TopPoster is the largest share of the messages one poster wrote.
	TopPoster float64 `json:"top_poster_share"`
}

// Concentrate measures how messages (one count per poster; zeros are
// ignored) are spread over the posters.
func Concentrate(counts []int) Concentration {
	xs := make([]int, 0, len(counts))
	total := 0
	for _, c := range counts {
		if c > 0 {
			xs = append(xs, c)
			total += c
		}
	}
	c := Concentration{Posters: len(xs)}
	if total == 0 {
		return c
	}
	slices.Sort(xs)
	n := len(xs)
	top := max(1, int(math.Ceil(0.2*float64(n))))
	sum, weighted := 0, 0.0
	for i := n - 1; i >= 0; i-- {
		sum += xs[i]
		if n-i == top {
			c.TopShare = float64(sum) / float64(total)
		}
		if c.AbsenceFactor == 0 && 2*sum >= total {
			c.AbsenceFactor = n - i
		}
	}
	for i, x := range xs {
		weighted += float64(i+1) * float64(x)
	}
	c.Gini = 2*weighted/(float64(n)*float64(total)) - float64(n+1)/float64(n)
	c.Gini = math.Max(0, math.Round(c.Gini*1e6)/1e6)
	c.TopPoster = float64(xs[n-1]) / float64(total)
	return c
}

// ActivitySummary is a period's activity: one group, or many.
type ActivitySummary struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Messages, reactions, replies and characters written by members who
	// are not staff.
	Messages  int `json:"messages"`
	Reactions int `json:"reactions"`
	Replies   int `json:"replies"`
	Chars     int `json:"chars"`
	// ActiveMembers posted a message or a reaction in the period.
	ActiveMembers int          `json:"active_members"`
	Daily         []DailyCount `json:"daily_active"`
	// Joins and leaves count every join and every leave, kick or ban.
	Joins  int `json:"joins"`
	Leaves int `json:"leaves"`
	Net    int `json:"net_growth"`
	// Members are the memberships at the period's end (those active now
	// less the net growth since; a person in two groups counts twice)
	// without staff; ChurnRate is leaves over members at the period's
	// start (members − net growth).
	Members   int     `json:"members"`
	ChurnRate float64 `json:"churn_rate"`
	// Invited are the period's joins (a membership's latest) that name an
	// inviter, Inviters the distinct members who invited them,
	// InviteesStayed those of them still members now.
	Invited            int     `json:"invited"`
	Inviters           int     `json:"inviters"`
	InviteesStayed     int     `json:"invitees_stayed"`
	InviteesPerInviter float64 `json:"invitees_per_inviter"`
	Concentration
	Questions           int     `json:"questions"`
	Answered            int     `json:"answered"`
	AnsweredShare       float64 `json:"answered_share"`
	MedianAnswerSeconds float64 `json:"median_answer_seconds"`
	// DAU, WAU and MAU count the members active on the period's last day
	// and in the 7 and 28 days ending on it; Stickiness is the mean DAU of
	// those 28 days over MAU, Activation MAU over members.
	DAU        int     `json:"dau"`
	WAU        int     `json:"wau"`
	MAU        int     `json:"mau"`
	Stickiness float64 `json:"stickiness"`
	Activation float64 `json:"activation"`
	// Rolling holds DAU, WAU and MAU as of each day of the period.
	Rolling []RollingCount `json:"rolling"`
	// Previous is the period it is compared with, when asked.
	Previous *ActivitySummary `json:"previous,omitempty"`
}

// RollingCount is the members active on a day and in the 7 and 28 days
// ending on it.
type RollingCount struct {
	Day string `json:"day"`
	DAU int    `json:"dau"`
	WAU int    `json:"wau"`
	MAU int    `json:"mau"`
}

// DailyCount is one day's active members and messages.
type DailyCount struct {
	Day      string `json:"day"`
	Active   int    `json:"active"`
	Messages int    `json:"messages"`
}

// Ratio is a over b, 0 when b is 0.
func Ratio(a, b int) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Median returns the median of xs (0 when empty); xs is sorted in place.
func Median(xs []int64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return float64(xs[n/2-1]+xs[n/2]) / 2
}

// Bounds returns the instants the range starts and ends (exclusive) in
// loc, or EINVALID when a day is malformed or the range is backwards.
func (r DayRange) Bounds(loc *time.Location) (from, to time.Time, err error) {
	f, err1 := time.ParseInLocation(time.DateOnly, r.From, loc)
	t, err2 := time.ParseInLocation(time.DateOnly, r.To, loc)
	if err1 != nil || err2 != nil {
		return from, to, Errorf(EINVALID, "from and to must be days written YYYY-MM-DD")
	}
	if t.Before(f) {
		return from, to, Errorf(EINVALID, "from %s is after to %s", r.From, r.To)
	}
	return f, t.AddDate(0, 0, 1), nil
}

// Days returns how many days the range holds (0 when malformed).
func (r DayRange) Days() int {
	f, err1 := time.Parse(time.DateOnly, r.From)
	t, err2 := time.Parse(time.DateOnly, r.To)
	if err1 != nil || err2 != nil || t.Before(f) {
		return 0
	}
	return int(t.Sub(f).Hours()/24) + 1
}

// Shift returns the range moved by n days.
func (r DayRange) Shift(n int) DayRange {
	f, _ := time.Parse(time.DateOnly, r.From)
	t, _ := time.Parse(time.DateOnly, r.To)
	return DayRange{From: f.AddDate(0, 0, n).Format(time.DateOnly), To: t.AddDate(0, 0, n).Format(time.DateOnly)}
}

// StayDays are the days after joining at which stay retention is measured.
var StayDays = []int{1, 7, 14, 30}

// ActiveWeeks is how many weeks after joining active retention follows.
const ActiveWeeks = 8

// Cohort is the memberships that joined in one week (Monday to Sunday in
// the workspace's zone; a member who rejoins counts in the week of the
// latest join). A cell is null until every member of the cohort has had
// the time to reach it.
type Cohort struct {
	Week  string `json:"week"`  // ISO week, 2026-W47
	Start string `json:"start"` // its Monday
	Size  int    `json:"size"`
	// Stayed[i] are those still members StayDays[i] days after joining.
	Stayed []*int `json:"stayed"`
	// Active[k-1] are those who posted in week k after joining (days
	// 7k to 7k+6 counted from the join day).
	Active []*int `json:"active"`
}

// Funnel follows the members who joined at least two weeks ago: joined →
// still there 24 hours later → posted since joining → active in their
// second week. Each step counts those who also passed the ones before.
type Funnel struct {
	Joined   int `json:"joined"`
	Stayed1d int `json:"stayed_1d"`
	Posted   int `json:"posted"`
	Week2    int `json:"active_week2"`
}

// CohortReport is the retention of the cohorts of the last weeks.
type CohortReport struct {
	Cohorts  []Cohort `json:"cohorts"`
	StayDays []int    `json:"stay_days"`
	Funnel   Funnel   `json:"funnel"`
}

// ParetoRow is a group or a member in a Pareto chart: its messages, its
// share of all and the running share down to it.
type ParetoRow struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Messages   int     `json:"messages"`
	Share      float64 `json:"share"`
	Cumulative float64 `json:"cumulative"`
	// AvgChars is a member's mean characters per message.
	AvgChars float64 `json:"avg_chars,omitempty"`
}

// Pareto shows which groups and which members carry the talk.
type Pareto struct {
	From     string      `json:"from"`
	To       string      `json:"to"`
	Messages int         `json:"messages"`
	Groups   []ParetoRow `json:"groups"`
	// GroupsFor80 is the fewest groups that produce 80% of the messages.
	GroupsFor80 int `json:"groups_for_80"`
	// Members are the top posters (at most TopPosters).
	Members        []ParetoRow   `json:"members"`
	Concentration  Concentration `json:"members_concentration"`
	GroupsConcentr Concentration `json:"groups_concentration"`
}

// TopPosters is how many members a Pareto lists.
const TopPosters = 50

// Cumulate sorts rows by messages, most first, and fills their shares.
func Cumulate(rows []ParetoRow) (total, for80 int) {
	slices.SortStableFunc(rows, func(a, b ParetoRow) int { return b.Messages - a.Messages })
	for _, r := range rows {
		total += r.Messages
	}
	run := 0
	for i := range rows {
		run += rows[i].Messages
		rows[i].Share = Ratio(rows[i].Messages, total)
		rows[i].Cumulative = Ratio(run, total)
		if for80 == 0 && total > 0 && 5*run >= 4*total {
			for80 = i + 1
		}
	}
	return total, for80
}

// InviterRow is a member who invited others in a period: how many joined
// and how many of them are still members.
type InviterRow struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Invited int    `json:"invited"`
	Stayed  int    `json:"stayed"`
}

// SourceCount is a join source (how a membership began: an invite link, a
// QR code, a channel code) and how many memberships it brought.
type SourceCount struct {
	Source  string `json:"source"`
	Members int    `json:"members"`
}
