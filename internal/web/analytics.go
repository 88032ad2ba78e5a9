package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// card is one headline figure with its change against the previous period.
type card struct {
	Key, Value, Delta string
	// Better is set when the change is an improvement, Worse when not.
	Better, Worse bool
}

// heatChart is a cohort heat map: rows are cohorts, columns the cells.
type heatChart struct {
	Kind  string       `json:"kind"`
	X     []string     `json:"x"`
	Y     []string     `json:"y"`
	Cells [][3]float64 `json:"cells"` // column, row, percent
}

// paretoChart draws bars and their running share.
type paretoChart struct {
	Kind     string    `json:"kind"`
	X        []string  `json:"x"`
	Bars     []int     `json:"bars"`
	Line     []float64 `json:"line"`
	BarName  string    `json:"bar_name"`
	LineName string    `json:"line_name"`
}

// funnelChart draws the newcomers' funnel.
type funnelChart struct {
	Kind   string   `json:"kind"`
	Steps  []string `json:"steps"`
	Values []int    `json:"values"`
}

type analyticsData struct {
	// AsOf is when the oldest figure shown was computed, when new events
	// arrived since (serve may show kept figures a few minutes old).
	AsOf       string
	Win        shequn.DayRange
	Filter     shequn.AnalyticsFilter
	Groups     []*shequn.Community
	Platforms  []string
	Summary    shequn.ActivitySummary
	Cards      []card
	Rolling    chart
	Cohorts    shequn.CohortReport
	Stay       heatChart
	Active     heatChart
	Funnel     funnelChart
	Pareto     shequn.Pareto
	ParetoBar  paretoChart
	Health     []shequn.GroupHealth
	Inviters   []shequn.InviterRow
	Segments   []*shequn.Segment
	Sources    []shequn.SourceCount
	Highlights shequn.Highlights
	// Query is the page's period and filter, for links that keep them.
	Query string
	// Against is the period chosen to compare with (nil: the one before).
	Against *shequn.DayRange
	// Weights are the health components' weights, in HealthOrder.
	Weights []weight
	Saved   bool
}

type weight struct {
	Name  string
	Value int
}

func (c *Console) analytics(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "analytics", "analytics", nil)
	wsp, q := ws(r), r.URL.Query()
	d := analyticsData{Platforms: knownPlatforms, Saved: q.Get("saved") == "1"}
	var err error
	d.Filter.Platform, d.Filter.Benchmark, d.Filter.JoinSource = q.Get("platform"), q.Get("benchmark"), q.Get("join_source")
	if s := q.Get("segment"); s != "" {
		if d.Filter.Segment, err = strconv.ParseInt(s, 10, 64); err != nil {
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "segment %q: want a number", s))
			return
		}
	}
	if d.Filter.CommunityID, err = strconv.ParseInt(or(q.Get("community"), "0"), 10, 64); err != nil {
		err = shequn.Errorf(shequn.EINVALID, "community %q: want a number", q.Get("community"))
	}
	if err == nil {
		d.Win, err = c.app.AnalyticsPeriod(wsp, q.Get("from"), q.Get("to"))
	}
	if err == nil && (q.Get("compare_from") != "" || q.Get("compare_to") != "") {
		var against shequn.DayRange
		if against, err = c.app.AnalyticsPeriod(wsp, q.Get("compare_from"), q.Get("compare_to")); err == nil {
			d.Against = &against
		}
	}
	if err == nil {
		err = c.analyticsFill(r, wsp, v.Lang, &d)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if wantsDownload(r) {
		c.downloadAnalytics(w, r, &d)
		return
	}
	d.Query = url.Values{"from": {d.Win.From}, "to": {d.Win.To}, "community": {strconv.FormatInt(d.Filter.CommunityID, 10)}, "platform": {d.Filter.Platform},
		"benchmark": {d.Filter.Benchmark}, "segment": {strconv.FormatInt(d.Filter.Segment, 10)}, "join_source": {d.Filter.JoinSource}}.Encode()
	v.Data = d
	c.render(w, r, "analytics", http.StatusOK, v)
}

// analyticsFill reads every figure of the page.
func (c *Console) analyticsFill(r *http.Request, wsp *shequn.Workspace, l string, d *analyticsData) error {
	var asOf app.FiguresAsOf
	ctx := app.WithFiguresAsOf(r.Context(), &asOf)
	defer func() {
		if !asOf.Oldest.IsZero() {
			d.AsOf = asOf.Oldest.In(wsp.Location()).Format("2006-01-02 15:04")
		}
	}()
	var err error
	if d.Groups, err = c.app.ListCommunities(ctx, wsp); err != nil {
		return err
	}
	if d.Segments, err = c.app.FindSegments(ctx, wsp); err != nil {
		return err
	}
	if d.Sources, err = c.app.JoinSources(ctx, wsp); err != nil {
		return err
	}
	if d.Summary, err = c.app.ComparedSummary(ctx, wsp, d.Filter, d.Win, d.Against); err != nil {
		return err
	}
	if d.Cohorts, err = c.app.Cohorts(ctx, wsp, d.Filter, 12); err != nil {
		return err
	}
	if d.Pareto, err = c.app.Pareto(ctx, wsp, d.Filter, d.Win); err != nil {
		return err
	}
	if d.Health, err = c.app.GroupHealth(ctx, wsp); err != nil {
		return err
	}
	weights, err := c.app.HealthWeights(ctx, wsp)
	if err != nil {
		return err
	}
	for _, name := range shequn.HealthOrder {
		d.Weights = append(d.Weights, weight{name, weights[name]})
	}
	if d.Highlights, err = c.app.Highlights(ctx, wsp, shequn.AnalyticsFilter{CommunityID: d.Filter.CommunityID}, d.Win); err != nil {
		return err
	}
	if d.Inviters, err = c.app.TopInviters(ctx, wsp, d.Filter, d.Win); err != nil {
		return err
	}
	d.Cards = cards(l, d.Summary)
	d.Rolling = rollingChart(l, d.Summary.Rolling)
	d.Stay, d.Active = cohortCharts(l, d.Cohorts)
	f := d.Cohorts.Funnel
	d.Funnel = funnelChart{Kind: "funnel", Steps: []string{translate(l, "funnel_joined"), translate(l, "funnel_stayed"), translate(l, "funnel_posted"), translate(l, "funnel_week2")},
		Values: []int{f.Joined, f.Stayed1d, f.Posted, f.Week2}}
	d.ParetoBar = paretoChart{Kind: "pareto", BarName: translate(l, "messages"), LineName: translate(l, "cumulative_share")}
	for _, g := range d.Pareto.Groups {
		d.ParetoBar.X = append(d.ParetoBar.X, g.Name)
		d.ParetoBar.Bars = append(d.ParetoBar.Bars, g.Messages)
		d.ParetoBar.Line = append(d.ParetoBar.Line, math.Round(g.Cumulative*1000)/10)
	}
	return nil
}

// cards are the headline figures, each against the previous period.
func cards(l string, s shequn.ActivitySummary) []card {
	p := s.Previous
	if p == nil {
		p = &shequn.ActivitySummary{}
	}
	n := func(key string, now, was int, upGood bool) card {
		return delta(card{Key: key, Value: strconv.Itoa(now)}, float64(now), float64(was), upGood, false)
	}
	f := func(key string, now, was float64, upGood bool) card {
		return delta(card{Key: key, Value: fmt.Sprintf("%.0f%%", now*100)}, now, was, upGood, true)
	}
	answer := delta(card{Key: "median_answer", Value: waitText(l, s.MedianAnswerSeconds)}, s.MedianAnswerSeconds, p.MedianAnswerSeconds, false, false)
	gini := delta(card{Key: "gini", Value: fmt.Sprintf("%.2f", s.Gini)}, s.Gini, p.Gini, false, true)
	return []card{
		n("active_members", s.ActiveMembers, p.ActiveMembers, true), n("messages", s.Messages, p.Messages, true),
		n("dau", s.DAU, p.DAU, true), n("wau", s.WAU, p.WAU, true), n("mau", s.MAU, p.MAU, true),
		f("stickiness", s.Stickiness, p.Stickiness, true), f("activation", s.Activation, p.Activation, true),
		n("joins", s.Joins, p.Joins, true), n("leaves", s.Leaves, p.Leaves, false), n("net_growth", s.Net, p.Net, true),
		f("churn_rate", s.ChurnRate, p.ChurnRate, false), f("top20_share", s.TopShare, p.TopShare, false),
		n("absence_factor", s.AbsenceFactor, p.AbsenceFactor, true), gini,
		f("answered_share", s.AnsweredShare, p.AnsweredShare, true), answer,
		n("invited", s.Invited, p.Invited, true),
		f("invitee_stay", shequn.Ratio(s.InviteesStayed, s.Invited), shequn.Ratio(p.InviteesStayed, p.Invited), true),
	}
}

// delta writes the change from was to now: points for shares, a percent
// otherwise; upGood says which way is better.
func delta(c card, now, was float64, upGood, share bool) card {
	diff := now - was
	switch {
	case diff == 0:
		c.Delta = "±0"
		return c
	case share:
		c.Delta = fmt.Sprintf("%+.0f pt", diff*100)
		if math.Abs(diff) < 0.01 {
			c.Delta = fmt.Sprintf("%+.1f pt", diff*100)
		}
	case was == 0:
		c.Delta = fmt.Sprintf("%+.0f", diff)
	default:
		c.Delta = fmt.Sprintf("%+.0f%%", 100*diff/math.Abs(was))
	}
	c.Delta = strings.Replace(c.Delta, "-", "−", 1)
	c.Better, c.Worse = (diff > 0) == upGood, (diff > 0) != upGood
	return c
}

// waitText writes a wait in minutes or hours ("—" when none).
func waitText(l string, secs float64) string {
	switch {
	case secs <= 0:
		return "—"
	case secs < 3600:
		return fmt.Sprintf("%.0f %s", math.Ceil(secs/60), translate(l, "unit_min"))
	}
	return fmt.Sprintf("%.1f %s", secs/3600, translate(l, "unit_hour"))
}

func rollingChart(l string, rs []shequn.RollingCount) chart {
	ch := chart{Partial: translate(l, "today_partial")}
	var dau, wau, mau []int
	for _, r := range rs {
		ch.X = append(ch.X, r.Day[5:])
		dau, wau, mau = append(dau, r.DAU), append(wau, r.WAU), append(mau, r.MAU)
	}
	ch.Series = []chartSeries{{"DAU", "line", dau}, {"WAU", "line", wau}, {"MAU", "line", mau}}
	return ch
}

// cohortCharts turns the cohorts into two heat maps of percentages.
func cohortCharts(l string, rep shequn.CohortReport) (stay, active heatChart) {
	stay, active = heatChart{Kind: "heatmap"}, heatChart{Kind: "heatmap"}
	for _, d := range rep.StayDays {
		stay.X = append(stay.X, fmt.Sprintf(translate(l, "day_n"), d))
	}
	for k := 1; k <= shequn.ActiveWeeks; k++ {
		active.X = append(active.X, fmt.Sprintf(translate(l, "week_n"), k))
	}
	for i, c := range rep.Cohorts {
		label := fmt.Sprintf("%s (%d)", c.Week, c.Size)
		stay.Y, active.Y = append(stay.Y, label), append(active.Y, label)
		stay.Cells = append(stay.Cells, heatRow(i, c.Size, c.Stayed)...)
		active.Cells = append(active.Cells, heatRow(i, c.Size, c.Active)...)
	}
	return stay, active
}

func heatRow(row, size int, cells []*int) [][3]float64 {
	var out [][3]float64
	for j, v := range cells {
		if v != nil && size > 0 {
			out = append(out, [3]float64{float64(j), float64(row), math.Round(1000*float64(*v)/float64(size)) / 10})
		}
	}
	return out
}

// sparkPoints draws a series as SVG polyline points in a 60×16 box.
func sparkPoints(xs []int) string {
	top := 1
	for _, x := range xs {
		top = max(top, x)
	}
	var b strings.Builder
	for i, x := range xs {
		fmt.Fprintf(&b, "%.1f,%.1f ", 60*float64(i)/float64(max(1, len(xs)-1)), 15-14*float64(x)/float64(top))
	}
	return strings.TrimSpace(b.String())
}

// cellPct writes a retention cell as a share of its cohort ("" when the
// cell is not complete).
func cellPct(v *int, size int) string {
	if v == nil || size == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*float64(*v)/float64(size))
}

// groupHealth returns one group's health among all of ws's groups.
func (c *Console) groupHealth(r *http.Request, id int64) (*shequn.GroupHealth, error) {
	hs, err := c.app.GroupHealth(r.Context(), ws(r))
	if err != nil {
		return nil, err
	}
	for i := range hs {
		if hs[i].CommunityID == id {
			return &hs[i], nil
		}
	}
	return nil, nil
}

// saveHealthWeights sets the workspace's weights of the health components.
func (c *Console) saveHealthWeights(w http.ResponseWriter, r *http.Request) {
	weights := map[string]int{}
	var err error
	for _, name := range shequn.HealthOrder {
		v := strings.TrimSpace(r.PostForm.Get("w_" + name))
		n, perr := strconv.Atoi(v)
		if perr != nil {
			err = shequn.Invalid("w_"+name, "weight of %s: %q, want a whole number", name, v)
			break
		}
		weights[name] = n
	}
	if err == nil {
		err = c.app.SaveHealthWeights(r.Context(), ws(r), op(r), weights)
	}
	if err != nil {
		c.reshow(w, r, err, c.analytics, nil)
		return
	}
	http.Redirect(w, r, "/analytics?saved=1#health", http.StatusSeeOther)
}
