package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// maintainEvery is how often a PostgreSQL store looks for tables whose
// statistics or dead rows need attention.
const maintainEvery = 5 * time.Minute

// The thresholds are autovacuum's defaults: a table is analyzed once more
// than 50 rows and 10% of it changed since its last analyze, and vacuumed
// once its dead rows pass 50 and 20% of its live ones, or its rows
// inserted since the last vacuum 1,000 and 20% (which marks their pages
// all-visible, so that index-only scans need not read the table).
const (
	staleRows, staleShare       = 50, 0.1
	deadRows, deadShare         = 50, 0.2
	insertedRows, insertedShare = 1000, 0.2
)

// Maintenance is what one pass of Maintain did.
type Maintenance struct {
	Analyzed, Vacuumed []string
}

// Maintain keeps a PostgreSQL store's planner statistics fresh and, when
// the server's autovacuum is off, vacuums: reclaims the dead rows that
// updates and deletes leave (the folds of points into week and month
// totals, pruned hourly signals) and marks new rows visible. Without it a
// table filled since its last analyze is planned as if empty (a
// 7,000-case moderation log took 2 s) and dead rows keep their space.
// SQLite: nothing to do (its statistics are refreshed by PRAGMA optimize,
// and freed pages are reused).
func (db *DB) Maintain(ctx context.Context) (Maintenance, error) {
	var m Maintenance
	if db.Dialect != Postgres {
		return m, nil
	}
	var autovacuum string
	if err := db.write.QueryRowContext(ctx, "SHOW autovacuum").Scan(&autovacuum); err != nil {
		return m, fmt.Errorf("maintain: %w", err)
	}
	type table struct {
		name                           string
		live, dead, modified, inserted int64
	}
	var tables []table
	err := db.eachRow(ctx, `SELECT relname, n_live_tup, n_dead_tup, n_mod_since_analyze, n_ins_since_vacuum FROM pg_stat_user_tables
		WHERE schemaname = current_schema()`, nil, func(r *sql.Rows) error {
		var t table
		err := r.Scan(&t.name, &t.live, &t.dead, &t.modified, &t.inserted)
		tables = append(tables, t)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("maintain: %w", err)
	}
	for _, t := range tables {
		name := pgx.Identifier{t.name}.Sanitize()
		dead := float64(t.dead) > deadRows+deadShare*float64(t.live)
		inserted := float64(t.inserted) > insertedRows+insertedShare*float64(t.live)
		if autovacuum != "on" && (dead || inserted) {
			if _, err := db.write.ExecContext(ctx, "VACUUM (ANALYZE) "+name); err != nil {
				return m, fmt.Errorf("vacuum %s: %w", t.name, err)
			}
			m.Vacuumed = append(m.Vacuumed, t.name)
			continue
		}
		if float64(t.modified) > staleRows+staleShare*float64(t.live) {
			if _, err := db.write.ExecContext(ctx, "ANALYZE "+name); err != nil {
				return m, fmt.Errorf("analyze %s: %w", t.name, err)
			}
			m.Analyzed = append(m.Analyzed, t.name)
		}
	}
	return m, nil
}

// maintainer runs Maintain every maintainEvery until the store closes.
func (db *DB) maintainer() {
	defer close(db.stopped)
	t := time.NewTicker(maintainEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}
		db.Maintain(context.Background())
	}
}
