package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// RelationSize is the space one table or index takes.
type RelationSize struct {
	Name  string
	Bytes int64
	// DeadRows is PostgreSQL's count of row versions left behind by updates
	// and deletes that vacuum has not reclaimed yet (0 on SQLite).
	DeadRows int64
}

// Sizes lists the store's tables and indexes, largest first, with the
// pages they occupy (SQLite: dbstat; PostgreSQL: each relation with its
// TOAST, in the current schema).
func (db *DB) Sizes(ctx context.Context) ([]RelationSize, error) {
	query := `SELECT name, sum(pgsize), 0 FROM dbstat GROUP BY name ORDER BY 2 DESC`
	if db.Dialect == Postgres {
		query = `SELECT c.relname, pg_total_relation_size(c.oid) - CASE WHEN c.relkind = 'r' THEN pg_indexes_size(c.oid) ELSE 0 END,
			coalesce(s.n_dead_tup, 0)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') ORDER BY 2 DESC`
	}
	var out []RelationSize
	err := db.eachRow(ctx, query, nil, func(r *sql.Rows) error {
		var s RelationSize
		err := r.Scan(&s.Name, &s.Bytes, &s.DeadRows)
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sizes: %w", err)
	}
	return out, nil
}
