package app

import (
	"context"

	"github.com/shequn/shequn"
)

// FindOutbox lists ws's outbox rows, of one case when caseID is set and of
// one status when status is set.
func (a *App) FindOutbox(ctx context.Context, ws *shequn.Workspace, caseID int64, status string, limit int) ([]*shequn.OutboxItem, error) {
	return a.db.FindOutbox(ctx, ws.ID, caseID, status, limit)
}
