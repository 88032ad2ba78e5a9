package app

import (
	"context"
	"slices"

	"github.com/shequn/shequn"
)

// Attention is what needs an operator today, for the overview to start
// with: each figure links to the page where it is worked through.
type Attention struct {
	OpenCases          int            // moderation cases awaiting review
	OpenAlerts         map[string]int // open alerts by kind
	Unanswered         int            // questions of the last 7 days unanswered past the SLA
	FailingConnectors  []*shequn.Connector
	PendingBroadcasts  int // waiting for a second operator's approval
	PendingRedemptions int // rewards redeemed and not yet fulfilled
	FailedOutbox       int // actions a platform refused for good
}

// Empty says nothing needs an operator.
func (at Attention) Empty() bool {
	return at.OpenCases == 0 && len(at.OpenAlerts) == 0 && at.Unanswered == 0 && len(at.FailingConnectors) == 0 &&
		at.PendingBroadcasts == 0 && at.PendingRedemptions == 0 && at.FailedOutbox == 0
}

// AlertKinds lists the kinds with open alerts, in the order of
// shequn.AlertKinds.
func (at Attention) AlertKinds() []string {
	var out []string
	for _, k := range shequn.AlertKinds {
		if at.OpenAlerts[k] > 0 {
			out = append(out, k)
		}
	}
	return out
}

// attentionScan bounds the rows read to count a figure (a figure past it
// is shown as at least this many).
const attentionScan = 1000

// Attention gathers what needs an operator in ws now.
func (a *App) Attention(ctx context.Context, ws *shequn.Workspace) (Attention, error) {
	var at Attention
	var err error
	if at.OpenCases, err = a.db.CountCases(ctx, ws.ID, shequn.CaseFilter{Status: shequn.CaseOpen}); err != nil {
		return at, err
	}
	alerts, err := a.db.FindAlerts(ctx, ws.ID, shequn.AlertFilter{Status: shequn.AlertOpen, Limit: attentionScan})
	if err != nil {
		return at, err
	}
	at.OpenAlerts = map[string]int{}
	for _, al := range alerts {
		at.OpenAlerts[al.Kind]++
	}
	now := a.Clock.Now()
	// open for longer than the SLA, asked within the week
	if at.Unanswered, err = a.db.CountOpenQuestions(ctx, ws.ID, now.AddDate(0, 0, -7), now.Add(-AnswerSLA), attentionScan); err != nil {
		return at, err
	}
	cs, err := a.Connectors(ctx, ws)
	if err != nil {
		return at, err
	}
	at.FailingConnectors = slices.DeleteFunc(cs, func(c *shequn.Connector) bool { return c.Health != shequn.HealthFailing })
	bs, err := a.db.FindBroadcasts(ctx, ws.ID, attentionScan)
	if err != nil {
		return at, err
	}
	for _, b := range bs {
		if b.Status == shequn.BroadcastPending {
			at.PendingBroadcasts++
		}
	}
	rds, err := a.db.FindRedemptions(ctx, ws.ID, shequn.RedemptionPending, attentionScan)
	if err != nil {
		return at, err
	}
	at.PendingRedemptions = len(rds)
	failed, err := a.db.FindOutbox(ctx, ws.ID, 0, shequn.OutboxFailed, attentionScan)
	at.FailedOutbox = len(failed)
	return at, err
}
