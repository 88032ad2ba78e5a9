package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
)

// Group health: the held lifecycle stages and the workspace's weights.

// Lifecycles returns the lifecycle states kept for ws's groups.
func (db *DB) Lifecycles(ctx context.Context, ws int64) (map[int64]shequn.LifecycleState, error) {
	out := map[int64]shequn.LifecycleState{}
	err := db.eachRow(ctx, db.q.get("find-lifecycles"), []any{ws}, func(rs *sql.Rows) error {
		var c, since, pendingSince int64
		var s shequn.LifecycleState
		if err := rs.Scan(&c, &s.Stage, &since, &s.Pending, &pendingSince); err != nil {
			return err
		}
		s.Since = msTime(since)
		if pendingSince > 0 {
			s.PendingSince = msTime(pendingSince)
		}
		out[c] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lifecycles: %w", err)
	}
	return out, nil
}

// SaveLifecycles keeps these groups' lifecycle states.
func (db *DB) SaveLifecycles(ctx context.Context, ws int64, states map[int64]shequn.LifecycleState) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		for c, s := range states {
			var pendingSince int64
			if s.Pending != "" {
				pendingSince = s.PendingSince.UnixMilli()
			}
			if _, err := tx.ExecContext(ctx, db.q.get("save-lifecycle"), ws, c, s.Stage, s.Since.UnixMilli(), s.Pending, pendingSince); err != nil {
				return fmt.Errorf("save lifecycle: %w", err)
			}
		}
		return nil
	})
}

// HealthWeights returns ws's weights of the health components (nil when
// it keeps the defaults).
func (db *DB) HealthWeights(ctx context.Context, ws int64) (map[string]int, error) {
	var raw string
	err := db.read.QueryRowContext(ctx, db.q.get("find-health-weights"), ws).Scan(&raw)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("health weights: %w", err)
	}
	var w map[string]int
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return nil, fmt.Errorf("health weights: %w", err)
	}
	return w, nil
}

// SaveHealthWeights keeps ws's weights of the health components.
func (db *DB) SaveHealthWeights(ctx context.Context, ws int64, w map[string]int) error {
	raw, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, db.q.get("save-health-weights"), ws, string(raw)); err != nil {
		return fmt.Errorf("save health weights: %w", err)
	}
	return nil
}
