package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/schedule"
)

// BroadcastPreview is what a broadcast would do.
type BroadcastPreview struct {
	Communities []*shequn.Community `json:"communities"`
	// Sample is the text as the first group would see it.
	Sample        string `json:"sample"`
	NeedsApproval bool   `json:"needs_approval"`
	// Duration is how long the staggered sending takes.
	Duration time.Duration `json:"duration_ns"`
}

// PreviewBroadcast resolves the segment and renders the text.
func (a *App) PreviewBroadcast(ctx context.Context, ws *shequn.Workspace, text string, sel shequn.Selector, stagger int) (BroadcastPreview, error) {
	var p BroadcastPreview
	if err := checkBroadcast(text, stagger); err != nil {
		return p, err
	}
	if err := a.checkSelector(ctx, ws, "selector", sel); err != nil {
		return p, err
	}
	cs, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return p, err
	}
	for _, c := range cs {
		if sel.Matches(c) {
			p.Communities = append(p.Communities, c)
		}
	}
	if len(p.Communities) == 0 {
		return p, shequn.Invalid("selector", "selector: matches no group")
	}
	au := &shequn.Automation{}
	p.Sample = schedule.Render(text, schedule.Vars(au, p.Communities[0], a.Clock.Now().In(p.Communities[0].Location(ws.Location()))))
	p.NeedsApproval = len(p.Communities) >= shequn.BroadcastApprovalAt
	p.Duration = time.Duration(stagger*(len(p.Communities)-1)) * time.Second
	return p, nil
}

func checkBroadcast(text string, stagger int) error {
	switch {
	case strings.TrimSpace(text) == "":
		return shequn.Invalid("text", "text: required")
	case len(text) > 4000:
		return shequn.Invalid("text", "text: at most 4000 bytes")
	case stagger < 0 || stagger > 3600:
		return shequn.Invalid("stagger_seconds", "stagger_seconds: 0 to 3600")
	}
	return nil
}

// CreateBroadcast stores a broadcast. A small one is queued at once; one to
// BroadcastApprovalAt groups or more waits for a second operator.
func (a *App) CreateBroadcast(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, text string, sel shequn.Selector, stagger int) (*shequn.Broadcast, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	p, err := a.PreviewBroadcast(ctx, ws, text, sel, stagger)
	if err != nil {
		return nil, err
	}
	b := &shequn.Broadcast{WorkspaceID: ws.ID, Text: text, Selector: sel, StaggerSeconds: stagger, CreatedBy: opID(op), Status: shequn.BroadcastPending}
	for _, c := range p.Communities {
		b.CommunityIDs = append(b.CommunityIDs, c.ID)
	}
	var sends []*shequn.OutboxItem
	if !p.NeedsApproval {
		b.Status, b.ApprovedBy = shequn.BroadcastApproved, opID(op)
		sends = a.broadcastSends(ws, b, p.Communities)
	}
	return b, a.db.CreateBroadcast(ctx, b, sends)
}

// DecideBroadcast approves or rejects a pending broadcast. The approver
// must be another operator than its author.
func (a *App) DecideBroadcast(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, approve bool) (*shequn.Broadcast, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	b, err := a.db.FindBroadcast(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	if approve && (op == nil || b.CreatedBy == op.ID) {
		return nil, shequn.Errorf(shequn.EFORBIDDEN, "a second operator must approve a broadcast to %d groups, in the console", len(b.CommunityIDs))
	}
	status := shequn.BroadcastRejected
	var sends []*shequn.OutboxItem
	if approve {
		status = shequn.BroadcastApproved
		var cs []*shequn.Community
		for _, cid := range b.CommunityIDs {
			if c, err := a.db.FindCommunityByID(ctx, ws.ID, cid); err == nil {
				cs = append(cs, c)
			}
		}
		sends = a.broadcastSends(ws, b, cs)
	}
	if err := a.db.DecideBroadcast(ctx, ws.ID, id, status, opID(op), sends); err != nil {
		return nil, err
	}
	return a.db.FindBroadcast(ctx, ws.ID, id)
}

// broadcastSends are the staggered outbox rows: group i is due i×stagger
// seconds after now.
func (a *App) broadcastSends(ws *shequn.Workspace, b *shequn.Broadcast, cs []*shequn.Community) []*shequn.OutboxItem {
	now := a.Clock.Now()
	au := &shequn.Automation{}
	out := make([]*shequn.OutboxItem, 0, len(cs))
	for i, c := range cs {
		text := schedule.Render(b.Text, schedule.Vars(au, c, now.In(c.Location(ws.Location()))))
		due := now.Add(time.Duration(i*b.StaggerSeconds) * time.Second)
		out = append(out, textRow(ws.ID, strconv.FormatInt(c.ID, 10), c, 0, shequn.ActSend, text, due))
	}
	return out
}

// opID is the operator's id; 0 for an API token.
func opID(op *shequn.Operator) int64 {
	if op == nil {
		return 0
	}
	return op.ID
}

// FindBroadcasts lists ws's latest broadcasts.
func (a *App) FindBroadcasts(ctx context.Context, ws *shequn.Workspace, limit int) ([]*shequn.Broadcast, error) {
	return a.db.FindBroadcasts(ctx, ws.ID, limit)
}
