// Package bench measures shequn's hot paths with real databases and prints
// figures; unit tests never depend on them.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/pipeline"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// IngestConfig sizes the ingest benchmark.
type IngestConfig struct {
	Events int
	Batch  int
	Dir    string // where the databases go; a temporary directory when empty
	Seed   uint64
	// DB, a PostgreSQL URL, runs the pipeline there too (each run in a
	// fresh schema, dropped after) and compares it with SQLite.
	DB string
}

// IngestResult holds the measured rates in events per second.
type IngestResult struct {
	Pipeline, Product, Raw float64
	// PostgresPipeline and PostgresProduct are set when DB was given.
	PostgresPipeline, PostgresProduct float64
}

// Ingest generates a stream, runs it through the core pipeline (dedupe,
// identities, memberships, rollups) into a fresh SQLite database, then
// through the product's pipeline (every stage: moderation, commands,
// points, questions, rules, welcome) into another, then inserts the same
// rows plainly (source id with a unique index, community, member, time,
// kind, text) into a third, and reports the rates. The last line compares
// the core pipeline with the plain insert.
func Ingest(ctx context.Context, cfg IngestConfig, out io.Writer) (IngestResult, error) {
	if cfg.Events <= 0 || cfg.Batch <= 0 {
		return IngestResult{}, shequn.Errorf(shequn.EINVALID, "events and batch must be positive")
	}
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "shequn-bench-")
		if err != nil {
			return IngestResult{}, fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	events, err := Stream(cfg.Events, cfg.Seed)
	if err != nil {
		return IngestResult{}, err
	}
	fmt.Fprintf(out, "generated %d events\n", len(events))
	var res IngestResult
	sqlite := func(name string) opener {
		return func() (*sqlstore.DB, func(), error) { return openFile(ctx, filepath.Join(dir, name)) }
	}
	if res.Pipeline, err = runPipeline(ctx, sqlite("pipeline.db"), events, cfg.Batch, false, out); err != nil {
		return res, err
	}
	if res.Product, err = runPipeline(ctx, sqlite("product.db"), events, cfg.Batch, true, out); err != nil {
		return res, err
	}
	if res.Raw, err = runRaw(ctx, filepath.Join(dir, "raw.db"), events, cfg.Batch, out); err != nil {
		return res, err
	}
	if cfg.DB != "" {
		pg := func() (*sqlstore.DB, func(), error) { return openSchema(ctx, cfg.DB) }
		if res.PostgresPipeline, err = runPipeline(ctx, pg, events, cfg.Batch, false, out); err != nil {
			return res, err
		}
		if res.PostgresProduct, err = runPipeline(ctx, pg, events, cfg.Batch, true, out); err != nil {
			return res, err
		}
		fmt.Fprintf(out, "ingest: postgresql core %.0f ev/s, sqlite %.0f ev/s, ratio %.2f\n", res.PostgresPipeline, res.Pipeline, res.PostgresPipeline/res.Pipeline)
		fmt.Fprintf(out, "ingest: postgresql every stage %.0f ev/s, sqlite %.0f ev/s, ratio %.2f\n", res.PostgresProduct, res.Product, res.PostgresProduct/res.Product)
	}
	fmt.Fprintf(out, "ingest: every stage %.0f ev/s, raw %.0f ev/s, ratio %.2f\n", res.Product, res.Raw, res.Product/res.Raw)
	fmt.Fprintf(out, "ingest: pipeline %.0f ev/s, raw %.0f ev/s, ratio %.2f\n", res.Pipeline, res.Raw, res.Pipeline/res.Raw)
	return res, nil
}

// Stream returns n simulated events: 1,000 groups, 100,000 members.
func Stream(n int, seed uint64) ([]shequn.Event, error) {
	events := make([]shequn.Event, 0, n)
	cfg := sim.Config{Seed: seed, Communities: 1000, Members: 100_000, Days: 365, End: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
		Location: time.UTC, MaxEvents: n, Scale: 1}
	err := sim.Run(cfg, func(e shequn.Event) error { events = append(events, e); return nil })
	if err != nil {
		return nil, err
	}
	return events, nil
}

// opener opens a fresh store for one run and returns what removes it.
type opener func() (*sqlstore.DB, func(), error)

func openFile(ctx context.Context, path string) (*sqlstore.DB, func(), error) {
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close() }, nil
}

// openSchema opens the PostgreSQL database at dsn in a fresh schema that
// the returned function drops.
func openSchema(ctx context.Context, dsn string) (*sqlstore.DB, func(), error) {
	u, err := url.Parse(dsn)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		return nil, nil, shequn.Errorf(shequn.EINVALID, "--db: want a postgres:// URL")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	schema := fmt.Sprintf("shequn_bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		admin.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqlstore.Open(ctx, u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

func runPipeline(ctx context.Context, open opener, events []shequn.Event, batch int, product bool, out io.Writer) (float64, error) {
	db, done, err := open()
	if err != nil {
		return 0, err
	}
	defer done()
	ws := &shequn.Workspace{Slug: "bench", Name: "bench", TimeZone: "UTC"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		return 0, err
	}
	p, name := pipeline.New(db), "pipeline (core)"
	if product {
		p, name = app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Pipeline, "pipeline (every stage)"
	}
	if db.Dialect == sqlstore.Postgres {
		name = "postgresql " + name
	}
	steps := &stepTimes{}
	p.Observe(steps)
	start := time.Now()
	accepted := 0
	for i := 0; i < len(events); i += batch {
		r, err := p.Ingest(ctx, ws, events[i:min(i+batch, len(events))])
		if err != nil {
			return 0, err
		}
		accepted += r.Accepted
	}
	took := time.Since(start)
	steps.print(out, name, took)
	fmt.Fprintf(out, "%s: %d events (%d accepted) in %v, %.0f ev/s\n", name, len(events), accepted, took.Round(time.Millisecond), float64(len(events))/took.Seconds())
	return float64(len(events)) / took.Seconds(), nil
}

// stepTimes adds up how long each step of the pipeline took.
type stepTimes struct {
	order []string
	took  map[string]time.Duration
}

func (s *stepTimes) BatchDone(int, int, time.Duration) {}

func (s *stepTimes) StageDone(stage string, d time.Duration) {
	if s.took == nil {
		s.took = map[string]time.Duration{}
	}
	if _, ok := s.took[stage]; !ok {
		s.order = append(s.order, stage)
	}
	s.took[stage] += d
}

// print writes a line per step: its time and its share of the run.
func (s *stepTimes) print(out io.Writer, name string, total time.Duration) {
	for _, st := range s.order {
		fmt.Fprintf(out, "  %s step %-10s %8v %5.1f%%\n", name, st, s.took[st].Round(time.Millisecond), 100*s.took[st].Seconds()/total.Seconds())
	}
}

const rawSchema = `CREATE TABLE raw_events (id INTEGER PRIMARY KEY, source_id TEXT NOT NULL UNIQUE,
	community TEXT NOT NULL, member TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL)`

// runRaw inserts the rows with multi-row INSERTs of 400 rows in
// transactions of batch rows on one connection: the fastest plain insert
// we measured with this driver.
func runRaw(ctx context.Context, path string, events []shequn.Event, batch int, out io.Writer) (float64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return 0, fmt.Errorf("open raw: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, rawSchema); err != nil {
		return 0, fmt.Errorf("raw schema: %w", err)
	}
	const rows = 400
	full, err := db.PrepareContext(ctx, rawInsert(rows))
	if err != nil {
		return 0, fmt.Errorf("prepare raw: %w", err)
	}
	defer full.Close()
	start := time.Now()
	for i := 0; i < len(events); i += batch {
		if err := rawBatch(ctx, db, full, events[i:min(i+batch, len(events))], rows); err != nil {
			return 0, err
		}
	}
	took := time.Since(start)
	fmt.Fprintf(out, "raw: %d rows in %v\n", len(events), took.Round(time.Millisecond))
	return float64(len(events)) / took.Seconds(), nil
}

func rawInsert(n int) string {
	return "INSERT INTO raw_events (source_id, community, member, ts, kind, text) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?),", n), ",")
}

func rawBatch(ctx context.Context, db *sql.DB, full *sql.Stmt, evs []shequn.Event, rows int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("raw begin: %w", err)
	}
	defer tx.Rollback()
	args := make([]any, 0, rows*6)
	for i := 0; i < len(evs); i += rows {
		part := evs[i:min(i+rows, len(evs))]
		args = args[:0]
		for _, e := range part {
			args = append(args, e.Platform+":"+e.SourceID, e.Platform+":"+e.Community, e.Platform+":"+e.Actor, e.TS.UnixMilli(), string(e.Kind), e.Text)
		}
		st := tx.StmtContext(ctx, full)
		if len(part) < rows {
			var err error
			if st, err = tx.PrepareContext(ctx, rawInsert(len(part))); err != nil {
				return fmt.Errorf("raw prepare: %w", err)
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("raw insert: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("raw commit: %w", err)
	}
	return nil
}
