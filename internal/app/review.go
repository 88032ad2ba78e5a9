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
	undo := map[string]string{shequn.ActMute: shequn.ActUnmute, shequn.ActBan: shequn.ActUnban}
	for _, o := range done {
		act, ok := undo[o.Action]
		if !ok || o.Status == shequn.OutboxCancelled {
			continue
		}
		row := shequn.NewOutboxItem(c.WorkspaceID, fmt.Sprintf("case:%d:%s:%d", c.ID, act, o.CommunityID), o.Platform, o.CommunityID, o.MemberID, act, shequn.OutboxPayload{})
		row.CaseID = c.ID
		rv.Outbox = append(rv.Outbox, row)
	}
	if c.Action == shequn.ActionBlocklist {
		rv.Unblock = c.MemberID
	}
	return rv
}
