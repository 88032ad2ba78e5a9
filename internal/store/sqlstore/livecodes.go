package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
)

// Live codes and their targets (the QR pictures are read on their own).

func scanLiveCode(r interface{ Scan(...any) error }) (*shequn.LiveCode, error) {
	var c shequn.LiveCode
	var created int64
	var way string
	if err := r.Scan(&c.ID, &c.WorkspaceID, &c.Slug, &c.Name, &c.Fallback, &c.AlertSeats, &created, &c.Mode, &c.State, &c.ConnectorID, &way, &c.SyncError, &c.HasQR); err != nil {
		return nil, err
	}
	c.CreatedAt = msTime(created)
	if way != "" {
		c.JoinWay = new(shequn.JoinWay)
		if err := json.Unmarshal([]byte(way), c.JoinWay); err != nil {
			return nil, fmt.Errorf("live code %d join way: %w", c.ID, err)
		}
	}
	return &c, nil
}

func joinWayJSON(w *shequn.JoinWay) string {
	if w == nil {
		return ""
	}
	b, _ := json.Marshal(w)
	return string(b)
}

// CreateLiveCode stores a new live code (ECONFLICT when its slug is taken).
func (db *DB) CreateLiveCode(ctx context.Context, c *shequn.LiveCode) error {
	now := db.stamp()
	err := db.write.QueryRowContext(ctx, db.q.get("insert-live-code"), c.WorkspaceID, c.Slug, c.Name, c.Fallback, c.AlertSeats, now,
		c.Mode, c.State, c.ConnectorID, joinWayJSON(c.JoinWay)).Scan(&c.ID)
	if err != nil {
		return slugTaken(err, c.Slug, "create live code")
	}
	c.CreatedAt = msTime(now)
	return nil
}

// UpdateLiveCode replaces a live code's settings.
func (db *DB) UpdateLiveCode(ctx context.Context, c *shequn.LiveCode) error {
	res, err := db.write.ExecContext(ctx, db.q.get("update-live-code"), c.Slug, c.Name, c.Fallback, c.AlertSeats, c.State, c.ConnectorID,
		joinWayJSON(c.JoinWay), c.WorkspaceID, c.ID)
	if err != nil {
		return slugTaken(err, c.Slug, "update live code")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "live code %d not found", c.ID)
	}
	return nil
}

func slugTaken(err error, slug, what string) error {
	if isUniqueViolation(err) {
		e := shequn.Errorf(shequn.ECONFLICT, "slug %q is taken by another live code", slug)
		e.Field = "slug"
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

// DeleteLiveCode removes a live code and its targets.
func (db *DB) DeleteLiveCode(ctx context.Context, ws, id int64) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("delete-live-code"), ws, id)
		if err != nil {
			return fmt.Errorf("delete live code: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ENOTFOUND, "live code %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, db.q.get("delete-live-code-targets"), ws, id); err != nil {
			return fmt.Errorf("delete live code targets: %w", err)
		}
		return nil
	})
}

// FindLiveCodes lists ws's live codes with their targets, oldest first.
func (db *DB) FindLiveCodes(ctx context.Context, ws int64) ([]*shequn.LiveCode, error) {
	var out []*shequn.LiveCode
	err := db.eachRow(ctx, db.q.get("find-live-codes"), []any{ws}, func(r *sql.Rows) error {
		c, err := scanLiveCode(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find live codes: %w", err)
	}
	by := map[int64]*shequn.LiveCode{}
	for _, c := range out {
		by[c.ID] = c
	}
	return out, db.liveTargets(ctx, ws, 0, by)
}

// FindLiveCode returns one live code with its targets.
func (db *DB) FindLiveCode(ctx context.Context, ws, id int64) (*shequn.LiveCode, error) {
	c, err := scanLiveCode(db.read.QueryRowContext(ctx, db.q.get("find-live-code"), ws, id))
	if err != nil {
		return nil, notFound(err, "live code %d", id)
	}
	return c, db.liveTargets(ctx, ws, c.ID, map[int64]*shequn.LiveCode{c.ID: c})
}

// FindLiveCodeBySlug returns ws's live code of that slug with its targets.
func (db *DB) FindLiveCodeBySlug(ctx context.Context, ws int64, slug string) (*shequn.LiveCode, error) {
	c, err := scanLiveCode(db.read.QueryRowContext(ctx, db.q.get("find-live-code-by-slug"), ws, slug))
	if err != nil {
		return nil, notFound(err, "live code %q", shequn.Clip(slug, 60))
	}
	return c, db.liveTargets(ctx, ws, c.ID, map[int64]*shequn.LiveCode{c.ID: c})
}

// liveTargets reads the targets of one live code (or of all: 0) into by.
func (db *DB) liveTargets(ctx context.Context, ws, code int64, by map[int64]*shequn.LiveCode) error {
	err := db.eachRow(ctx, db.q.get("find-live-targets"), []any{ws, code, code}, func(r *sql.Rows) error {
		var t shequn.LiveTarget
		var expires, created int64
		if err := r.Scan(&t.ID, &t.LiveCodeID, &t.CommunityID, &t.Label, &t.Cap, &t.Held, &t.Position, &expires, &t.Scans, &t.Fill,
			&t.QRText, &t.ImageType, &created); err != nil {
			return err
		}
		t.ExpiresAt, t.CreatedAt = msTime(expires), msTime(created)
		if c := by[t.LiveCodeID]; c != nil {
			c.Targets = append(c.Targets, t)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("live targets: %w", err)
	}
	return nil
}

// AddLiveTarget stores a target and its QR picture.
func (db *DB) AddLiveTarget(ctx context.Context, ws int64, t *shequn.LiveTarget, image []byte) error {
	community := sql.NullInt64{Int64: t.CommunityID, Valid: t.CommunityID != 0}
	now := db.stamp()
	err := db.write.QueryRowContext(ctx, db.q.get("insert-live-target"), ws, t.LiveCodeID, community, t.Label, t.Cap, t.Held, t.Position,
		t.ExpiresAt.UnixMilli(), t.QRText, t.ImageType, image, now).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("add live target: %w", err)
	}
	t.CreatedAt = msTime(now)
	return nil
}

// DeleteLiveTarget removes a target of a live code.
func (db *DB) DeleteLiveTarget(ctx context.Context, ws, code, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q.get("delete-live-target"), ws, code, id)
	if err != nil {
		return fmt.Errorf("delete live target: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "live code target %d not found", id)
	}
	return nil
}

// LiveCodeID returns the id of ws's live code of that slug.
func (db *DB) LiveCodeID(ctx context.Context, ws int64, slug string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, db.q.get("live-code-id"), ws, slug).Scan(&id)
	return id, notFound(err, "live code %q", shequn.Clip(slug, 60))
}

// LiveTargetImage returns a target's QR picture and its type.
func (db *DB) LiveTargetImage(ctx context.Context, ws, code, id int64) (string, []byte, error) {
	var typ string
	var img []byte
	err := db.read.QueryRowContext(ctx, db.q.get("live-target-image"), ws, code, id).Scan(&typ, &img)
	return typ, img, notFound(err, "live code target %d", id)
}

// CountLiveScan counts one showing of a target.
func (db *DB) CountLiveScan(ctx context.Context, ws, id int64) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("count-live-scan"), ws, id); err != nil {
		return fmt.Errorf("count scan: %w", err)
	}
	return nil
}

// SaveJoinWay records what a WeCom live code's sync learnt: the join way
// as WeCom holds it, the error ("" when it went through) and, when image
// is not nil, its QR picture.
func (db *DB) SaveJoinWay(ctx context.Context, ws, id int64, w *shequn.JoinWay, syncErr, imageType string, image []byte) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("save-join-way"), joinWayJSON(w), syncErr, ws, id); err != nil {
		return fmt.Errorf("save join way: %w", err)
	}
	if image == nil {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, db.q.get("save-join-way-qr"), imageType, image, ws, id); err != nil {
		return fmt.Errorf("save join way QR: %w", err)
	}
	return nil
}

// LiveCodeQR returns a WeCom live code's join-way QR picture.
func (db *DB) LiveCodeQR(ctx context.Context, ws, id int64) (string, []byte, error) {
	var typ string
	var img []byte
	err := db.read.QueryRowContext(ctx, db.q.get("live-code-qr"), ws, id).Scan(&typ, &img)
	return typ, img, notFound(err, "live code %d QR", id)
}
