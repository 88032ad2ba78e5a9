package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Figure is a kept analytics figure: the request it answers (JSON), the
// data version it was computed from, when, how long it took, when it was
// last read and, for Find, its body (JSON).
type Figure struct {
	Request    string
	Version    string
	ComputedAt time.Time
	ReadAt     time.Time
	Took       time.Duration
	Body       []byte
}

// FiguresVersion names the data the analytics are computed from: the
// latest event and moderation case and, on PostgreSQL, how many of the
// latest ids are taken (a batch with lower ids may commit after a later
// one; SQLite's single writer takes ids in commit order).
// Writes that change the figures without either (staff flags, weights,
// group settings, rebuilds) forget the workspace's figures instead
// (ForgetFigures).
func (db *DB) FiguresVersion(ctx context.Context) (string, error) {
	name := "figures-version"
	if db.Dialect == Postgres {
		name = "figures-version-postgres"
	}
	var ev, evn, mc, mcn int64
	if err := db.read.QueryRowContext(ctx, db.q.get(name)).Scan(&ev, &evn, &mc, &mcn); err != nil {
		return "", fmt.Errorf("figures version: %w", err)
	}
	return fmt.Sprintf("%d.%d.%d.%d", ev, evn, mc, mcn), nil
}

// FindFigure returns ws's figure for request, or nil when none is kept.
func (db *DB) FindFigure(ctx context.Context, ws int64, request string) (*Figure, error) {
	f := Figure{Request: request}
	var computed, read, took int64
	err := db.read.QueryRowContext(ctx, db.q.get("find-figure"), ws, request).Scan(&f.Version, &computed, &read, &took, &f.Body)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find figure: %w", err)
	}
	f.ComputedAt, f.ReadAt, f.Took = msTime(computed), msTime(read), time.Duration(took)*time.Millisecond
	return &f, nil
}

// SaveFigure keeps a figure (replacing the one for the same request).
func (db *DB) SaveFigure(ctx context.Context, ws int64, f Figure) error {
	_, err := db.write.ExecContext(ctx, db.q.get("save-figure"), ws, f.Request, f.Version, f.ComputedAt.UnixMilli(),
		f.ReadAt.UnixMilli(), f.Took.Milliseconds(), string(f.Body))
	if err != nil {
		return fmt.Errorf("save figure: %w", err)
	}
	return nil
}

// TouchFigure records that a figure was read at t.
func (db *DB) TouchFigure(ctx context.Context, ws int64, request string, t time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("touch-figure"), t.UnixMilli(), ws, request); err != nil {
		return fmt.Errorf("touch figure: %w", err)
	}
	return nil
}

// ReadFigures returns ws's figures read since t, without their bodies.
func (db *DB) ReadFigures(ctx context.Context, ws int64, since time.Time) ([]Figure, error) {
	var out []Figure
	err := db.eachRow(ctx, db.q.get("read-figures"), []any{ws, since.UnixMilli()}, func(rs *sql.Rows) error {
		var f Figure
		var computed, read, took int64
		if err := rs.Scan(&f.Request, &f.Version, &computed, &read, &took); err != nil {
			return err
		}
		f.ComputedAt, f.ReadAt, f.Took = msTime(computed), msTime(read), time.Duration(took)*time.Millisecond
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read figures: %w", err)
	}
	return out, nil
}

// ForgetFigures drops ws's figures (after a change they cannot see).
func (db *DB) ForgetFigures(ctx context.Context, ws int64) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("forget-figures"), ws); err != nil {
		return fmt.Errorf("forget figures: %w", err)
	}
	return nil
}

// PruneFigures drops ws's figures last read and computed before t.
func (db *DB) PruneFigures(ctx context.Context, ws int64, t time.Time) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("prune-figures"), ws, t.UnixMilli(), t.UnixMilli()); err != nil {
		return fmt.Errorf("prune figures: %w", err)
	}
	return nil
}
