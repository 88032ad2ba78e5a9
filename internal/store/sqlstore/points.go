package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shequn/shequn"
)

// PointsTx is one transaction over the ledger, rewards and redemptions.
type PointsTx struct {
	db    *DB
	tx    *sql.Tx
	WS    int64
	stmts *txStmts
}

// errKeyTaken: another transaction posted the same key first.
var errKeyTaken = errors.New("idempotency key taken concurrently")

// Points runs fn in one write transaction; it retries once when a
// concurrent transaction posted the same idempotency key.
func (db *DB) Points(ctx context.Context, ws int64, fn func(*PointsTx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.withTx(ctx, func(tx *sql.Tx) error { return fn(&PointsTx{db: db, tx: tx, WS: ws, stmts: newTxStmts(db, tx)}) })
		if !errors.Is(err, errKeyTaken) || attempt > 0 {
			return err
		}
	}
}

func (t *PointsTx) q(name string) string { return t.db.q.get(name) }

// Posted reports whether an entry with this key exists.
func (t *PointsTx) Posted(ctx context.Context, key string) (bool, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, t.q("entry-exists"), t.WS, key).Scan(&n); err != nil {
		return false, fmt.Errorf("entry exists: %w", err)
	}
	return n > 0, nil
}

// Post appends e and moves the balance by e.Amount. A key already posted
// changes nothing and returns false; a debit larger than the balance is
// ECONFLICT and changes nothing.
func (t *PointsTx) Post(ctx context.Context, e *shequn.PointsEntry) (bool, error) {
	if done, err := t.Posted(ctx, e.IdempotencyKey); err != nil || done {
		return false, err
	}
	if e.Amount < 0 {
		res, err := t.tx.ExecContext(ctx, t.q("take-balance"), -e.Amount, t.WS, e.MemberID, -e.Amount)
		if err != nil {
			return false, fmt.Errorf("take balance: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return false, shequn.Errorf(shequn.ECONFLICT, "not enough points: %d needed", -e.Amount)
		}
	}
	e.WorkspaceID, e.CreatedAt = t.WS, msTime(t.db.stamp())
	err := t.tx.QueryRowContext(ctx, t.q("insert-points-entry"), t.WS, e.MemberID, e.Amount, e.Kind, e.Reason, e.IdempotencyKey,
		nullInt64(e.OperatorID), e.CreatedAt.UnixMilli()).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, errKeyTaken
	} else if err != nil {
		return false, fmt.Errorf("insert points entry: %w", err)
	}
	if e.Amount > 0 {
		if _, err := t.tx.ExecContext(ctx, t.q("add-balance"), t.WS, e.MemberID, e.Amount); err != nil {
			return false, fmt.Errorf("add balance: %w", err)
		}
	}
	return true, nil
}

// TakeStock takes one unit of a limited reward; false when none is left.
func (t *PointsTx) TakeStock(ctx context.Context, reward int64) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.q("take-stock"), t.WS, reward)
	if err != nil {
		return false, fmt.Errorf("take stock: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ReturnStock puts one unit back (no-op for unlimited rewards).
func (t *PointsTx) ReturnStock(ctx context.Context, reward int64) error {
	if _, err := t.tx.ExecContext(ctx, t.q("return-stock"), t.WS, reward); err != nil {
		return fmt.Errorf("return stock: %w", err)
	}
	return nil
}

// CountRedemptions counts a member's redemptions of a reward not cancelled.
func (t *PointsTx) CountRedemptions(ctx context.Context, member, reward int64) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, t.q("count-redemptions"), t.WS, member, reward).Scan(&n); err != nil {
		return 0, fmt.Errorf("count redemptions: %w", err)
	}
	return n, nil
}

// FindReward reads a reward inside the transaction.
func (t *PointsTx) FindReward(ctx context.Context, id int64) (*shequn.Reward, error) {
	r, err := scanReward(t.tx.QueryRowContext(ctx, t.q("find-reward"), t.WS, id))
	return r, notFound(err, "reward %d", id)
}

// InsertRedemption stores a pending redemption.
func (t *PointsTx) InsertRedemption(ctx context.Context, r *shequn.Redemption) error {
	now := msTime(t.db.stamp())
	r.WorkspaceID, r.Status, r.CreatedAt, r.UpdatedAt = t.WS, shequn.RedemptionPending, now, now
	err := t.tx.QueryRowContext(ctx, t.q("insert-redemption"), t.WS, r.RewardID, r.MemberID, r.Cost, r.Delivery, r.IdempotencyKey,
		now.UnixMilli(), now.UnixMilli()).Scan(&r.ID)
	if isUniqueViolation(err) {
		return errKeyTaken
	} else if err != nil {
		return fmt.Errorf("insert redemption: %w", err)
	}
	return nil
}

// FindRedemptionByKey returns the redemption made with key, or ENOTFOUND.
func (t *PointsTx) FindRedemptionByKey(ctx context.Context, key string) (*shequn.Redemption, error) {
	r, err := scanRedemption(t.tx.QueryRowContext(ctx, t.q("find-redemption-by-key"), t.WS, key))
	return r, notFound(err, "redemption %q", key)
}

// FindRedemption reads a redemption inside the transaction.
func (t *PointsTx) FindRedemption(ctx context.Context, id int64) (*shequn.Redemption, error) {
	r, err := scanRedemption(t.tx.QueryRowContext(ctx, t.q("find-redemption"), t.WS, id))
	return r, notFound(err, "redemption %d", id)
}

// CloseRedemption moves a pending redemption to status; ECONFLICT if it is
// no longer pending.
func (t *PointsTx) CloseRedemption(ctx context.Context, id int64, status string) error {
	res, err := t.tx.ExecContext(ctx, t.q("set-redemption-status"), status, t.db.stamp(), t.WS, id)
	if err != nil {
		return fmt.Errorf("close redemption: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ECONFLICT, "redemption %d is not pending", id)
	}
	return nil
}

// --- reads ---

// Balance returns a member's balance and the sum of the member's entries
// (equal unless the ledger is broken).
func (db *DB) Balance(ctx context.Context, ws, member int64) (balance, sum int64, err error) {
	if err = db.read.QueryRowContext(ctx, db.q.get("find-balance"), ws, member).Scan(&balance); err != nil {
		return 0, 0, fmt.Errorf("balance: %w", err)
	}
	if err = db.read.QueryRowContext(ctx, db.q.get("sum-entries"), ws, member, ws, member).Scan(&sum); err != nil {
		return 0, 0, fmt.Errorf("sum entries: %w", err)
	}
	return balance, sum, nil
}

// PointsHistory returns a member's latest entries, with the points earned
// by chatting as one entry per day (dated that day's noon in loc).
func (db *DB) PointsHistory(ctx context.Context, ws, member int64, limit int, loc *time.Location) ([]*shequn.PointsEntry, error) {
	var out []*shequn.PointsEntry
	err := db.eachRow(ctx, db.q.get("find-points-entries"), []any{ws, member, limit}, func(r *sql.Rows) error {
		var e shequn.PointsEntry
		var op sql.NullInt64
		var created, occurred int64
		if err := r.Scan(&e.ID, &e.WorkspaceID, &e.MemberID, &e.Amount, &e.Kind, &e.Reason, &e.IdempotencyKey, &op, &created, &occurred); err != nil {
			return err
		}
		e.OperatorID, e.CreatedAt, e.OccurredAt = int64Ptr(op), msTime(created), msTime(occurred)
		out = append(out, &e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("points history: %w", err)
	}
	err = db.eachRow(ctx, db.q.get("chat-points-days"), []any{ws, member, limit}, func(r *sql.Rows) error {
		var day string
		e := shequn.PointsEntry{WorkspaceID: ws, MemberID: member, Kind: shequn.PointsEarn, Reason: "message"}
		if err := r.Scan(&day, &e.Amount); err != nil {
			return err
		}
		d, err := time.ParseInLocation(time.DateOnly, day, loc)
		if err != nil {
			return err
		}
		e.Day, e.OccurredAt = day, d.Add(12*time.Hour)
		e.CreatedAt = e.OccurredAt
		out = append(out, &e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("points history: %w", err)
	}
	slices.SortStableFunc(out, func(a, b *shequn.PointsEntry) int { return b.OccurredAt.Compare(a.OccurredAt) })
	return page(out, 0, limit), nil
}

// CreateReward stores a reward.
func (db *DB) CreateReward(ctx context.Context, r *shequn.Reward) error {
	r.CreatedAt, r.Active = msTime(db.stamp()), true
	if err := db.write.QueryRowContext(ctx, db.q.get("create-reward"), r.WorkspaceID, r.Name, r.Kind, r.Cost, nullInt64(r.Stock),
		r.PerMemberLimit, r.CreatedAt.UnixMilli()).Scan(&r.ID); err != nil {
		return fmt.Errorf("create reward: %w", err)
	}
	return nil
}

// FindRewardByID returns a reward or ENOTFOUND.
func (db *DB) FindRewardByID(ctx context.Context, ws, id int64) (*shequn.Reward, error) {
	r, err := scanReward(db.read.QueryRowContext(ctx, db.q.get("find-reward"), ws, id))
	return r, notFound(err, "reward %d", id)
}

// FindRewards lists the catalog.
func (db *DB) FindRewards(ctx context.Context, ws int64) ([]*shequn.Reward, error) {
	var out []*shequn.Reward
	err := db.eachRow(ctx, db.q.get("find-rewards"), []any{ws}, func(r *sql.Rows) error {
		rw, err := scanReward(r)
		if err == nil {
			out = append(out, rw)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find rewards: %w", err)
	}
	return out, nil
}

func scanReward(r interface{ Scan(...any) error }) (*shequn.Reward, error) {
	var rw shequn.Reward
	var stock sql.NullInt64
	var active int
	var created int64
	if err := r.Scan(&rw.ID, &rw.WorkspaceID, &rw.Name, &rw.Kind, &rw.Cost, &stock, &rw.PerMemberLimit, &active, &created); err != nil {
		return nil, err
	}
	rw.Stock, rw.Active, rw.CreatedAt = int64Ptr(stock), active != 0, msTime(created)
	return &rw, nil
}

func scanRedemption(r interface{ Scan(...any) error }) (*shequn.Redemption, error) {
	var rd shequn.Redemption
	var created, updated int64
	if err := r.Scan(&rd.ID, &rd.WorkspaceID, &rd.RewardID, &rd.MemberID, &rd.Cost, &rd.Status, &rd.Delivery, &rd.IdempotencyKey, &created, &updated,
		&rd.AwaitingDelivery); err != nil {
		return nil, err
	}
	rd.CreatedAt, rd.UpdatedAt = msTime(created), msTime(updated)
	return &rd, nil
}

// SetDeliveryToken stores the hash of a redemption's private delivery link.
func (t *PointsTx) SetDeliveryToken(ctx context.Context, id int64, hash string) error {
	if _, err := t.tx.ExecContext(ctx, t.q("set-delivery-token"), hash, t.WS, id); err != nil {
		return fmt.Errorf("set delivery token: %w", err)
	}
	return nil
}

// SetDeliveryToken stores a new hash for a redemption's private link.
func (db *DB) SetDeliveryToken(ctx context.Context, ws, id int64, hash string) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("set-delivery-token"), hash, ws, id); err != nil {
		return fmt.Errorf("set delivery token: %w", err)
	}
	return nil
}

// FindRedemptionByToken finds the redemption of a private delivery link.
func (db *DB) FindRedemptionByToken(ctx context.Context, hash string) (*shequn.Redemption, error) {
	rd, err := scanRedemption(db.read.QueryRowContext(ctx, db.q.get("find-redemption-by-token"), hash))
	return rd, notFound(err, "delivery link")
}

// SaveDelivery stores the delivery details of a pending redemption;
// ECONFLICT when it is no longer pending.
func (db *DB) SaveDelivery(ctx context.Context, ws, id int64, delivery string) error {
	res, err := db.write.ExecContext(ctx, db.q.get("save-delivery"), delivery, db.stamp(), ws, id)
	if err != nil {
		return fmt.Errorf("save delivery: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ECONFLICT, "this redemption is no longer waiting for delivery details")
	}
	return nil
}

// FindRedemptions lists redemptions, newest first ("" status: all).
func (db *DB) FindRedemptions(ctx context.Context, ws int64, status string, limit int) ([]*shequn.Redemption, error) {
	var out []*shequn.Redemption
	err := db.eachRow(ctx, db.q.get("find-redemptions"), []any{ws, status, status, limit}, func(r *sql.Rows) error {
		var rd shequn.Redemption
		var created, updated int64
		err := r.Scan(&rd.ID, &rd.WorkspaceID, &rd.RewardID, &rd.MemberID, &rd.Cost, &rd.Status, &rd.Delivery, &rd.IdempotencyKey, &created, &updated,
			&rd.AwaitingDelivery, &rd.MemberName, &rd.RewardName)
		if err == nil {
			rd.CreatedAt, rd.UpdatedAt = msTime(created), msTime(updated)
			out = append(out, &rd)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find redemptions: %w", err)
	}
	return out, nil
}

// LifetimeEarned sums what a member earned and was granted (levels read it).
func (db *DB) LifetimeEarned(ctx context.Context, ws, member int64) (int64, error) {
	var n int64
	if err := db.read.QueryRowContext(ctx, db.q.get("lifetime-earned"), ws, member, ws, member).Scan(&n); err != nil {
		return 0, fmt.Errorf("lifetime earned: %w", err)
	}
	return n, nil
}

// FindReward returns a reward of ws.
func (db *DB) FindReward(ctx context.Context, ws, id int64) (*shequn.Reward, error) {
	r, err := scanReward(db.read.QueryRowContext(ctx, db.q.get("find-reward"), ws, id))
	return r, notFound(err, "reward %d", id)
}

// FindRedemption returns a redemption of ws.
func (db *DB) FindRedemption(ctx context.Context, ws, id int64) (*shequn.Redemption, error) {
	r, err := scanRedemption(db.read.QueryRowContext(ctx, db.q.get("find-redemption"), ws, id))
	return r, notFound(err, "redemption %d", id)
}
