package app

import (
	"context"
	"time"

	"github.com/shequn/shequn"
)

// FindQuestions lists ws's detected questions matching f.
func (a *App) FindQuestions(ctx context.Context, ws *shequn.Workspace, f shequn.QuestionFilter) ([]*shequn.Question, error) {
	return a.db.FindQuestions(ctx, ws.ID, f)
}

// QuestionStats are the answer figures of a community (0: every one) since.
func (a *App) QuestionStats(ctx context.Context, ws *shequn.Workspace, community int64, since time.Time) (shequn.QuestionStats, error) {
	return a.db.QuestionStats(ctx, ws.ID, community, since)
}

// QuestionStatsByCommunity gives every community's answer figures since
// a time, and the workspace's under key 0.
func (a *App) QuestionStatsByCommunity(ctx context.Context, ws *shequn.Workspace, since time.Time) (map[int64]shequn.QuestionStats, error) {
	return a.db.QuestionStatsByCommunity(ctx, ws.ID, since)
}
