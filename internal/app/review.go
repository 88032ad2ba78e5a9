package app

import (
	"fmt"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// reviewOf decides what closing case c, whose actions were done, changes.
func reviewOf(c *shequn.ModerationCase, done []*shequn.OutboxItem, approve bool, by int64) sqlstore.Review {
	if approve {
		rv := sqlstore.Review{Status: shequn.CaseApproved, By: by}
		if c.Reason != shequn.ReasonBlocklist {
			rv.Sample = "spam"
		}
		return rv
	}
	rv := sqlstore.Review{Status: shequn.CaseOverturned, By: by, CancelOpen: true, Sample: "ham"}
	undo := map[string]string{"mute": "unmute", "ban": "unban"}
	for _, o := range done {
		act, ok := undo[o.Action]
		if !ok || o.Status == shequn.OutboxCancelled {
			continue
		}
		rv.Outbox = append(rv.Outbox, &shequn.OutboxItem{WorkspaceID: c.WorkspaceID, Platform: o.Platform, CommunityID: o.CommunityID,
			MemberID: o.MemberID, Action: act, CaseID: c.ID, Payload: "{}",
			IdempotencyKey: fmt.Sprintf("case:%d:%s:%d", c.ID, act, o.CommunityID)})
	}
	if c.Action == shequn.ActionBlocklist {
		rv.Unblock = c.MemberID
	}
	return rv
}
