package app

import (
	"context"

	"github.com/shequn/shequn"
)

// Overview returns ws's headline figures over win.
func (a *App) Overview(ctx context.Context, ws *shequn.Workspace, win shequn.DayRange) (shequn.Overview, error) {
	return a.db.Overview(ctx, ws.ID, win)
}

// WorkspaceDays returns ws's daily figures over win.
func (a *App) WorkspaceDays(ctx context.Context, ws *shequn.Workspace, win shequn.DayRange) ([]shequn.DayStats, error) {
	return a.db.WorkspaceDays(ctx, ws.ID, win)
}

// CommunityDays returns a community's daily figures over win; ENOTFOUND
// when the community is not ws's.
func (a *App) CommunityDays(ctx context.Context, ws *shequn.Workspace, id int64, win shequn.DayRange) ([]shequn.DayStats, error) {
	if _, err := a.db.FindCommunityByID(ctx, ws.ID, id); err != nil {
		return nil, err
	}
	return a.db.CommunityDays(ctx, ws.ID, id, win)
}

// Ping checks that the store answers.
func (a *App) Ping(ctx context.Context) error { return a.db.Ping(ctx) }
