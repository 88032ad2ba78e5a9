package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// growth tracks, on PostgreSQL, how many rows batches added to the tables
// whose lookups by key need fresh statistics, and analyzes a table once it
// has doubled since it was last analyzed. Autovacuum's analyze comes
// a minute or more later; until then a young table's key lookups are
// planned as if it were empty (find-identities-in read every identity of
// the platform: 200 ms a batch at 100,000 identities; the memberships of a
// batch's members were read likewise).
type growth struct {
	mu    sync.Mutex
	added map[string]int64 // rows added since the last analyze, by table
	base  map[string]int64 // rows at the last analyze (-1: not read yet)
}

// analyzeAfter is the fewest added rows that trigger an analyze.
const analyzeAfter = 5000

func (g *growth) add(table string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.added == nil {
		g.added, g.base = map[string]int64{}, map[string]int64{}
	}
	g.added[table] += int64(n)
}

// due returns the tables that have grown enough and resets their counts.
func (g *growth) due(ctx context.Context, db *sql.DB) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for table, n := range g.added {
		if n < analyzeAfter {
			continue
		}
		base, ok := g.base[table]
		if !ok {
			base = estimatedRows(ctx, db, table)
		}
		if n < base {
			g.base[table] = base
			continue
		}
		g.base[table], g.added[table] = base+n, 0
		out = append(out, table)
	}
	return out
}

// estimatedRows is PostgreSQL's estimate of a table's rows (0 when it has
// never been analyzed).
func estimatedRows(ctx context.Context, db *sql.DB, table string) int64 {
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(reltuples), 0)::bigint FROM pg_class WHERE oid = to_regclass($1)", table).Scan(&n); err != nil {
		return 0
	}
	return max(n, 0)
}

// analyzeGrown analyzes the tables that have doubled; a failure only
// leaves the plans as they were.
func (db *DB) analyzeGrown(ctx context.Context) {
	if db.Dialect != Postgres {
		return
	}
	for _, table := range db.grown.due(ctx, db.write) {
		db.write.ExecContext(ctx, "ANALYZE "+table)
	}
}
