package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/shequn/shequn"
)

// FindModerationRule returns the rule of a community (0: the workspace's),
// or ENOTFOUND.
func (db *DB) FindModerationRule(ctx context.Context, ws, community int64) (*shequn.ModerationRule, error) {
	var cfg string
	var updated int64
	err := db.read.QueryRowContext(ctx, db.q.get("find-moderation-rule"), ws, community).Scan(&cfg, &updated)
	if err != nil {
		return nil, notFound(err, "moderation rule")
	}
	var r shequn.ModerationRule
	if err := json.Unmarshal([]byte(cfg), &r); err != nil {
		return nil, fmt.Errorf("decode moderation rule: %w", err)
	}
	r.WorkspaceID, r.CommunityID, r.UpdatedAt = ws, community, msTime(updated)
	return &r, nil
}

// FindModerationRules returns every rule of the workspace by community (0:
// the workspace rule).
func (db *DB) FindModerationRules(ctx context.Context, ws int64) (map[int64]*shequn.ModerationRule, error) {
	out := map[int64]*shequn.ModerationRule{}
	err := db.eachRow(ctx, db.q.get("find-moderation-rules"), []any{ws}, func(r *sql.Rows) error {
		var community, updated int64
		var cfg string
		if err := r.Scan(&community, &cfg, &updated); err != nil {
			return err
		}
		var rule shequn.ModerationRule
		if err := json.Unmarshal([]byte(cfg), &rule); err != nil {
			return fmt.Errorf("decode moderation rule: %w", err)
		}
		rule.WorkspaceID, rule.CommunityID, rule.UpdatedAt = ws, community, msTime(updated)
		out[community] = &rule
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find moderation rules: %w", err)
	}
	return out, nil
}

// SaveModerationRule stores r (validated by the caller).
func (db *DB) SaveModerationRule(ctx context.Context, r *shequn.ModerationRule) error {
	r.UpdatedAt = msTime(db.stamp())
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode moderation rule: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, db.q.get("save-moderation-rule"), r.WorkspaceID, r.CommunityID, string(b), r.UpdatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("save moderation rule: %w", err)
	}
	return nil
}

// ModerationVersion changes whenever a rule or a training sample of the
// workspace changes.
func (db *DB) ModerationVersion(ctx context.Context, ws int64) (string, error) {
	var updated, rules, samples int64
	if err := db.read.QueryRowContext(ctx, db.q.get("rule-versions"), ws).Scan(&updated, &rules); err != nil {
		return "", fmt.Errorf("rule version: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, db.q.get("sample-version"), ws).Scan(&samples); err != nil {
		return "", fmt.Errorf("sample version: %w", err)
	}
	var blockedAt, blocked int64
	if err := db.read.QueryRowContext(ctx, db.q.get("blocklist-version"), ws).Scan(&blockedAt, &blocked); err != nil {
		return "", fmt.Errorf("blocklist version: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d/%d/%d", updated, rules, samples, blockedAt, blocked), nil
}

// BlockedMembers returns the set of blocklisted member ids.
func (db *DB) BlockedMembers(ctx context.Context, ws int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := db.eachRow(ctx, db.q.get("blocked-members"), []any{ws}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		out[id] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("blocked members: %w", err)
	}
	return out, nil
}

// TrainingSamples returns the workspace's labelled messages.
func (db *DB) TrainingSamples(ctx context.Context, ws int64) (spam, ham []string, err error) {
	err = db.eachRow(ctx, db.q.get("find-samples"), []any{ws}, func(r *sql.Rows) error {
		var label, text string
		if err := r.Scan(&label, &text); err != nil {
			return err
		}
		if label == "spam" {
			spam = append(spam, text)
		} else {
			ham = append(ham, text)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("training samples: %w", err)
	}
	return spam, ham, nil
}

func scanCase(r interface{ Scan(...any) error }) (*shequn.ModerationCase, error) {
	var c shequn.ModerationCase
	var reporter, reviewedAt, reviewedBy sql.NullInt64
	var created, messageAt int64
	var shadow int
	if err := r.Scan(&c.ID, &c.WorkspaceID, &c.CommunityID, &c.CommunityName, &c.MemberID, &c.MemberName, &c.EventID, &c.Platform,
		&c.SourceID, &c.Text, &c.Reason, &c.Detectors, &c.Verdicts, &c.Action, &c.Status, &reporter, &created, &reviewedAt, &reviewedBy,
		&shadow, &messageAt); err != nil {
		return nil, err
	}
	c.ReporterID, c.CreatedAt, c.ReviewedAt, c.ReviewedBy = int64Ptr(reporter), msTime(created), msTimePtr(reviewedAt), int64Ptr(reviewedBy)
	c.Shadow, c.MessageAt = shadow != 0, msTime(messageAt)
	return &c, nil
}

// FindCases lists cases, newest first.
func (db *DB) FindCases(ctx context.Context, ws int64, f shequn.CaseFilter) ([]*shequn.ModerationCase, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var out []*shequn.ModerationCase
	err := db.eachRow(ctx, db.q.get("find-cases"), append(caseArgs(ws, f), limit, max(0, f.Offset)), func(r *sql.Rows) error {
		c, err := scanCase(r)
		if err == nil {
			out = append(out, c)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find cases: %w", err)
	}
	return out, nil
}

// CountCases counts the cases f selects (its limit and offset aside).
func (db *DB) CountCases(ctx context.Context, ws int64, f shequn.CaseFilter) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-cases"), caseArgs(ws, f)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// caseArgs are the parameters of a case filter's conditions.
func caseArgs(ws int64, f shequn.CaseFilter) []any {
	det := ""
	if f.Detector != "" {
		det = "%" + f.Detector + "%"
	}
	since, until := int64(0), int64(math.MaxInt64)
	if !f.Since.IsZero() {
		since = f.Since.UnixMilli()
	}
	if !f.Until.IsZero() {
		until = f.Until.UnixMilli()
	}
	return []any{ws, f.Status, f.Status, f.Reason, f.Reason, f.CommunityID, f.CommunityID, f.MemberID, f.MemberID, f.Detector, det, since, until}
}

// ReviewedDetectors counts, since t, the reviewed detector cases by their
// detectors (comma-separated, as stored) and status.
func (db *DB) ReviewedDetectors(ctx context.Context, ws int64, since time.Time) (map[[2]string]int, error) {
	out := map[[2]string]int{}
	err := db.eachRow(ctx, db.q.get("reviewed-detectors"), []any{ws, since.UnixMilli()}, func(r *sql.Rows) error {
		var dets, status string
		var n int
		if err := r.Scan(&dets, &status, &n); err != nil {
			return err
		}
		out[[2]string{dets, status}] += n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reviewed detectors: %w", err)
	}
	return out, nil
}

// FindCaseByID returns a case or ENOTFOUND.
func (db *DB) FindCaseByID(ctx context.Context, ws, id int64) (*shequn.ModerationCase, error) {
	c, err := scanCase(db.read.QueryRowContext(ctx, db.q.get("find-case"), ws, id))
	return c, notFound(err, "case %d", id)
}

// Review is what closing a case changes, decided by the app.
type Review struct {
	Status     string
	By         int64
	CancelOpen bool                 // cancel the case's pending outbox items
	Outbox     []*shequn.OutboxItem // new items (e.g. unban)
	Unblock    int64                // member to take off the blocklist
	Sample     string               // "spam" or "ham": add the text as a training sample
}

// ReviewCase closes an open case and applies rv in one transaction; a case
// that is not open is ECONFLICT.
func (db *DB) ReviewCase(ctx context.Context, ws, id int64, rv Review) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		c, err := scanCase(tx.QueryRowContext(ctx, db.q.get("find-case"), ws, id))
		if err := notFound(err, "case %d", id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.q.get("review-case"), rv.Status, db.stamp(), rv.By, ws, id)
		if err != nil {
			return fmt.Errorf("review case %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ECONFLICT, "case %d is already %s", id, c.Status)
		}
		if rv.CancelOpen {
			if _, err := tx.ExecContext(ctx, db.q.get("cancel-case-outbox"), ws, id); err != nil {
				return fmt.Errorf("cancel outbox of case %d: %w", id, err)
			}
		}
		if rv.Unblock != 0 {
			if _, err := tx.ExecContext(ctx, db.q.get("delete-block"), ws, rv.Unblock); err != nil {
				return fmt.Errorf("unblock: %w", err)
			}
		}
		if rv.Sample != "" && c.Text != "" {
			if _, err := tx.ExecContext(ctx, db.q.get("insert-sample"), ws, rv.Sample, c.Text, id, db.stamp()); err != nil {
				return fmt.Errorf("add sample: %w", err)
			}
		}
		return insertOutbox(ctx, tx, db, rv.Outbox)
	})
}

func insertOutbox(ctx context.Context, tx *sql.Tx, db *DB, items []*shequn.OutboxItem) error {
	for _, o := range items {
		if o.DueAt.IsZero() {
			o.DueAt = msTime(db.stamp())
		}
		if _, err := tx.ExecContext(ctx, db.q.get("insert-outbox"), o.WorkspaceID, o.IdempotencyKey, o.Platform, o.CommunityID, o.MemberID,
			o.Action, o.Payload, o.CaseID, o.DueAt.UnixMilli(), db.stamp()); err != nil {
			return fmt.Errorf("outbox %s: %w", o.IdempotencyKey, err)
		}
	}
	return nil
}

// FindOutbox lists outbox items of a case (0: any) and status ("": any).
func (db *DB) FindOutbox(ctx context.Context, ws, caseID int64, status string, limit int) ([]*shequn.OutboxItem, error) {
	var out []*shequn.OutboxItem
	err := db.eachRow(ctx, db.q.get("find-outbox"), []any{ws, caseID, caseID, status, status, limit}, func(r *sql.Rows) error {
		var o shequn.OutboxItem
		var due, created int64
		if err := r.Scan(&o.ID, &o.WorkspaceID, &o.IdempotencyKey, &o.Platform, &o.CommunityID, &o.MemberID, &o.Action, &o.Payload,
			&o.CaseID, &o.Status, &o.Attempts, &due, &created, &o.LastError, &o.CommunityName, &o.MemberName); err != nil {
			return err
		}
		o.DueAt, o.CreatedAt = msTime(due), msTime(created)
		out = append(out, &o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find outbox: %w", err)
	}
	return out, nil
}

// FindBlocklist lists blocked members.
func (db *DB) FindBlocklist(ctx context.Context, ws int64) ([]*shequn.BlockEntry, error) {
	var out []*shequn.BlockEntry
	err := db.eachRow(ctx, db.q.get("find-blocklist"), []any{ws}, func(r *sql.Rows) error {
		var b shequn.BlockEntry
		var created int64
		if err := r.Scan(&b.WorkspaceID, &b.MemberID, &b.MemberName, &b.Reason, &b.CaseID, &created); err != nil {
			return err
		}
		b.CreatedAt = msTime(created)
		out = append(out, &b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find blocklist: %w", err)
	}
	return out, nil
}

// Unblock takes a member off the blocklist; ENOTFOUND when the member is
// not on this workspace's blocklist.
func (db *DB) Unblock(ctx context.Context, ws, member int64) error {
	res, err := db.write.ExecContext(ctx, db.q.get("delete-block"), ws, member)
	if err != nil {
		return fmt.Errorf("unblock %d: %w", member, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "member %d is not on the blocklist", member)
	}
	return nil
}

// --- writes inside a pipeline batch ---

// CreateCase stores a case and returns its id.
func (t *IngestTx) CreateCase(ctx context.Context, c *shequn.ModerationCase) error {
	c.WorkspaceID, c.CreatedAt = t.WS, msTime(t.Now())
	err := t.tx.QueryRowContext(ctx, t.db.q.get("insert-case"), t.WS, c.CommunityID, c.MemberID, c.EventID, c.Platform, c.SourceID, c.Text,
		c.Reason, c.Detectors, c.Verdicts, c.Action, c.Status, nullInt64(c.ReporterID), c.CreatedAt.UnixMilli(), boolInt(c.Shadow), nullTime(c.MessageAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("create case: %w", err)
	}
	return nil
}

// AddOutbox records actions; an idempotency key already used is skipped.
func (t *IngestTx) AddOutbox(ctx context.Context, items []*shequn.OutboxItem) error {
	return insertOutbox(ctx, t.tx, t.db, items)
}

// Block puts a member on the workspace blocklist.
func (t *IngestTx) Block(ctx context.Context, member int64, reason string, caseID int64) error {
	if _, err := t.tx.ExecContext(ctx, t.db.q.get("insert-block"), t.WS, member, reason, caseID, t.Now()); err != nil {
		return fmt.Errorf("block %d: %w", member, err)
	}
	return nil
}

// MembershipRole returns a member's role in a community and when they joined.
func (t *IngestTx) MembershipRole(ctx context.Context, community, member int64) (string, time.Time, error) {
	var role string
	var joined sql.NullInt64
	err := t.tx.QueryRowContext(ctx, t.db.q.get("membership-role"), t.WS, community, member).Scan(&role, &joined)
	if err == sql.ErrNoRows {
		return "", time.Time{}, nil
	} else if err != nil {
		return "", time.Time{}, fmt.Errorf("membership role: %w", err)
	}
	var at time.Time
	if joined.Valid {
		at = msTime(joined.Int64)
	}
	return role, at, nil
}

// ActiveCommunities returns the communities (with platforms) a member is in.
func (t *IngestTx) ActiveCommunities(ctx context.Context, member int64) (map[int64]string, error) {
	out := map[int64]string{}
	rs, err := t.tx.QueryContext(ctx, t.db.q.get("active-communities-of"), t.WS, member)
	err = each(rs, err, func(r *sql.Rows) error {
		var id int64
		var p string
		if err := r.Scan(&id, &p); err != nil {
			return err
		}
		out[id] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("active communities: %w", err)
	}
	return out, nil
}

// CountWarnings counts a member's warnings not overturned.
func (t *IngestTx) CountWarnings(ctx context.Context, member int64) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, t.db.q.get("count-warnings"), t.WS, member).Scan(&n); err != nil {
		return 0, fmt.Errorf("count warnings: %w", err)
	}
	return n, nil
}

// FindEventBySource returns a stored event's id, community, member and text.
func (t *IngestTx) FindEventBySource(ctx context.Context, platform, source string) (id, community, member int64, text string, err error) {
	err = t.tx.QueryRowContext(ctx, t.db.q.get("find-event-by-source"), t.WS, platform, source).Scan(&id, &community, &member, &text)
	if err == sql.ErrNoRows {
		return 0, 0, 0, "", shequn.Errorf(shequn.ENOTFOUND, "event %s:%s not found", platform, source)
	} else if err != nil {
		return 0, 0, 0, "", fmt.Errorf("find event: %w", err)
	}
	return id, community, member, text, nil
}

func scanOutbox(r interface{ Scan(...any) error }) (*shequn.OutboxItem, error) {
	var o shequn.OutboxItem
	var due, created int64
	if err := r.Scan(&o.ID, &o.WorkspaceID, &o.IdempotencyKey, &o.Platform, &o.CommunityID, &o.MemberID, &o.Action, &o.Payload,
		&o.CaseID, &o.Status, &o.Attempts, &due, &created); err != nil {
		return nil, err
	}
	o.DueAt, o.CreatedAt = msTime(due), msTime(created)
	return &o, nil
}
