package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/shequn/shequn"
)

// ActTx is a transaction in which automations act: outbox rows, member
// tags, points (through the embedded PointsTx), alerts and once-only runs.
type ActTx struct{ *PointsTx }

// Act returns the batch's transaction for automations.
func (t *IngestTx) Act() *ActTx { return &ActTx{t.Points()} }

// Act runs fn in one write transaction.
func (db *DB) Act(ctx context.Context, ws int64, fn func(*ActTx) error) error {
	return db.Points(ctx, ws, func(p *PointsTx) error { return fn(&ActTx{p}) })
}

// AddOutbox records actions; a key already used is skipped.
func (t *ActTx) AddOutbox(ctx context.Context, items []*shequn.OutboxItem) error {
	return insertOutbox(ctx, t.tx, t.db, items)
}

// ClaimRun records that run key happened; false when it already had.
func (t *ActTx) ClaimRun(ctx context.Context, key string, automation int64) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.q("insert-run"), t.WS, key, automation, t.db.stamp())
	if err != nil {
		return false, fmt.Errorf("automation run: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// TagMember adds tag to a member's tags.
func (t *ActTx) TagMember(ctx context.Context, member int64, tag string) error {
	var raw string
	if err := t.tx.QueryRowContext(ctx, t.q("member-tags"), t.WS, member).Scan(&raw); err != nil {
		return notFound(err, "member %d", member)
	}
	tags := decodeTags(raw)
	if slices.Contains(tags, tag) {
		return nil
	}
	if _, err := t.tx.ExecContext(ctx, t.q("set-member-tags"), encodeTags(append(tags, tag)), t.WS, member); err != nil {
		return fmt.Errorf("tag member: %w", err)
	}
	return nil
}

// AddAlert opens an alert unless one with the same key exists; it reports
// whether it is new (and sets its id).
func (t *ActTx) AddAlert(ctx context.Context, a *shequn.Alert) (bool, error) {
	details, _ := json.Marshal(a.Details)
	now := t.db.stamp()
	a.WorkspaceID, a.Status, a.CreatedAt, a.UpdatedAt = t.WS, shequn.AlertOpen, msTime(now), msTime(now)
	err := t.tx.QueryRowContext(ctx, t.q("insert-alert"), t.WS, a.Kind, a.CommunityID, a.MemberID, a.Key, string(details), now, now).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("add alert: %w", err)
	}
	return true, nil
}

// FirstMessage marks a member's first message in a community and reports
// whether this was it.
func (t *ActTx) FirstMessage(ctx context.Context, community, member, at int64) (bool, error) {
	return t.mark(ctx, "first-message", community, member, at)
}

// MarkIntro records a newcomer's self-introduction (a member who joined at
// or after joinedSince); false when one was recorded before or the member
// is not a newcomer.
func (t *ActTx) MarkIntro(ctx context.Context, community, member, at, joinedSince int64) (bool, error) {
	return t.mark(ctx, "mark-intro", community, member, at, joinedSince)
}

// PendingPayload returns the payload of a pending outbox row, or "".
func (t *ActTx) PendingPayload(ctx context.Context, key string) (string, error) {
	var p string
	err := t.tx.QueryRowContext(ctx, t.q("pending-outbox-payload"), t.WS, key).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, err
}

// OutboxStatus returns the status of the outbox row with key ("" when
// there is none).
func (t *ActTx) OutboxStatus(ctx context.Context, key string) (string, error) {
	var st string
	err := t.tx.QueryRowContext(ctx, t.q("outbox-status"), t.WS, key).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// SetPendingPayload replaces the payload of a pending outbox row.
func (t *ActTx) SetPendingPayload(ctx context.Context, key, payload string) error {
	_, err := t.tx.ExecContext(ctx, t.q("set-outbox-payload"), payload, t.WS, key)
	return err
}

func (t *ActTx) mark(ctx context.Context, query string, community, member, at int64, more ...any) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.q(query), append([]any{at, t.WS, community, member}, more...)...)
	if err != nil {
		return false, fmt.Errorf("%s: %w", query, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FindAlerts lists alerts, newest first.
func (db *DB) FindAlerts(ctx context.Context, ws int64, f shequn.AlertFilter) ([]*shequn.Alert, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []*shequn.Alert
	err := db.eachRow(ctx, db.q.get("find-alerts"), []any{ws, f.Status, f.Status, f.Kind, f.Kind, f.Limit}, func(r *sql.Rows) error {
		var a shequn.Alert
		var details string
		var created, updated int64
		if err := r.Scan(&a.ID, &a.WorkspaceID, &a.Kind, &a.CommunityID, &a.Community, &a.MemberID, &a.MemberName, &a.Key, &details, &a.Status, &created, &updated); err != nil {
			return err
		}
		json.Unmarshal([]byte(details), &a.Details)
		a.CreatedAt, a.UpdatedAt = msTime(created), msTime(updated)
		out = append(out, &a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find alerts: %w", err)
	}
	return out, nil
}

// SetAlertStatus moves an alert to status.
func (db *DB) SetAlertStatus(ctx context.Context, ws, id int64, status string) error {
	res, err := db.write.ExecContext(ctx, db.q.get("update-alert"), status, db.stamp(), ws, id)
	if err != nil {
		return fmt.Errorf("update alert: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "alert %d: not found", id)
	}
	return nil
}

// CountOpenAlerts counts the inbox.
func (db *DB) CountOpenAlerts(ctx context.Context, ws int64) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-open-alerts"), ws).Scan(&n); err != nil {
		return 0, fmt.Errorf("count alerts: %w", err)
	}
	return n, nil
}

// FindWelcome returns the welcome settings by community (0: the default).
func (db *DB) FindWelcome(ctx context.Context, ws int64) (map[int64]shequn.WelcomeSettings, error) {
	out := map[int64]shequn.WelcomeSettings{}
	err := db.eachRow(ctx, db.q.get("find-welcome"), []any{ws}, func(r *sql.Rows) error {
		var id int64
		var raw string
		if err := r.Scan(&id, &raw); err != nil {
			return err
		}
		var s shequn.WelcomeSettings
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return fmt.Errorf("welcome settings %d: %w", id, err)
		}
		out[id] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find welcome: %w", err)
	}
	return out, nil
}

// SaveWelcome stores settings for a community (0: the default); nil
// removes a community's own settings.
func (db *DB) SaveWelcome(ctx context.Context, ws, community int64, s *shequn.WelcomeSettings) error {
	var err error
	if s == nil {
		_, err = db.write.ExecContext(ctx, db.q.get("delete-welcome"), ws, community)
	} else {
		raw, _ := json.Marshal(s)
		_, err = db.write.ExecContext(ctx, db.q.get("save-welcome"), ws, community, string(raw))
	}
	if err != nil {
		return fmt.Errorf("save welcome: %w", err)
	}
	return nil
}
