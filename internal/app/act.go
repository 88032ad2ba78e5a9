package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/schedule"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// subject is what a rule fired about: a group, maybe a member, and the
// event or condition that fired it (Key makes each action happen once).
type subject struct {
	Community *shequn.Community
	MemberID  int64
	Vars      map[string]string // name, inviter, …
	Key       string
	At        time.Time
	Details   map[string]any
}

// act performs a rule's actions for s in tx, each exactly once.
func (a *App) act(ctx context.Context, tx *sqlstore.ActTx, ws *shequn.Workspace, au *shequn.Automation, s subject) error {
	ok, err := a.conditionsHold(ctx, ws, au.Conditions, s.MemberID)
	if err != nil || !ok {
		return err
	}
	loc := s.Community.Location(ws.Location())
	vars := schedule.Vars(au, s.Community, s.At.In(loc))
	for k, v := range s.Vars {
		vars[k] = v
	}
	base := "rule:" + strconv.FormatInt(au.ID, 10) + ":" + s.Key
	for i, ac := range au.Actions {
		key := base + ":" + strconv.Itoa(i)
		text := schedule.Render(ac.Text, vars)
		due := schedule.Defer(au.QuietHours, a.Clock.Now(), loc)
		var err error
		switch ac.Kind {
		case shequn.DoSend, shequn.DoDM:
			action, member := shequn.ActSend, int64(0)
			if ac.Kind == shequn.DoDM {
				action, member = shequn.ActDM, s.MemberID
			}
			err = tx.AddOutbox(ctx, []*shequn.OutboxItem{textRow(ws.ID, key, s.Community, member, action, text, due)})
		case shequn.DoTag:
			err = tx.TagMember(ctx, s.MemberID, ac.Tag)
		case shequn.DoAward:
			_, err = tx.Post(ctx, &shequn.PointsEntry{MemberID: s.MemberID, Amount: ac.Points, Kind: shequn.PointsGrant,
				Reason: "automation: " + au.Name, IdempotencyKey: key})
		case shequn.DoNotify:
			details := map[string]any{"automation": au.Name, "text": text}
			for k, v := range s.Details {
				details[k] = v
			}
			err = a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertAutomation, CommunityID: s.Community.ID, MemberID: s.MemberID, Key: key, Details: details})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// conditionsHold checks a rule's member conditions.
func (a *App) conditionsHold(ctx context.Context, ws *shequn.Workspace, c shequn.Conditions, member int64) (bool, error) {
	if len(c.Tiers) > 0 {
		st, err := a.db.FindStanding(ctx, ws.ID, member)
		if shequn.ErrorCode(err) == shequn.ENOTFOUND {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if !slices.Contains(c.Tiers, st.Tier) {
			return false, nil
		}
	}
	if c.MinLevel > 0 {
		_, sum, err := a.db.Balance(ctx, ws.ID, member)
		if err != nil {
			return false, err
		}
		if lvl, _ := shequn.LevelOf(sum); lvl < c.MinLevel {
			return false, nil
		}
	}
	return true, nil
}

// raise opens an alert (once per key) and, when it is new, queues its
// notice to the operators' webhook.
func (a *App) raise(ctx context.Context, tx *sqlstore.ActTx, ws *shequn.Workspace, al *shequn.Alert) error {
	fresh, err := tx.AddAlert(ctx, al)
	if err != nil || !fresh {
		return err
	}
	return tx.AddOutbox(ctx, []*shequn.OutboxItem{shequn.NewOutboxItem(ws.ID, "alert:"+al.Key, shequn.PlatformOperators,
		al.CommunityID, al.MemberID, shequn.ActNotify, shequn.OutboxPayload{Alert: al})})
}

func textRow(ws int64, key string, c *shequn.Community, member int64, action, text string, due time.Time) *shequn.OutboxItem {
	row := shequn.NewOutboxItem(ws, key, c.Platform, c.ID, member, action, shequn.OutboxPayload{Text: text})
	row.DueAt = due
	return row
}
