package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// automationConfig is what the config column holds.
type automationConfig struct {
	Selector   shequn.Selector              `json:"selector"`
	Steps      []shequn.Step                `json:"steps,omitempty"`
	Trigger    shequn.Trigger               `json:"trigger"`
	Conditions shequn.Conditions            `json:"conditions"`
	Actions    []shequn.Action              `json:"actions,omitempty"`
	QuietHours shequn.QuietHours            `json:"quiet_hours"`
	Vars       map[string]map[string]string `json:"vars,omitempty"`
}

func configOf(a *shequn.Automation) string {
	b, _ := json.Marshal(automationConfig{a.Selector, a.Steps, a.Trigger, a.Conditions, a.Actions, a.QuietHours, a.Vars})
	return string(b)
}

func scanAutomation(r interface{ Scan(...any) error }) (*shequn.Automation, error) {
	var a shequn.Automation
	var enabled int
	var config string
	var planned, created, updated int64
	if err := r.Scan(&a.ID, &a.WorkspaceID, &a.Name, &a.Kind, &enabled, &config, &planned, &created, &updated); err != nil {
		return nil, err
	}
	var c automationConfig
	if err := json.Unmarshal([]byte(config), &c); err != nil {
		return nil, fmt.Errorf("automation %d config: %w", a.ID, err)
	}
	a.Enabled, a.Selector, a.Steps, a.Trigger, a.Conditions, a.Actions, a.QuietHours, a.Vars = enabled != 0, c.Selector, c.Steps, c.Trigger, c.Conditions, c.Actions, c.QuietHours, c.Vars
	a.PlannedUntil, a.CreatedAt, a.UpdatedAt = msTime(planned), msTime(created), msTime(updated)
	return &a, nil
}

// CreateAutomation stores a new automation.
func (db *DB) CreateAutomation(ctx context.Context, a *shequn.Automation) error {
	now := db.stamp()
	if err := db.write.QueryRowContext(ctx, db.q.get("insert-automation"), a.WorkspaceID, a.Name, a.Kind, boolInt(a.Enabled), configOf(a),
		a.PlannedUntil.UnixMilli(), now, now).Scan(&a.ID); err != nil {
		return fmt.Errorf("create automation: %w", err)
	}
	a.CreatedAt, a.UpdatedAt = msTime(now), msTime(now)
	return nil
}

// UpdateAutomation replaces an automation and cancels its pending sends
// that are not due yet (they are planned again from the new version).
func (db *DB) UpdateAutomation(ctx context.Context, a *shequn.Automation) error {
	now := db.stamp()
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("update-automation"), a.Name, a.Kind, boolInt(a.Enabled), configOf(a), a.PlannedUntil.UnixMilli(), now, a.WorkspaceID, a.ID)
		if err != nil {
			return fmt.Errorf("update automation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ENOTFOUND, "automation %d: not found", a.ID)
		}
		a.UpdatedAt = msTime(now)
		return cancelPlanned(ctx, tx, db, a.WorkspaceID, a.ID, now)
	})
}

// DeleteAutomation removes an automation and its pending future sends.
func (db *DB) DeleteAutomation(ctx context.Context, ws, id int64) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("delete-automation"), ws, id)
		if err != nil {
			return fmt.Errorf("delete automation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ENOTFOUND, "automation %d: not found", id)
		}
		return cancelPlanned(ctx, tx, db, ws, id, db.stamp())
	})
}

func cancelPlanned(ctx context.Context, tx *sql.Tx, db *DB, ws, id, now int64) error {
	if _, err := tx.ExecContext(ctx, db.q.get("cancel-pending-outbox"), ws, fmt.Sprintf("auto:%d:%%", id), now); err != nil {
		return fmt.Errorf("cancel planned sends: %w", err)
	}
	return nil
}

// FindAutomation returns one automation.
func (db *DB) FindAutomation(ctx context.Context, ws, id int64) (*shequn.Automation, error) {
	a, err := scanAutomation(db.read.QueryRowContext(ctx, db.q.get("find-automation"), ws, id))
	return a, notFound(err, "automation %d", id)
}

// FindAutomations lists a workspace's automations.
func (db *DB) FindAutomations(ctx context.Context, ws int64) ([]*shequn.Automation, error) {
	var out []*shequn.Automation
	err := db.eachRow(ctx, db.q.get("find-automations"), []any{ws}, func(r *sql.Rows) error {
		a, err := scanAutomation(r)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find automations: %w", err)
	}
	return out, nil
}

// CommitPlan writes planned sends to the outbox and moves the automation's
// planned_until forward, together: a crash leaves both or neither.
func (db *DB) CommitPlan(ctx context.Context, ws, automation int64, items []*shequn.OutboxItem, until time.Time) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if err := insertOutbox(ctx, tx, db, items); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q.get("set-planned-until"), until.UnixMilli(), ws, automation, until.UnixMilli()); err != nil {
			return fmt.Errorf("planned until: %w", err)
		}
		return nil
	})
}

// ListCommunities returns every community of a workspace, without figures.
func (db *DB) ListCommunities(ctx context.Context, ws int64) ([]*shequn.Community, error) {
	var out []*shequn.Community
	err := db.eachRow(ctx, db.q.get("find-communities"), []any{ws, "", "", "", "%", "%"}, func(r *sql.Rows) error {
		c, err := scanCommunity(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list communities: %w", err)
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
