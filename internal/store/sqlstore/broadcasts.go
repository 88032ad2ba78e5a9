package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
)

func scanBroadcast(r interface{ Scan(...any) error }) (*shequn.Broadcast, error) {
	var b shequn.Broadcast
	var sel, ids string
	var created, decided int64
	if err := r.Scan(&b.ID, &b.WorkspaceID, &b.Text, &sel, &ids, &b.Status, &b.StaggerSeconds, &b.CreatedBy, &b.ApprovedBy, &created, &decided); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(sel), &b.Selector)
	json.Unmarshal([]byte(ids), &b.CommunityIDs)
	b.CreatedAt = msTime(created)
	if decided > 0 {
		b.DecidedAt = msTime(decided)
	}
	return &b, nil
}

// CreateBroadcast stores a broadcast and, when it is approved already,
// queues its sends, all in one transaction.
func (db *DB) CreateBroadcast(ctx context.Context, b *shequn.Broadcast, sends []*shequn.OutboxItem) error {
	sel, _ := json.Marshal(b.Selector)
	ids, _ := json.Marshal(b.CommunityIDs)
	now := db.stamp()
	b.CreatedAt = msTime(now)
	var decided int64
	if b.Status != shequn.BroadcastPending {
		decided, b.DecidedAt = now, msTime(now)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q.get("insert-broadcast"), b.WorkspaceID, b.Text, string(sel), string(ids), b.Status, b.StaggerSeconds,
			b.CreatedBy, b.ApprovedBy, now, decided).Scan(&b.ID); err != nil {
			return fmt.Errorf("create broadcast: %w", err)
		}
		for _, s := range sends {
			s.IdempotencyKey = fmt.Sprintf("broadcast:%d:%s", b.ID, s.IdempotencyKey)
		}
		return insertOutbox(ctx, tx, db, sends)
	})
}

// DecideBroadcast approves (queuing sends) or rejects a pending broadcast;
// ECONFLICT when it was decided already.
func (db *DB) DecideBroadcast(ctx context.Context, ws, id int64, status string, by int64, sends []*shequn.OutboxItem) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("decide-broadcast"), status, by, db.stamp(), ws, id)
		if err != nil {
			return fmt.Errorf("decide broadcast: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ECONFLICT, "broadcast %d: not waiting for approval", id)
		}
		for _, s := range sends {
			s.IdempotencyKey = fmt.Sprintf("broadcast:%d:%s", id, s.IdempotencyKey)
		}
		return insertOutbox(ctx, tx, db, sends)
	})
}

// FindBroadcast returns one broadcast.
func (db *DB) FindBroadcast(ctx context.Context, ws, id int64) (*shequn.Broadcast, error) {
	b, err := scanBroadcast(db.read.QueryRowContext(ctx, db.q.get("find-broadcast"), ws, id))
	return b, notFound(err, "broadcast %d", id)
}

// FindBroadcasts lists broadcasts, newest first.
func (db *DB) FindBroadcasts(ctx context.Context, ws int64, limit int) ([]*shequn.Broadcast, error) {
	var out []*shequn.Broadcast
	err := db.eachRow(ctx, db.q.get("find-broadcasts"), []any{ws, limit}, func(r *sql.Rows) error {
		b, err := scanBroadcast(r)
		out = append(out, b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find broadcasts: %w", err)
	}
	return out, nil
}
