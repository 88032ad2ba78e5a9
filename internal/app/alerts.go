package app

import (
	"context"

	"github.com/shequn/shequn"
)

// FindAlerts lists ws's alerts matching f.
func (a *App) FindAlerts(ctx context.Context, ws *shequn.Workspace, f shequn.AlertFilter) ([]*shequn.Alert, error) {
	return a.db.FindAlerts(ctx, ws.ID, f)
}

// SetAlertStatus acknowledges, resolves or reopens an alert.
func (a *App) SetAlertStatus(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error {
	if err := canEdit(op); err != nil {
		return err
	}
	switch status {
	case shequn.AlertOpen, shequn.AlertAcknowledged, shequn.AlertResolved:
		return a.db.SetAlertStatus(ctx, ws.ID, id, status)
	}
	return shequn.Invalid("status", "status %q: want open, acknowledged or resolved", status)
}
