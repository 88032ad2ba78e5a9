package app

import (
	"context"
	"fmt"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// AwardMonthlyTopBy is AwardMonthlyTop asked by an operator (viewers may
// not).
func (a *App) AwardMonthlyTopBy(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, month string, n int, points int64) (int, error) {
	if err := canEdit(op); err != nil {
		return 0, err
	}
	granted, err := a.AwardMonthlyTop(ctx, ws, month, n, points)
	if err == nil {
		a.Log.Info("monthly top awarded", "workspace", ws.Slug, "month", month, "granted", granted, "operator", opID(op))
	}
	return granted, err
}

// AwardMonthlyTop grants points to the top n members of each community
// (and of the workspace when community 0 is asked) for a month — "the
// monthly top 3 of each group get a gift" (S1). Run again, it grants
// nothing twice. It returns how many grants were made.
func (a *App) AwardMonthlyTop(ctx context.Context, ws *shequn.Workspace, month string, n int, points int64) (int, error) {
	if n < 1 || n > 100 {
		return 0, shequn.Invalid("top", "top: 1 to 100 members")
	}
	if points < 1 || points > MaxPoints {
		return 0, shequn.Invalid("points", "points: 1 to %d", MaxPoints)
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		return 0, shequn.Invalid("month", "month %q: want YYYY-MM", month)
	}
	cs, _, err := a.db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, shequn.DayRange{From: month + "-01", To: month + "-31"})
	if err != nil {
		return 0, err
	}
	granted := 0
	for _, c := range cs {
		rows, err := a.db.Leaderboard(ctx, ws.ID, "M"+month, c.ID, n)
		if err != nil {
			return granted, err
		}
		for _, r := range rows {
			e := &shequn.PointsEntry{MemberID: r.MemberID, Amount: points, Kind: shequn.PointsGrant,
				Reason:         fmt.Sprintf("%s 月度第 %d 名 · monthly #%d in %s", month, r.Rank, r.Rank, c.Name),
				IdempotencyKey: fmt.Sprintf("award:%s:%d:%d", month, c.ID, r.MemberID)}
			var posted bool
			if err := a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) (err error) {
				posted, err = tx.Post(ctx, e)
				return err
			}); err != nil {
				return granted, err
			}
			if posted {
				granted++
			}
		}
	}
	return granted, nil
}
