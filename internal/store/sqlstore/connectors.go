package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

func scanConnector(r interface{ Scan(...any) error }) (*shequn.Connector, error) {
	var c shequn.Connector
	var created, lastEvent, lastErr, failing, updated int64
	if err := r.Scan(&c.ID, &c.WorkspaceID, &c.Platform, &c.Name, &c.Status, &c.Config, &c.Secret, &created,
		&c.Events, &lastEvent, &c.LastError, &lastErr, &c.State, &failing, &updated); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = msTime(created), msTime(max(created, updated))
	if failing > 0 {
		c.FailingSince = msTime(failing)
	}
	if lastEvent > 0 {
		c.LastEventAt = msTime(lastEvent)
	}
	if lastErr > 0 {
		c.LastErrorAt = msTime(lastErr)
	}
	return &c, nil
}

// CreateConnector stores a connector; its Secret must be sealed already.
func (db *DB) CreateConnector(ctx context.Context, c *shequn.Connector) error {
	now := db.stamp()
	if err := db.write.QueryRowContext(ctx, db.q.get("insert-connector"), c.WorkspaceID, c.Platform, c.Name, c.Status, c.Config, c.Secret, now).Scan(&c.ID); err != nil {
		return fmt.Errorf("create connector: %w", err)
	}
	c.CreatedAt, c.UpdatedAt = msTime(now), msTime(now)
	return nil
}

// UpdateConnector changes a connector's name, configuration and sealed
// secret; a deleted connector is not found.
func (db *DB) UpdateConnector(ctx context.Context, c *shequn.Connector) error {
	now := db.stamp()
	res, err := db.write.ExecContext(ctx, db.q.get("update-connector"), c.Name, c.Config, c.Secret, now, c.WorkspaceID, c.ID)
	if err != nil {
		return fmt.Errorf("update connector: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "connector %d: not found", c.ID)
	}
	c.UpdatedAt = msTime(now)
	return nil
}

// FindConnectors lists connectors of ws (0: every workspace) with status
// ("": any).
func (db *DB) FindConnectors(ctx context.Context, ws int64, status string) ([]*shequn.Connector, error) {
	var out []*shequn.Connector
	err := db.eachRow(ctx, db.q.get("find-connectors"), []any{ws, ws, status, status}, func(r *sql.Rows) error {
		c, err := scanConnector(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find connectors: %w", err)
	}
	return out, nil
}

// FindConnector returns one connector.
func (db *DB) FindConnector(ctx context.Context, ws, id int64) (*shequn.Connector, error) {
	c, err := scanConnector(db.read.QueryRowContext(ctx, db.q.get("find-connector"), ws, id))
	return c, notFound(err, "connector %d", id)
}

// SetConnectorStatus pauses or activates a connector.
func (db *DB) SetConnectorStatus(ctx context.Context, ws, id int64, status string) error {
	res, err := db.write.ExecContext(ctx, db.q.get("set-connector-status"), status, ws, id)
	if err != nil {
		return fmt.Errorf("connector status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "connector %d: not found", id)
	}
	return nil
}

// ConnectorDelivered counts events a connector delivered.
func (db *DB) ConnectorDelivered(ctx context.Context, id int64, n int, at time.Time) error {
	_, err := db.write.ExecContext(ctx, db.q.get("connector-events"), n, at.UnixMilli(), id)
	return err
}

// ConnectorFailed records a connector's latest error (already free of secrets).
func (db *DB) ConnectorFailed(ctx context.Context, id int64, msg string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, db.q.get("connector-error"), msg, at.UnixMilli(), at.UnixMilli(), id)
	return err
}

// SaveConnectorState stores a connector's resume point.
func (db *DB) SaveConnectorState(ctx context.Context, id int64, state string) error {
	_, err := db.write.ExecContext(ctx, db.q.get("connector-state"), state, id)
	return err
}

// TakeLease gives holder the connector until expires; false when another
// holder's lease is still running.
func (db *DB) TakeLease(ctx context.Context, connector int64, holder string, now, expires time.Time) (bool, error) {
	var got string
	err := db.write.QueryRowContext(ctx, db.q.get("take-lease"), connector, holder, expires.UnixMilli(), now.UnixMilli()).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("take lease: %w", err)
	}
	return got == holder, nil
}

// DropLease gives the connector up.
func (db *DB) DropLease(ctx context.Context, connector int64, holder string) error {
	_, err := db.write.ExecContext(ctx, db.q.get("drop-lease"), connector, holder)
	return err
}
