package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// JoinWayRetry is how long a live code whose join way failed to sync waits
// before the tick tries WeCom again (an edit retries at once).
const JoinWayRetry = 5 * time.Minute

// checkWeComCode checks a WeCom live code's connector and keeps what WeCom
// answered before (config id, chats, QR address) across an edit.
func (a *App) checkWeComCode(ctx context.Context, ws *shequn.Workspace, c, old *shequn.LiveCode) error {
	conn, err := a.db.FindConnector(ctx, ws.ID, c.ConnectorID)
	if err != nil || conn.Status == shequn.ConnectorDeleted || conn.Platform != "wecom" {
		return shequn.Invalid("connector_id", "connector %d is not one of this workspace's WeCom connectors", c.ConnectorID)
	}
	if old != nil && old.JoinWay != nil {
		c.JoinWay.ConfigID, c.JoinWay.ChatIDs, c.JoinWay.QRCode = old.JoinWay.ConfigID, old.JoinWay.ChatIDs, old.JoinWay.QRCode
	} else {
		c.JoinWay.ConfigID, c.JoinWay.ChatIDs, c.JoinWay.QRCode = "", nil, ""
	}
	return nil
}

// SyncJoinWays brings every WeCom live code's join way in line with its
// groups' fill: full groups pruned, the next ones chained in, groups WeCom
// created adopted. A code whose chats are unchanged costs no WeCom call.
func (a *App) SyncJoinWays(ctx context.Context, ws *shequn.Workspace, now time.Time) error {
	if a.connectors == nil {
		return nil
	}
	codes, err := a.db.FindLiveCodes(ctx, ws.ID)
	if err != nil {
		return err
	}
	var cs []*shequn.Community
	for _, c := range codes {
		if c.Mode != shequn.LiveWeCom || c.JoinWay == nil {
			continue
		}
		if cs == nil {
			if cs, err = a.db.ListCommunities(ctx, ws.ID); err != nil {
				return err
			}
		}
		if err := a.syncJoinWay(ctx, ws, c, cs, now, false); err != nil {
			return err
		}
	}
	return nil
}

// syncCode syncs one code after an edit: its settings are sent even when
// its chats are unchanged, and a failure is retried at once.
func (a *App) syncCode(ctx context.Context, ws *shequn.Workspace, id int64) error {
	c, err := a.db.FindLiveCode(ctx, ws.ID, id)
	if err != nil || c.Mode != shequn.LiveWeCom || a.connectors == nil {
		return err
	}
	cs, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return err
	}
	return a.syncJoinWay(ctx, ws, c, cs, a.Clock.Now(), true)
}

// syncJoinWay adopts the groups WeCom created for c, works out the chats
// its join way should list and, when they changed (or it was never made,
// or its QR is missing), adds or updates it and keeps its QR picture. A
// WeCom failure is kept on the code (shown in the console), not returned.
func (a *App) syncJoinWay(ctx context.Context, ws *shequn.Workspace, c *shequn.LiveCode, cs []*shequn.Community, now time.Time, force bool) error {
	if err := a.adoptRooms(ctx, ws, c, cs); err != nil {
		return err
	}
	chat := func(id int64) string {
		for _, g := range cs {
			if g.ID == id && g.Platform == "wecom" {
				return g.ExternalID
			}
		}
		return ""
	}
	want := c.WantedChats(now, chat)
	w := *c.JoinWay
	needQR := w.Scene == 2 && !c.HasQR
	if len(want) == 0 || (!force && w.ConfigID != "" && slices.Equal(want, w.ChatIDs) && !needQR && c.SyncError == "") {
		return nil
	}
	if last, ok := a.joinWayFailed.Load(c.ID); ok && !force && now.Sub(last.(time.Time)) < JoinWayRetry {
		return nil
	}
	w.ChatIDs, w.State = want, c.ChannelState()
	syncErr, typ, img := a.pushJoinWay(ctx, ws, c, &w)
	if syncErr != "" {
		a.joinWayFailed.Store(c.ID, now)
		a.Log.Warn("join way sync failed", "workspace", ws.Slug, "live_code", c.ID, "error", syncErr)
	} else {
		a.joinWayFailed.Delete(c.ID)
	}
	if w.ConfigID == "" {
		return a.db.SaveJoinWay(ctx, ws.ID, c.ID, c.JoinWay, syncErr, "", nil)
	}
	return a.db.SaveJoinWay(ctx, ws.ID, c.ID, &w, syncErr, typ, img)
}

// pushJoinWay sends w to WeCom and fetches its QR picture; it returns the
// error's message ("" when all went through) and the picture.
func (a *App) pushJoinWay(ctx context.Context, ws *shequn.Workspace, c *shequn.LiveCode, w *shequn.JoinWay) (string, string, []byte) {
	conn, err := a.db.FindConnector(ctx, ws.ID, c.ConnectorID)
	if err != nil {
		return shequn.ErrorMessage(err), "", nil
	}
	j, err := a.connectors.JoinWays(conn)
	if err == nil {
		err = j.SaveJoinWay(ctx, w)
	}
	if err != nil {
		return platformError(err), "", nil
	}
	if w.Scene != 2 {
		return "", "", nil
	}
	img, err := j.JoinWayQR(ctx, w)
	if err != nil {
		return platformError(err), "", nil
	}
	typ, _, err := readQR(img)
	if err != nil {
		return "the join way's QR picture: " + shequn.ErrorMessage(err), "", nil
	}
	return "", typ, img
}

// adoptRooms adds as targets the WeCom groups the join way created once
// its chats were full: groups named after its room_base_name that shequn
// first saw after the code was made.
func (a *App) adoptRooms(ctx context.Context, ws *shequn.Workspace, c *shequn.LiveCode, cs []*shequn.Community) error {
	w := c.JoinWay
	if !w.AutoCreateRoom || w.RoomBaseName == "" || len(c.Targets) >= shequn.MaxLiveTargets {
		return nil
	}
	for _, g := range cs {
		if g.Platform != "wecom" || !strings.HasPrefix(g.Name, w.RoomBaseName) || g.CreatedAt.Before(c.CreatedAt) ||
			slices.ContainsFunc(c.Targets, func(t shequn.LiveTarget) bool { return t.CommunityID == g.ID }) {
			continue
		}
		t := shequn.LiveTarget{LiveCodeID: c.ID, CommunityID: g.ID, Label: shequn.Clip(g.Name, 60)}
		if err := a.fillTarget(ctx, ws, c, &t); err != nil {
			return fmt.Errorf("adopt group %d: %w", g.ID, err)
		}
		if err := a.db.AddLiveTarget(ctx, ws.ID, &t, []byte{}); err != nil {
			return err
		}
		c.Targets = append(c.Targets, t)
		a.Log.Info("join way group adopted", "workspace", ws.Slug, "live_code", c.ID, "community", g.ID)
	}
	return nil
}

// weComTarget checks a WeCom code's target: a WeCom group shequn knows,
// not already a target; it never expires (join ways do not).
func (a *App) weComTarget(ctx context.Context, ws *shequn.Workspace, code *shequn.LiveCode, t *shequn.LiveTarget, now time.Time) error {
	g, err := a.db.FindCommunityByID(ctx, ws.ID, t.CommunityID)
	if t.CommunityID == 0 || err != nil || g.Platform != "wecom" {
		return shequn.Invalid("community_id", "a WeCom live code's target is one of the workspace's WeCom groups")
	}
	if slices.ContainsFunc(code.Targets, func(o shequn.LiveTarget) bool { return o.CommunityID == g.ID }) {
		return shequn.Invalid("community_id", "group %q is already a target of this live code", g.Name)
	}
	t.Label = cmp.Or(t.Label, shequn.Clip(g.Name, 60))
	t.ExpiresAt = now.AddDate(100, 0, 0)
	return shequn.CheckLiveTarget(t)
}

// dropJoinWay removes a WeCom code's join way before the code goes; a
// connector that is gone leaves nothing to remove.
func (a *App) dropJoinWay(ctx context.Context, ws *shequn.Workspace, id int64) error {
	c, err := a.db.FindLiveCode(ctx, ws.ID, id)
	if err != nil || c.Mode != shequn.LiveWeCom || c.JoinWay == nil || c.JoinWay.ConfigID == "" || a.connectors == nil {
		return nil
	}
	conn, err := a.db.FindConnector(ctx, ws.ID, c.ConnectorID)
	if err != nil || conn.Status == shequn.ConnectorDeleted {
		return nil
	}
	j, err := a.connectors.JoinWays(conn)
	if err == nil {
		err = j.DeleteJoinWay(ctx, c.JoinWay.ConfigID)
	}
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "WeCom did not remove the join way: %s", platformError(err))
	}
	return nil
}

// platformError is what an operator is told of a platform call's failure:
// the platform's own words (the connector runtime has removed the secret),
// or shequn's message for its own errors.
func platformError(err error) string {
	if code := shequn.ErrorCode(err); code != shequn.EINTERNAL {
		return shequn.ErrorMessage(err)
	}
	return shequn.Clip(err.Error(), 300)
}
