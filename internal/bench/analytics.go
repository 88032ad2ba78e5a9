package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// AnalyticsConfig sizes the analytics benchmark.
type AnalyticsConfig struct {
	Members, Communities, Events, Days, Queries int
	Dir                                         string
	DB                                          string // PostgreSQL instead of SQLite
	Seed                                        uint64
}

// AnalyticsResult is the benchmark's figures, in milliseconds.
type AnalyticsResult struct {
	P50, P99 float64
	Kinds    map[string][2]float64 // p50, p99 of each kind of read
	Rows     int                   // member-day rows written (0 when the database was filled before)
	Warm     time.Duration         // computing and keeping the page's figures
}

// benchNow is the end of the generated history (data end the day before).
var benchNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Analytics fills a fresh store with the rollup rows of cfg.Events events
// (members' days in groups, over cfg.Days days), memberships with joins
// and leaves, and group days, written straight into the tables as the
// pipeline keeps them; then times the analytics page's reads: the
// summary of the last 28 days (workspace-wide and of one group), join-week
// cohorts (12 weeks), the Pareto of groups and posters, and the health
// table of every group.
func Analytics(ctx context.Context, cfg AnalyticsConfig, out io.Writer) (AnalyticsResult, error) {
	var res AnalyticsResult
	if cfg.Members <= 0 || cfg.Communities <= 0 || cfg.Events <= 0 || cfg.Days < 28 || cfg.Queries <= 0 {
		return res, shequn.Errorf(shequn.EINVALID, "members, communities, events and queries must be positive, days at least 28")
	}
	db, done, err := openAnalyticsStore(ctx, cfg)
	if err != nil {
		return res, err
	}
	defer done()
	ws, err := db.FindWorkspaceBySlug(ctx, "bench")
	rows := 0
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		if ws, rows, err = fill(ctx, db, cfg, out); err != nil {
			return res, err
		}
	} else if err != nil {
		return res, err
	} else {
		fmt.Fprintf(out, "%s: the database in %s is already filled: reading it as it is\n", db.Dialect, cfg.Dir)
	}
	a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.SetClock(fixedClock(benchNow))
	// the figures are computed once and kept; serve refreshes them
	start := time.Now()
	n, err := a.WarmFigures(ctx, ws, benchNow)
	if err != nil {
		return res, err
	}
	warm := time.Since(start)
	fmt.Fprintf(out, "keeping the analytics page's %d figures (what serve does every minute when the data moved): %v\n", n, warm.Round(time.Millisecond))
	res, err = timeAnalytics(ctx, a, ws, cfg, out)
	res.Rows, res.Warm = rows, warm
	return res, err
}

// fill makes the bench workspace and fills it.
func fill(ctx context.Context, db *sqlstore.DB, cfg AnalyticsConfig, out io.Writer) (*shequn.Workspace, int, error) {
	ws := &shequn.Workspace{Slug: "bench", Name: "bench", TimeZone: "UTC"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		return nil, 0, err
	}
	start := time.Now()
	rows, err := fillAnalytics(ctx, db, ws.ID, cfg)
	if err != nil {
		return nil, 0, err
	}
	if db.Dialect == sqlstore.Postgres { // what autovacuum does after a bulk load
		if _, err := db.Write().ExecContext(ctx, "ANALYZE communities, members, memberships, member_days, community_days"); err != nil {
			return nil, 0, fmt.Errorf("analyze: %w", err)
		}
	}
	fmt.Fprintf(out, "%s: %d members, %d groups, %d member-day rows (%d events' worth over %d days) in %v\n",
		db.Dialect, cfg.Members, cfg.Communities, rows, cfg.Events, cfg.Days, time.Since(start).Round(time.Millisecond))
	return ws, rows, nil
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func openAnalyticsStore(ctx context.Context, cfg AnalyticsConfig) (*sqlstore.DB, func(), error) {
	if cfg.DB != "" {
		return openSchema(ctx, cfg.DB)
	}
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "shequn-bench-")
		if err != nil {
			return nil, nil, fmt.Errorf("temp dir: %w", err)
		}
		dir = tmp
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "analytics.db"))
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		if cfg.Dir == "" {
			os.RemoveAll(dir)
		}
	}, nil
}

// fillAnalytics writes groups, members, memberships, member days and
// group days; it returns the member-day rows written.
func fillAnalytics(ctx context.Context, db *sqlstore.DB, ws int64, cfg AnalyticsConfig) (int, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 14))
	first := benchNow.AddDate(0, 0, -cfg.Days).Truncate(24 * time.Hour)
	platforms := []string{"telegram", "qq", "wecom", "discord", "matrix"}
	w := &bulkWriter{db: db}
	for c := 1; c <= cfg.Communities; c++ {
		w.add("communities", []string{"workspace_id", "platform", "external_id", "name", "created_at"},
			ws, platforms[c%len(platforms)], "g"+strconv.Itoa(c), "群 "+strconv.Itoa(c), first.UnixMilli())
	}
	for m := 1; m <= cfg.Members; m++ {
		w.add("members", []string{"workspace_id", "display_name", "created_at"}, ws, "member"+strconv.Itoa(m), first.UnixMilli())
	}
	// each member joins one group (popular groups get more), one in five
	// a second; one membership in ten is left later
	group := func() int64 { return int64(math.Floor(math.Pow(rng.Float64(), 1.6)*float64(cfg.Communities))) + 1 }
	home := make([]int64, cfg.Members+1)
	flows := map[[2]int64]*[2]int{} // (community, day index) → joins, leaves
	flow := func(c int64, t time.Time, k int) {
		key := [2]int64{c, int64(t.Sub(first) / (24 * time.Hour))}
		if flows[key] == nil {
			flows[key] = &[2]int{}
		}
		flows[key][k]++
	}
	sources := []string{"invite_link", "qr_code", "unknown"}
	span := int64(cfg.Days) * int64(24*time.Hour)
	for m := 1; m <= cfg.Members; m++ {
		home[m] = group()
		cs := []int64{home[m]}
		if rng.IntN(5) == 0 {
			if c := group(); c != home[m] {
				cs = append(cs, c)
			}
		}
		for _, c := range cs {
			joined := first.Add(time.Duration(rng.Int64N(span)))
			status, left := "active", any(nil)
			flow(c, joined, 0)
			if rng.IntN(10) == 0 {
				l := joined.Add(time.Duration(rng.Int64N(int64(benchNow.Sub(joined)))))
				status, left = "left", l.UnixMilli()
				flow(c, l, 1)
			}
			w.add("memberships", []string{"workspace_id", "community_id", "member_id", "status", "joined_at", "left_at", "join_source", "status_at"},
				ws, c, m, status, joined.UnixMilli(), left, sources[rng.IntN(len(sources))], joined.UnixMilli())
		}
	}
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	rows, err := fillDays(ctx, w, ws, cfg, rng, first, home, flows)
	if err != nil {
		return 0, err
	}
	return rows, w.flush(ctx)
}

// fillDays writes each day's member days: members drawn partly from a
// heavy tail (a few post every day) and partly from everyone, messages per
// draw geometric, until the day's share of the events is spent.
func fillDays(ctx context.Context, w *bulkWriter, ws int64, cfg AnalyticsConfig, rng *rand.Rand, first time.Time, home []int64, flows map[[2]int64]*[2]int) (int, error) {
	zipf := rand.NewZipf(rng, 1.07, 4, uint64(cfg.Members-1))
	perDay := cfg.Events / cfg.Days
	rows := 0
	for d := range cfg.Days {
		day := first.AddDate(0, 0, d).Format(time.DateOnly)
		type key struct{ m, c int64 }
		seen := map[key]*[6]int{}
		for spent := 0; spent < perDay; {
			// two draws in five from the heavy tail (the regulars), the
			// rest anyone: about 4 messages per member-day
			m := int64(rng.IntN(cfg.Members)) + 1
			if rng.IntN(5) < 2 {
				m = int64(zipf.Uint64()*7919%uint64(cfg.Members)) + 1
			}
			k := key{m, home[m]}
			n := 1 + min(int(rng.ExpFloat64()*2), 60)
			if seen[k] == nil {
				seen[k] = &[6]int{}
			}
			r := seen[k]
			r[0] += n
			if rng.IntN(4) == 0 {
				r[1]++ // a reaction
			}
			r[2] += n / 3  // replies
			r[3] += n * 24 // characters
			r[4] += n / 8  // questions
			r[5] += n / 10 // answers
			spent += n + r[1]
		}
		group := map[int64]*[3]int{}
		for k, r := range seen {
			w.add("member_days", []string{"workspace_id", "day", "member_id", "community_id", "messages", "reactions", "replies", "chars", "questions", "answers"},
				ws, day, k.m, k.c, r[0], r[1], r[2], r[3], r[4], r[5])
			g := group[k.c]
			if g == nil {
				g = &[3]int{}
				group[k.c] = g
			}
			g[0], g[1], g[2] = g[0]+r[0], g[1]+r[1], g[2]+1
		}
		rows += len(seen)
		for c := int64(1); c <= int64(cfg.Communities); c++ {
			g, f := group[c], flows[[2]int64{c, int64(d)}]
			if g == nil && f == nil {
				continue
			}
			g, f = cmpOr(g), flowOr(f)
			w.add("community_days", []string{"workspace_id", "community_id", "day", "messages", "reactions", "active_members", "joins", "leaves"},
				ws, c, day, g[0], g[1], g[2], f[0], f[1])
		}
		if err := w.flushIfFull(ctx); err != nil {
			return rows, err
		}
	}
	return rows, nil
}

func cmpOr(g *[3]int) *[3]int {
	if g == nil {
		return &[3]int{}
	}
	return g
}

func flowOr(f *[2]int) *[2]int {
	if f == nil {
		return &[2]int{}
	}
	return f
}

// bulkWriter batches rows per table into multi-row INSERTs, in one
// transaction per flush.
type bulkWriter struct {
	db     *sqlstore.DB
	tables []string
	cols   map[string][]string
	rows   map[string][]any
	n      int
}

func (w *bulkWriter) add(table string, cols []string, vals ...any) {
	if w.cols == nil {
		w.cols, w.rows = map[string][]string{}, map[string][]any{}
	}
	if _, ok := w.cols[table]; !ok {
		w.cols[table] = cols
		w.tables = append(w.tables, table)
	}
	w.rows[table] = append(w.rows[table], vals...)
	w.n++
}

func (w *bulkWriter) flushIfFull(ctx context.Context) error {
	if w.n < 200_000 {
		return nil
	}
	return w.flush(ctx)
}

func (w *bulkWriter) flush(ctx context.Context) error {
	tx, err := w.db.Write().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for _, t := range w.tables {
		cols, vals := w.cols[t], w.rows[t]
		per := 30000 / len(cols) // rows per statement, under both databases' parameter limits
		for len(vals) > 0 {
			n := min(per, len(vals)/len(cols))
			q := "INSERT INTO " + t + " (" + strings.Join(cols, ", ") + ") VALUES " + placeholders(w.db.Dialect, n, len(cols))
			if _, err := tx.ExecContext(ctx, q, vals[:n*len(cols)]...); err != nil {
				return fmt.Errorf("insert %s: %w", t, err)
			}
			vals = vals[n*len(cols):]
		}
		w.rows[t] = w.rows[t][:0]
	}
	w.n = 0
	return tx.Commit()
}

// placeholders writes n rows of k parameters for dialect d.
func placeholders(d sqlstore.Dialect, n, k int) string {
	var b strings.Builder
	p := 0
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range k {
			if j > 0 {
				b.WriteByte(',')
			}
			p++
			if d == sqlstore.Postgres {
				b.WriteString("$" + strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// timeAnalytics times the reads, a kind at a time in turn.
func timeAnalytics(ctx context.Context, a *app.App, ws *shequn.Workspace, cfg AnalyticsConfig, out io.Writer) (AnalyticsResult, error) {
	res := AnalyticsResult{Kinds: map[string][2]float64{}}
	win, err := a.AnalyticsPeriod(ws, "", "")
	if err != nil {
		return res, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 28))
	group := func() shequn.AnalyticsFilter {
		return shequn.AnalyticsFilter{CommunityID: int64(rng.IntN(cfg.Communities)) + 1}
	}
	reads := []struct {
		name string
		run  func() error
	}{
		{"summary", func() error { _, err := a.ComparedSummary(ctx, ws, shequn.AnalyticsFilter{}, win, nil); return err }},
		{"group summary", func() error { _, err := a.ComparedSummary(ctx, ws, group(), win, nil); return err }},
		{"cohorts", func() error { _, err := a.Cohorts(ctx, ws, shequn.AnalyticsFilter{}, 12); return err }},
		{"pareto", func() error { _, err := a.Pareto(ctx, ws, shequn.AnalyticsFilter{}, win); return err }},
		{"health", func() error { _, err := a.GroupHealth(ctx, ws); return err }},
	}
	var all []float64
	per := map[string][]float64{}
	for q := range cfg.Queries {
		r := reads[q%len(reads)]
		start := time.Now()
		if err := r.run(); err != nil {
			return res, fmt.Errorf("%s: %w", r.name, err)
		}
		ms := float64(time.Since(start).Microseconds()) / 1000
		all = append(all, ms)
		per[r.name] = append(per[r.name], ms)
	}
	for _, r := range reads {
		p50, p99 := percentiles(per[r.name])
		res.Kinds[r.name] = [2]float64{p50, p99}
		fmt.Fprintf(out, "  %-14s %3d reads  p50 %8.1f ms  p99 %8.1f ms\n", r.name, len(per[r.name]), p50, p99)
	}
	res.P50, res.P99 = percentiles(all)
	fmt.Fprintf(out, "analytics: p50 %.1f ms p99 %.1f ms\n", res.P50, res.P99)
	return res, nil
}

func percentiles(xs []float64) (p50, p99 float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	at := func(p float64) float64 { return s[max(0, int(math.Ceil(p*float64(len(s))))-1)] }
	return at(0.50), at(0.99)
}
