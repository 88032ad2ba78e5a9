package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

// AddInviteTarget adds a group of a platform with invite links (Telegram)
// to a pool live code: shequn makes an invite link to it through the
// group's connector, named with the code's channel code (so joins through
// it carry that source) and expiring with the target; the target's QR
// encodes the link, and the page also offers it as a button.
func (a *App) AddInviteTarget(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, t *shequn.LiveTarget) error {
	if err := canEdit(op); err != nil {
		return err
	}
	code, err := a.LiveCode(ctx, ws, t.LiveCodeID)
	if err != nil {
		return err
	}
	switch {
	case code.Mode != shequn.LivePool:
		return shequn.Invalid("invite", "invite links go in a pool live code")
	case len(code.Targets) >= shequn.MaxLiveTargets:
		return shequn.Errorf(shequn.EINVALID, "a live code holds at most %d targets", shequn.MaxLiveTargets)
	}
	g, err := a.db.FindCommunityByID(ctx, ws.ID, t.CommunityID)
	if t.CommunityID == 0 || err != nil || g.Platform != "telegram" {
		return shequn.Invalid("community_id", "an invite link is made for one of the workspace's Telegram groups")
	}
	if err := a.fillTarget(ctx, ws, code, t); err != nil {
		return err
	}
	link, err := a.inviteLink(ctx, ws, g, code.ChannelState(), t)
	if err != nil {
		return err
	}
	img, err := moderation.EncodeQR(link, 320)
	if err != nil {
		return err
	}
	t.Label, t.QRText, t.ImageType = cmp.Or(t.Label, shequn.Clip(g.Name, 60)), link, "image/png"
	return a.db.AddLiveTarget(ctx, ws.ID, t, img)
}

// inviteLink asks the workspace's running connector of g's platform for a
// link named name.
func (a *App) inviteLink(ctx context.Context, ws *shequn.Workspace, g *shequn.Community, name string, t *shequn.LiveTarget) (string, error) {
	cs, err := a.db.FindConnectors(ctx, ws.ID, "")
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(cs, func(c *shequn.Connector) bool { return c.Platform == g.Platform && c.Status == shequn.ConnectorActive })
	if i < 0 || a.connectors == nil {
		return "", shequn.Invalid("community_id", "no active %s connector to make the invite link with", g.Platform)
	}
	l, err := a.connectors.InviteLinks(cs[i])
	if err != nil {
		return "", err
	}
	link, err := l.CreateInviteLink(ctx, g.ExternalID, name, t.ExpiresAt)
	if err != nil {
		return "", shequn.Errorf(shequn.EINVALID, "%s did not make the invite link: %s", g.Platform, platformError(err))
	}
	return link, nil
}
