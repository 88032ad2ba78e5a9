package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// AnyPlatform, as a claim's platform, means every platform but
// shequn.PlatformOperators (whose rows have their own worker).
const AnyPlatform = "*"

// ClaimOutbox takes up to limit due items of a platform in workspace ws (0:
// every workspace): pending ones, and ones claimed before staleBefore whose
// sender never marked them (a crash).
func (db *DB) ClaimOutbox(ctx context.Context, ws int64, platform string, now, staleBefore time.Time, limit int) ([]*shequn.OutboxItem, error) {
	return db.claim(ctx, false, ws, platform, now, staleBefore, limit)
}

// ClaimUnconnected is ClaimOutbox for the log connector: only rows of
// workspaces with no active connector for the platform. Platform AnyPlatform
// claims rows of every platform but the operators'.
func (db *DB) ClaimUnconnected(ctx context.Context, ws int64, platform string, now, staleBefore time.Time, limit int) ([]*shequn.OutboxItem, error) {
	return db.claim(ctx, true, ws, platform, now, staleBefore, limit)
}

func (db *DB) claim(ctx context.Context, unconnected bool, ws int64, platform string, now, staleBefore time.Time, limit int) ([]*shequn.OutboxItem, error) {
	var out []*shequn.OutboxItem
	rs, err := db.write.QueryContext(ctx, db.q.get("claim-outbox"), now.UnixMilli(), platform, platform, shequn.PlatformOperators, ws, ws, now.UnixMilli(), staleBefore.UnixMilli(), boolInt(unconnected), limit,
		now.UnixMilli(), staleBefore.UnixMilli())
	err = each(rs, err, func(r *sql.Rows) error {
		o, err := scanOutbox(r)
		out = append(out, o)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return out, nil
}

// MarkOutbox records what became of a claimed item: sent, failed, or
// pending again at due (a retry).
func (db *DB) MarkOutbox(ctx context.Context, id int64, status string, due time.Time, lastErr string) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("mark-outbox"), status, due.UnixMilli(), lastErr, id); err != nil {
		return fmt.Errorf("mark outbox %d: %w", id, err)
	}
	return nil
}

// LogConnector records an action the log connector "performed"; a key
// recorded again counts one more call.
func (db *DB) LogConnector(ctx context.Context, o *shequn.OutboxItem) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("log-connector"), o.WorkspaceID, o.IdempotencyKey, o.Platform, o.Action, o.Payload, db.stamp()); err != nil {
		return fmt.Errorf("log connector: %w", err)
	}
	return nil
}

// ConnectorLogged reports whether the log connector performed a key.
func (db *DB) ConnectorLogged(ctx context.Context, ws int64, key string) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("logged-connector"), ws, key).Scan(&n); err != nil {
		return false, fmt.Errorf("connector log: %w", err)
	}
	return n > 0, nil
}

// ConnectorLogCount counts what the log connector performed.
func (db *DB) ConnectorLogCount(ctx context.Context, ws int64) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-connector-log"), ws).Scan(&n); err != nil {
		return 0, fmt.Errorf("connector log: %w", err)
	}
	return n, nil
}

// AddOutbox records actions outside a pipeline batch; a key already used
// is skipped.
func (db *DB) AddOutbox(ctx context.Context, items []*shequn.OutboxItem) error {
	return db.withTx(ctx, func(tx *sql.Tx) error { return insertOutbox(ctx, tx, db, items) })
}

// MaxConnectorCalls is the most times any key was performed (1 when no
// action was ever performed twice).
func (db *DB) MaxConnectorCalls(ctx context.Context, ws int64) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("max-connector-calls"), ws).Scan(&n); err != nil {
		return 0, fmt.Errorf("connector calls: %w", err)
	}
	return n, nil
}

// FillRefs sets an item's platform ids of its community and member.
func (db *DB) FillRefs(ctx context.Context, it *shequn.OutboxItem) error {
	if it.CommunityID != 0 {
		err := db.read.QueryRowContext(ctx, db.q.get("community-ref"), it.WorkspaceID, it.CommunityID).Scan(&it.CommunityRef)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("community ref: %w", err)
		}
	}
	if it.MemberID != 0 {
		err := db.read.QueryRowContext(ctx, db.q.get("member-ref"), it.WorkspaceID, it.MemberID, it.Platform).Scan(&it.MemberRef)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("member ref: %w", err)
		}
	}
	return nil
}
