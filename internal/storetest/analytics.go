package storetest

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// analyticsNow is the clock of the analytics property test: its streams
// span the 70 days before.
var analyticsNow = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// testAnalyticsRecount sends random streams (shuffled, in batches, with
// replays) through the product's pipeline and checks every analytics
// figure against a brute-force count of the raw events.
func testAnalyticsRecount(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	a.SetClock(fixedClock{analyticsNow})
	var seq atomic.Int64
	fewerChecks(t, 40)
	rapid.Check(t, func(rt *rapid.T) {
		tz := rapid.SampledFrom([]string{"UTC", "Asia/Shanghai", "America/New_York"}).Draw(rt, "tz")
		ws, err := a.EnsureWorkspace(ctx, fmt.Sprintf("a%d", seq.Add(1)), "analytics", tz)
		if err != nil {
			rt.Fatal(err)
		}
		events, late := splitLate(rt, drawStream(rt))
		sendShuffled(rt, a, ws, events)
		staff, err := a.MemberNamed(ctx, ws, "u5")
		if err == nil {
			if err := a.SetStaff(ctx, ws, nil, staff.ID, true); err != nil {
				rt.Fatal(err)
			}
		}
		markBenchmark(rt, db, ws, "g1")
		// the figures are kept (as serve keeps them) and read back, then
		// late events arrive: what was kept must not be read any more
		if _, err := a.WarmFigures(ctx, ws, analyticsNow); err != nil {
			rt.Fatal(err)
		}
		raw := recount{events: events, loc: ws.Location(), staff: "u5"}
		checkSummary(rt, a, ws, raw)
		checkCohorts(rt, a, ws, raw)
		checkPareto(rt, a, ws, raw)
		sendShuffled(rt, a, ws, late)
		raw.events = append(slices.Clone(events), late...)
		checkSummary(rt, a, ws, raw)
		checkCohorts(rt, a, ws, raw)
		checkPareto(rt, a, ws, raw)
		checkRebuild(rt, a, db, ws)
	})
}

// splitLate keeps the stream's last events apart, to send after the
// figures were kept: none of the staff member u5 or of a group not seen
// before (who would not be marked staff or benchmark).
func splitLate(rt *rapid.T, events []shequn.Event) (early, late []shequn.Event) {
	k := rapid.IntRange(0, min(10, len(events)-1)).Draw(rt, "late")
	early = events[:len(events)-k]
	groups := map[string]bool{}
	for _, e := range early {
		groups[e.Community] = true
	}
	for _, e := range events[len(events)-k:] {
		if e.Actor != "u5" && groups[e.Community] {
			late = append(late, e)
		}
	}
	return early, late
}

// fewerChecks runs rapid's next checks n times instead of 100 (each
// builds a workspace), unless -rapid.checks was given.
func fewerChecks(t *testing.T, n int) {
	f := flag.Lookup("rapid.checks")
	if f == nil || f.Value.String() != f.DefValue {
		return
	}
	f.Value.Set(strconv.Itoa(n))
	t.Cleanup(func() { f.Value.Set(f.DefValue) })
}

// drawStream draws up to 150 events of 3 groups and 6 people (u5 is made
// staff) over the 70 days before analyticsNow, each at its own instant.
func drawStream(rt *rapid.T) []shequn.Event {
	n := rapid.IntRange(5, 150).Draw(rt, "events")
	kinds := []shequn.EventKind{shequn.EventMessage, shequn.EventMessage, shequn.EventMessage, shequn.EventMessage,
		shequn.EventReaction, shequn.EventJoin, shequn.EventJoin, shequn.EventLeave}
	texts := []string{"你好，今天打卡了吗", "hello there", "ok", "这个问题怎么解决？", "👍 thanks!", "see https://example.org"}
	start := analyticsNow.Add(-70 * 24 * time.Hour)
	out := make([]shequn.Event, n)
	for i := range out {
		at := start.Add(time.Duration(rapid.Int64Range(0, 70*24*3600-1).Draw(rt, "at"))*time.Second + time.Duration(i)*time.Millisecond)
		kind := rapid.SampledFrom(kinds).Draw(rt, "kind")
		e := ev(fmt.Sprintf("e%d", i), fmt.Sprintf("g%d", rapid.IntRange(0, 2).Draw(rt, "group")),
			fmt.Sprintf("u%d", rapid.IntRange(0, 5).Draw(rt, "actor")), kind, at)
		if kind == shequn.EventMessage {
			e.Text = rapid.SampledFrom(texts).Draw(rt, "text")
			if rapid.IntRange(0, 3).Draw(rt, "reply") == 0 {
				e.ReplyTo = fmt.Sprintf("e%d", rapid.IntRange(0, n-1).Draw(rt, "to"))
			}
		}
		out[i] = e
	}
	return out
}

// sendShuffled ingests the events out of order, in batches, sending some
// batches twice.
func sendShuffled(rt *rapid.T, a *app.App, ws *shequn.Workspace, events []shequn.Event) {
	order := rapid.Permutation(events).Draw(rt, "order")
	for len(order) > 0 {
		k := rapid.IntRange(1, min(len(order), 40)).Draw(rt, "batch")
		times := 1 + rapid.IntRange(0, 3).Draw(rt, "replay")/3
		for range times {
			if _, err := a.Pipeline.Ingest(context.Background(), ws, slices.Clone(order[:k])); err != nil {
				rt.Fatalf("ingest: %v", err)
			}
		}
		order = order[k:]
	}
}

// recount computes the figures from the raw events.
type recount struct {
	events []shequn.Event
	loc    *time.Location
	staff  string
}

func (r recount) day(e shequn.Event) string { return shequn.Day(e.TS, r.loc) }

func active(e shequn.Event) bool {
	return e.Kind == shequn.EventMessage || e.Kind == shequn.EventReaction
}

// summary counts what ActivitySummary reports, except questions.
func (r recount) summary(win shequn.DayRange) shequn.ActivitySummary {
	s := shequn.ActivitySummary{From: win.From, To: win.To}
	per, who, daily := map[string]int{}, map[string]bool{}, map[string]map[string]bool{}
	dayMsgs := map[string]int{}
	for _, e := range r.events {
		d := r.day(e)
		if d < win.From || d > win.To {
			continue
		}
		switch e.Kind {
		case shequn.EventJoin:
			s.Joins++
		case shequn.EventLeave:
			s.Leaves++
		}
		if !active(e) || e.Actor == r.staff {
			continue
		}
		who[e.Actor] = true
		if daily[d] == nil {
			daily[d] = map[string]bool{}
		}
		daily[d][e.Actor] = true
		if e.Kind == shequn.EventReaction {
			s.Reactions++
			continue
		}
		s.Messages++
		dayMsgs[d]++
		per[e.Actor]++
		s.Chars += utf8.RuneCountInString(e.Text)
		if e.ReplyTo != "" {
			s.Replies++
		}
	}
	s.ActiveMembers, s.Net = len(who), s.Joins-s.Leaves
	counts := []int{}
	for _, n := range per {
		counts = append(counts, n)
	}
	s.Concentration = shequn.Concentrate(counts)
	from, _ := time.Parse(time.DateOnly, win.From)
	for i := range win.Days() {
		d := from.AddDate(0, 0, i).Format(time.DateOnly)
		s.Daily = append(s.Daily, shequn.DailyCount{Day: d, Active: len(daily[d]), Messages: dayMsgs[d]})
	}
	return s
}

// distinct counts the people (not staff) active in a range of days.
func (r recount) distinct(win shequn.DayRange) int {
	who := map[string]bool{}
	for _, e := range r.events {
		if d := r.day(e); active(e) && e.Actor != r.staff && d >= win.From && d <= win.To {
			who[e.Actor] = true
		}
	}
	return len(who)
}

// membership is a group member's row as the events leave it.
type spell struct {
	joined, left, last int64 // ms; 0 when none
	left0              bool  // the latest join or leave is a leave
}

// memberships replays joins and leaves in time order: a membership's
// status is its latest join or leave (active when it has none), its join
// time the latest join.
func (r recount) memberships() map[[2]string]*spell {
	out := map[[2]string]*spell{}
	for _, e := range r.events {
		if e.Actor == r.staff {
			continue
		}
		k := [2]string{e.Community, e.Actor}
		m := out[k]
		if m == nil {
			m = &spell{}
			out[k] = m
		}
		at := e.TS.UnixMilli()
		switch e.Kind {
		case shequn.EventJoin:
			m.joined = max(m.joined, at)
		case shequn.EventLeave:
		default:
			continue
		}
		if at > m.last {
			m.last, m.left0 = at, e.Kind == shequn.EventLeave
			m.left = 0
			if m.left0 {
				m.left = at
			}
		}
	}
	return out
}

// members counts the memberships active now.
func (r recount) members() int {
	n := 0
	for _, m := range r.memberships() {
		if !m.left0 {
			n++
		}
	}
	return n
}

// markBenchmark makes the group named g (when it exists) a benchmark group.
func markBenchmark(rt *rapid.T, db *sqlstore.DB, ws *shequn.Workspace, g string) {
	ctx := context.Background()
	cs, err := db.ListCommunities(ctx, ws.ID)
	if err != nil {
		rt.Fatal(err)
	}
	yes := true
	for _, c := range cs {
		if c.Name == "Group "+g {
			if _, err := db.UpdateCommunity(ctx, ws.ID, c.ID, shequn.CommunityUpdate{Benchmark: &yes}); err != nil {
				rt.Fatal(err)
			}
		}
	}
}

// inGroups keeps the events of the benchmark group g1 (only) or of the
// others (rest).
func (r recount) inGroups(benchmark string) recount {
	if benchmark == "" {
		return r
	}
	var kept []shequn.Event
	for _, e := range r.events {
		if (e.Community == "g1") == (benchmark == shequn.BenchmarkOnly) {
			kept = append(kept, e)
		}
	}
	r.events = kept
	return r
}

func checkSummary(rt *rapid.T, a *app.App, ws *shequn.Workspace, r recount) {
	bench := rapid.SampledFrom([]string{"", shequn.BenchmarkOnly, shequn.BenchmarkRest, "group"}).Draw(rt, "benchmark")
	filter := shequn.AnalyticsFilter{Benchmark: bench}
	if bench == "group" { // g1 alone, named by its id (read from its own index)
		filter, bench = shequn.AnalyticsFilter{}, ""
		if cs, err := a.ListCommunities(context.Background(), ws); err == nil {
			for _, c := range cs {
				if c.Name == "Group g1" {
					filter.CommunityID, bench = c.ID, shequn.BenchmarkOnly
				}
			}
		}
	}
	r = r.inGroups(bench)
	today := shequn.Day(analyticsNow, r.loc)
	last := rapid.IntRange(0, 69).Draw(rt, "to")
	length := rapid.IntRange(1, 70-last).Draw(rt, "length")
	win := shequn.DayRange{From: today, To: today}.Shift(-last)
	win.From = win.Shift(-(length - 1)).From
	got, err := a.ActivitySummary(context.Background(), ws, filter, win)
	if err != nil {
		rt.Fatalf("summary %v: %v", win, err)
	}
	want := r.summary(win)
	month := shequn.DayRange{From: win.Shift(-27).To, To: win.To}
	want.MAU, want.WAU = r.distinct(month), r.distinct(shequn.DayRange{From: win.Shift(-6).To, To: win.To})
	want.DAU = r.distinct(shequn.DayRange{From: win.To, To: win.To})
	sum := 0
	for i := range 28 {
		d := month.Shift(i).From
		sum += r.distinct(shequn.DayRange{From: d, To: d})
	}
	if want.MAU > 0 {
		want.Stickiness = float64(sum) / 28 / float64(want.MAU)
	}
	for i := range win.Days() {
		d := win.Shift(i).From
		one := shequn.DayRange{From: d, To: d}
		want.Rolling = append(want.Rolling, shequn.RollingCount{Day: d, DAU: r.distinct(one),
			WAU: r.distinct(shequn.DayRange{From: one.Shift(-6).From, To: d}), MAU: r.distinct(shequn.DayRange{From: one.Shift(-27).From, To: d})})
	}
	ignore := cmpopts.IgnoreFields(shequn.ActivitySummary{}, "Members", "ChurnRate", "Activation", "Questions", "Answered", "AnsweredShare", "MedianAnswerSeconds")
	if d := cmp.Diff(want, got, ignore, cmpopts.EquateApprox(0, 1e-9)); d != "" {
		rt.Fatalf("summary %v benchmark %q (-recount +store):\n%s", win, bench, d)
	}
	if win.To == today {
		if got.Members != r.members() || math.Abs(got.Activation-shequn.Ratio(want.MAU, r.members())) > 1e-9 {
			rt.Fatalf("members %d activation %.4f; recount %d %.4f", got.Members, got.Activation, r.members(), shequn.Ratio(want.MAU, r.members()))
		}
	}
}

func checkCohorts(rt *rapid.T, a *app.App, ws *shequn.Workspace, r recount) {
	rep, err := a.Cohorts(context.Background(), ws, shequn.AnalyticsFilter{}, 10)
	if err != nil {
		rt.Fatal(err)
	}
	days := map[[2]string][]string{}
	for _, e := range r.events {
		if active(e) {
			k := [2]string{e.Community, e.Actor}
			days[k] = append(days[k], r.day(e))
		}
	}
	posted := func(k [2]string, from, to time.Time) bool {
		lo, hi := from.Format(time.DateOnly), to.Format(time.DateOnly)
		return slices.ContainsFunc(days[k], func(d string) bool { return d >= lo && d <= hi })
	}
	now := analyticsNow.In(r.loc)
	today, _ := time.ParseInLocation(time.DateOnly, now.Format(time.DateOnly), r.loc)
	for _, c := range rep.Cohorts {
		start, _ := time.ParseInLocation(time.DateOnly, c.Start, r.loc)
		end := start.AddDate(0, 0, 7)
		want := shequn.Cohort{Week: c.Week, Start: c.Start, Stayed: make([]*int, len(shequn.StayDays)), Active: make([]*int, shequn.ActiveWeeks)}
		for k, m := range r.memberships() {
			if m.joined == 0 || m.joined < start.UnixMilli() || m.joined >= end.UnixMilli() {
				continue
			}
			want.Size++
			d0 := time.UnixMilli(m.joined).In(r.loc)
			d0 = time.Date(d0.Year(), d0.Month(), d0.Day(), 0, 0, 0, 0, r.loc)
			for i, d := range shequn.StayDays {
				if end.UnixMilli()+int64(d)*86400000 <= now.UnixMilli() {
					bump(&want.Stayed[i], m.left == 0 || m.left > m.joined+int64(d)*86400000)
				}
			}
			for w := 1; w <= shequn.ActiveWeeks; w++ {
				if !end.AddDate(0, 0, 7*w+6).After(today) {
					bump(&want.Active[w-1], posted(k, d0.AddDate(0, 0, 7*w), d0.AddDate(0, 0, 7*w+6)))
				}
			}
		}
		if d := cmp.Diff(want, c); d != "" {
			rt.Fatalf("cohort %s (-recount +store):\n%s", c.Week, d)
		}
	}
}

func bump(c **int, yes bool) {
	if *c == nil {
		*c = new(int)
	}
	if yes {
		**c++
	}
}

func checkPareto(rt *rapid.T, a *app.App, ws *shequn.Workspace, r recount) {
	win := shequn.LastDays(analyticsNow, r.loc, 70)
	p, err := a.Pareto(context.Background(), ws, shequn.AnalyticsFilter{}, win)
	if err != nil {
		rt.Fatal(err)
	}
	groups, people := map[string]int{}, map[string]int{}
	for _, e := range r.events {
		if d := r.day(e); e.Kind == shequn.EventMessage && e.Actor != r.staff && d >= win.From && d <= win.To {
			groups["Group "+e.Community]++
			people[e.Actor]++
		}
	}
	gotG, gotP := map[string]int{}, map[string]int{}
	for _, g := range p.Groups {
		gotG[g.Name] = g.Messages
	}
	for _, m := range p.Members {
		gotP[m.Name] = m.Messages
	}
	if d := cmp.Diff(groups, gotG); d != "" {
		rt.Fatalf("pareto groups (-recount +store):\n%s", d)
	}
	if d := cmp.Diff(people, gotP); d != "" {
		rt.Fatalf("pareto members (-recount +store):\n%s", d)
	}
}

// checkRebuild recomputes the analytics counters from the event log and
// expects what the pipeline kept.
func checkRebuild(rt *rapid.T, a *app.App, db *sqlstore.DB, ws *shequn.Workspace) {
	ctx := context.Background()
	win := shequn.LastDays(analyticsNow, ws.Location(), 80)
	before, err := db.PosterTotals(ctx, ws.ID, shequn.AnalyticsFilter{}, win, true)
	if err != nil {
		rt.Fatal(err)
	}
	if _, err := a.RebuildAnalytics(ctx, ws); err != nil {
		rt.Fatal(err)
	}
	after, err := db.PosterTotals(ctx, ws.ID, shequn.AnalyticsFilter{}, win, true)
	if err != nil {
		rt.Fatal(err)
	}
	sort := cmpopts.SortSlices(func(x, y sqlstore.PosterTotal) bool {
		return x.CommunityID < y.CommunityID || x.CommunityID == y.CommunityID && x.MemberID < y.MemberID
	})
	if d := cmp.Diff(before, after, sort); d != "" {
		rt.Fatalf("rebuild changed the rollup (-pipeline +rebuild):\n%s", d)
	}
}
