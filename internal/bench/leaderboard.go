package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// LeaderboardConfig sizes the leaderboard benchmark.
type LeaderboardConfig struct {
	Members, Communities, Entries, Queries int
	Dir                                    string
	Seed                                   uint64
}

// Leaderboard fills a fresh SQLite workspace with members and points
// entries spread over 12 months (the entries through the ledger's
// PostEarnings, in batches), then times monthly top-100 queries of random
// months, workspace-wide and per community.
func Leaderboard(ctx context.Context, cfg LeaderboardConfig, out io.Writer) error {
	if cfg.Members <= 0 || cfg.Communities <= 0 || cfg.Entries <= 0 || cfg.Queries <= 0 {
		return shequn.Errorf(shequn.EINVALID, "members, communities, entries and queries must be positive")
	}
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "shequn-bench-")
		if err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "leaderboard.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	ws := &shequn.Workspace{Slug: "bench", Name: "bench", TimeZone: "UTC"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		return err
	}
	start := time.Now()
	if err := fillMembers(ctx, db, ws.ID, cfg.Members); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d members in %v\n", cfg.Members, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := fillEntries(ctx, db, ws.ID, cfg); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "%d points entries through the ledger in %v (%.0f entries/s)\n", cfg.Entries, took.Round(time.Millisecond), float64(cfg.Entries)/took.Seconds())
	return timeQueries(ctx, db, ws.ID, cfg, out)
}

func fillMembers(ctx context.Context, db *sqlstore.DB, ws int64, n int) error {
	const rows = 500
	tx, err := db.Write().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	q := "INSERT INTO members (workspace_id, display_name, created_at) VALUES " + strings.TrimSuffix(strings.Repeat("(?,?,0),", rows), ",")
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return fmt.Errorf("prepare members: %w", err)
	}
	args := make([]any, 0, rows*2)
	for i := 0; i < n; i += rows {
		args = args[:0]
		for j := i; j < i+rows; j++ {
			args = append(args, ws, "member"+strconv.Itoa(j+1))
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert members: %w", err)
		}
	}
	return tx.Commit()
}

func fillEntries(ctx context.Context, db *sqlstore.DB, ws int64, cfg LeaderboardConfig) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, 99))
	zipf := rand.NewZipf(rng, 1.1, 8, uint64(cfg.Members-1))
	const batch = 50_000
	year := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	es := make([]sqlstore.Earning, 0, batch)
	for i := 0; i < cfg.Entries; i += batch {
		es = es[:0]
		for j := i; j < min(i+batch, cfg.Entries); j++ {
			m := int64(zipf.Uint64()*7919%uint64(cfg.Members)) + 1 // heavy-tailed, spread over ids
			c := (m % int64(cfg.Communities)) + 1
			if rng.IntN(5) == 0 {
				c = int64(rng.IntN(cfg.Communities)) + 1
			}
			at := year.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			_, week, month := shequn.Periods(at, time.UTC)
			es = append(es, sqlstore.Earning{MemberID: m, CommunityID: c, Amount: int64(1 + rng.IntN(5)), Reason: "message",
				Key: "b" + strconv.Itoa(j), Periods: []string{week, month}})
		}
		if err := db.Points(ctx, ws, func(tx *sqlstore.PointsTx) error { return tx.PostEarnings(ctx, es) }); err != nil {
			return err
		}
	}
	return nil
}

func timeQueries(ctx context.Context, db *sqlstore.DB, ws int64, cfg LeaderboardConfig, out io.Writer) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, 7))
	year := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	times := make([]float64, 0, cfg.Queries)
	rows := 0
	for q := 0; q < cfg.Queries; q++ {
		month := "M" + year.AddDate(0, rng.IntN(12), 0).Format("2006-01")
		community := int64(0)
		if q%2 == 1 {
			community = int64(rng.IntN(cfg.Communities)) + 1
		}
		start := time.Now()
		board, err := db.Leaderboard(ctx, ws, month, community, 100)
		if err != nil {
			return err
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		rows += len(board)
	}
	slices.Sort(times)
	pct := func(p float64) float64 { return times[int(math.Ceil(p*float64(len(times))))-1] }
	fmt.Fprintf(out, "%d top-100 queries (half workspace-wide, half per community), %d rows\n", cfg.Queries, rows)
	fmt.Fprintf(out, "leaderboard: p50 %.2f ms p99 %.2f ms\n", pct(0.50), pct(0.99))
	return nil
}
