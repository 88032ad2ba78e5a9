package app

import (
	"context"
	"slices"

	"github.com/shequn/shequn"
)

// answersRead is how many of a period's answered questions the best
// answers are picked from (the newest).
const answersRead = 1000

// Highlights returns win's most-replied and most-reacted messages and its
// best answers, in one group or all (f.CommunityID).
func (a *App) Highlights(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.Highlights, error) {
	f, err := a.checkRead(ctx, ws, f, win)
	if err != nil {
		return shequn.Highlights{From: win.From, To: win.To}, err
	}
	f = shequn.AnalyticsFilter{CommunityID: f.CommunityID} // highlights are per group or of all
	return kept(ctx, a, ws, figureRequest{Kind: figHighlights, Filter: f, Win: win}, func() (shequn.Highlights, error) {
		return a.highlights(ctx, ws, f, win)
	})
}

// highlights computes the highlights of a checked group and period.
func (a *App) highlights(ctx context.Context, ws *shequn.Workspace, f shequn.AnalyticsFilter, win shequn.DayRange) (shequn.Highlights, error) {
	out := shequn.Highlights{From: win.From, To: win.To}
	from, to, err := win.Bounds(ws.Location())
	if err != nil {
		return out, err
	}
	if out.MostReplied, err = a.db.TopMessages(ctx, ws.ID, f.CommunityID, from.UnixMilli(), to.UnixMilli(), "replies", shequn.HighlightsShown); err != nil {
		return out, err
	}
	if out.MostReacted, err = a.db.TopMessages(ctx, ws.ID, f.CommunityID, from.UnixMilli(), to.UnixMilli(), "reactions", shequn.HighlightsShown); err != nil {
		return out, err
	}
	out.BestAnswers, err = a.bestAnswers(ctx, ws, f.CommunityID, win)
	return out, err
}

// bestAnswers ranks win's answers by someone other than the asker: the
// answers that drew the most reactions and replies first, then the
// quickest.
func (a *App) bestAnswers(ctx context.Context, ws *shequn.Workspace, community int64, win shequn.DayRange) ([]shequn.BestAnswer, error) {
	from, to, err := win.Bounds(ws.Location())
	if err != nil {
		return nil, err
	}
	qs, err := a.db.FindQuestions(ctx, ws.ID, shequn.QuestionFilter{CommunityID: community, Status: "answered", Since: from, Limit: answersRead})
	if err != nil {
		return nil, err
	}
	var out []shequn.BestAnswer
	var events []int64
	for _, q := range qs {
		if q.TS.Before(to) && q.AnsweredAt != nil && q.AnswerMemberID != q.MemberID && q.AnswerMemberID != 0 {
			out = append(out, shequn.BestAnswer{Question: *q, WaitSeconds: q.AnsweredAt.Sub(q.TS).Seconds()})
			events = append(events, q.AnswerEventID)
		}
	}
	stats, err := a.db.MessageStats(ctx, ws.ID, events)
	if err != nil {
		return nil, err
	}
	for i := range out {
		s := stats[out[i].AnswerEventID]
		out[i].Replies, out[i].Reactions = s[0], s[1]
	}
	slices.SortStableFunc(out, func(x, y shequn.BestAnswer) int {
		if d := (y.Reactions + y.Replies) - (x.Reactions + x.Replies); d != 0 {
			return d
		}
		switch {
		case x.WaitSeconds < y.WaitSeconds:
			return -1
		case x.WaitSeconds > y.WaitSeconds:
			return 1
		}
		return int(x.ID - y.ID)
	})
	return out[:min(len(out), shequn.HighlightsShown)], nil
}
