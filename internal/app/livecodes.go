package app

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// LiveCodes lists ws's live codes with their targets (fill read now).
func (a *App) LiveCodes(ctx context.Context, ws *shequn.Workspace) ([]*shequn.LiveCode, error) {
	return a.db.FindLiveCodes(ctx, ws.ID)
}

// LiveCode returns one of ws's live codes with its targets.
func (a *App) LiveCode(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.LiveCode, error) {
	c, err := a.db.FindLiveCode(ctx, ws.ID, id)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, shequn.Errorf(shequn.ENOTFOUND, "live code %d not found", id)
	}
	return c, err
}

// SaveLiveCode creates a live code (ID 0) or changes one's settings.
func (a *App) SaveLiveCode(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, c *shequn.LiveCode) error {
	if err := canEdit(op); err != nil {
		return err
	}
	c.Mode = cmp.Or(c.Mode, shequn.LivePool)
	if err := shequn.CheckLiveCode(c); err != nil {
		return err
	}
	c.WorkspaceID = ws.ID
	var old *shequn.LiveCode
	if c.ID != 0 {
		var err error
		if old, err = a.LiveCode(ctx, ws, c.ID); err != nil {
			return err
		}
		if old.Mode != c.Mode {
			return shequn.Invalid("mode", "a live code's mode cannot change (it is %s)", old.Mode)
		}
	}
	if c.Mode == shequn.LiveWeCom {
		if err := a.checkWeComCode(ctx, ws, c, old); err != nil {
			return err
		}
	} else {
		c.ConnectorID, c.JoinWay = 0, nil
	}
	var err error
	if c.ID == 0 {
		err = a.db.CreateLiveCode(ctx, c)
	} else {
		err = a.db.UpdateLiveCode(ctx, c)
	}
	if shequn.ErrorCode(err) == shequn.ECONFLICT {
		e := shequn.Errorf(shequn.ECONFLICT, "slug %q is taken by another live code", c.Slug)
		e.Field = "slug"
		return e
	}
	if err != nil || c.Mode != shequn.LiveWeCom {
		return err
	}
	if err := a.syncCode(ctx, ws, c.ID); err != nil {
		return err
	}
	fresh, err := a.LiveCode(ctx, ws, c.ID)
	if err == nil {
		*c = *fresh
	}
	return err
}

// DeleteLiveCode removes a live code and its targets.
func (a *App) DeleteLiveCode(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.dropJoinWay(ctx, ws, id); err != nil {
		return err
	}
	err := a.db.DeleteLiveCode(ctx, ws.ID, id)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return shequn.Errorf(shequn.ENOTFOUND, "live code %d not found", id)
	}
	return err
}

// QRImageTypes are the pictures a target may be.
var QRImageTypes = []string{"image/png", "image/jpeg", "image/gif"}

// AddLiveTarget adds a group's QR picture to a live code: the picture must
// be a PNG, JPEG or GIF of at most shequn.MaxQRImage bytes in which a QR
// code can be read. A cap of 0 takes shequn.DefaultTargetCap, a zero
// expiry Days (or shequn.DefaultQRDays) from now, a position of 0 the
// next one.
func (a *App) AddLiveTarget(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, t *shequn.LiveTarget, image []byte) error {
	if err := canEdit(op); err != nil {
		return err
	}
	code, err := a.LiveCode(ctx, ws, t.LiveCodeID)
	if err != nil {
		return err
	}
	if len(code.Targets) >= shequn.MaxLiveTargets {
		return shequn.Errorf(shequn.EINVALID, "a live code holds at most %d targets", shequn.MaxLiveTargets)
	}
	if err := a.fillTarget(ctx, ws, code, t); err != nil {
		return err
	}
	if code.Mode == shequn.LiveWeCom {
		if err := a.db.AddLiveTarget(ctx, ws.ID, t, []byte{}); err != nil {
			return err
		}
		return a.syncCode(ctx, ws, code.ID)
	}
	if t.ImageType, t.QRText, err = readQR(image); err != nil {
		return err
	}
	return a.db.AddLiveTarget(ctx, ws.ID, t, image)
}

// fillTarget checks a new target and fills in its defaults.
func (a *App) fillTarget(ctx context.Context, ws *shequn.Workspace, code *shequn.LiveCode, t *shequn.LiveTarget) error {
	now := a.Clock.Now()
	if t.Cap == 0 {
		t.Cap = code.GroupCap()
	}
	if t.Position == 0 {
		for _, o := range code.Targets {
			t.Position = max(t.Position, o.Position)
		}
		t.Position++
	}
	if code.Mode == shequn.LiveWeCom {
		return a.weComTarget(ctx, ws, code, t, now)
	}
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.AddDate(0, 0, cmp.Or(t.Days, shequn.DefaultQRDays))
	}
	if !t.ExpiresAt.After(now) || t.ExpiresAt.After(now.AddDate(1, 0, 0)) {
		return shequn.Invalid("expires_at", "expires_at: after now and within a year")
	}
	if err := shequn.CheckLiveTarget(t); err != nil {
		return err
	}
	if t.CommunityID != 0 {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, t.CommunityID); err != nil {
			return err
		}
	}
	return nil
}

// readQR checks an uploaded QR picture and returns its type and the text
// of its code.
func readQR(image []byte) (typ, text string, err error) {
	switch {
	case len(image) == 0:
		return "", "", shequn.Invalid("image", "a QR picture is required")
	case len(image) > shequn.MaxQRImage:
		return "", "", shequn.Errorf(shequn.ETOOLARGE, "the picture is larger than %d KB", shequn.MaxQRImage>>10)
	}
	typ = http.DetectContentType(image)
	if !slices.Contains(QRImageTypes, typ) {
		return "", "", shequn.Invalid("image", "the file is not a PNG, JPEG or GIF picture")
	}
	text, found := moderation.DecodeQR(image)
	if !found {
		return "", "", shequn.Invalid("image", "no QR code could be read in the picture")
	}
	return typ, shequn.Clip(text, 2000), nil
}

// DeleteLiveTarget removes a target from a live code.
func (a *App) DeleteLiveTarget(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, code, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	err := a.db.DeleteLiveTarget(ctx, ws.ID, code, id)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return shequn.Errorf(shequn.ENOTFOUND, "live code target %d not found", id)
	}
	if err != nil {
		return err
	}
	return a.syncCode(ctx, ws, code)
}

// JoinPage is what a live code's public page shows.
type JoinPage struct {
	Workspace *shequn.Workspace
	Code      *shequn.LiveCode
	// Target is the QR shown; nil when every target is full or expired
	// (the page shows the fallback).
	Target *shequn.LiveTarget
}

// OpenLiveCode picks the QR a visitor of workspace wsSlug's live code slug
// sees now, and counts the showing when count is set.
func (a *App) OpenLiveCode(ctx context.Context, wsSlug, slug string, count bool) (JoinPage, error) {
	var p JoinPage
	ws, err := a.db.FindWorkspaceBySlug(ctx, wsSlug)
	if err != nil {
		return p, err
	}
	code, err := a.db.FindLiveCodeBySlug(ctx, ws.ID, slug)
	if err != nil {
		return p, err
	}
	p.Workspace, p.Code = ws, code
	if code.Mode == shequn.LiveWeCom {
		if code.HasQR && code.JoinWay != nil && (code.FreeSeats(a.Clock.Now()) > 0 || code.JoinWay.AutoCreateRoom) {
			p.Target = &shequn.LiveTarget{LiveCodeID: code.ID, Label: code.Name}
		}
		return p, nil
	}
	t, ok := code.Pick(a.Clock.Now())
	if !ok {
		return p, nil
	}
	p.Target = &t
	if count {
		return p, a.db.CountLiveScan(ctx, ws.ID, t.ID)
	}
	return p, nil
}

// LiveCodeImage returns the QR picture of a target of workspace wsSlug's
// live code slug (its public page's picture).
func (a *App) LiveCodeImage(ctx context.Context, wsSlug, slug string, target int64) (string, []byte, error) {
	ws, err := a.db.FindWorkspaceBySlug(ctx, wsSlug)
	if err != nil {
		return "", nil, err
	}
	code, err := a.db.LiveCodeID(ctx, ws.ID, slug)
	if err != nil {
		return "", nil, err
	}
	return a.LiveTargetImage(ctx, ws, code, target)
}

// LiveTargetImage returns the QR picture of a target of ws's live code.
// Target 0 is a WeCom code's join-way QR.
func (a *App) LiveTargetImage(ctx context.Context, ws *shequn.Workspace, code, target int64) (string, []byte, error) {
	if target == 0 {
		return a.db.LiveCodeQR(ctx, ws.ID, code)
	}
	return a.db.LiveTargetImage(ctx, ws.ID, code, target)
}

// ExpiryNotice is how long before a QR expires its alert is raised.
const ExpiryNotice = 24 * time.Hour

// detectLiveCodes raises an alert for every QR that expires within a day
// (once per target) and for every live code whose free seats fell below
// its threshold (once per code and day).
func (a *App) detectLiveCodes(ctx context.Context, ws *shequn.Workspace, _ map[int64]*shequn.Community, _ []*shequn.Automation, now time.Time) error {
	codes, err := a.db.FindLiveCodes(ctx, ws.ID)
	if err != nil || len(codes) == 0 {
		return err
	}
	day := now.In(ws.Location()).Format(time.DateOnly)
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		for _, c := range codes {
			for _, t := range c.Targets {
				if !now.Before(t.ExpiresAt) || t.ExpiresAt.Sub(now) > ExpiryNotice {
					continue
				}
				al := &shequn.Alert{Kind: shequn.AlertQRExpiring, CommunityID: t.CommunityID, Key: fmt.Sprintf("qr_expiring:%d", t.ID),
					Details: map[string]any{"live_code": c.Name, "target": t.Label, "expires_at": t.ExpiresAt.Format(time.RFC3339)}}
				if err := a.raise(ctx, tx, ws, al); err != nil {
					return err
				}
			}
			if free := c.FreeSeats(now); c.AlertSeats > 0 && free < c.AlertSeats {
				al := &shequn.Alert{Kind: shequn.AlertLiveCodeLow, Key: fmt.Sprintf("live_code_low:%d:%s", c.ID, day),
					Details: map[string]any{"live_code": c.Name, "free_seats": free, "alert_seats": c.AlertSeats}}
				if err := a.raise(ctx, tx, ws, al); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// LiveTargetForm reads a target's fields from a form (the console's and
// the API's upload): label, cap, held, position, community_id, and either
// expires_at (RFC 3339, or a day: valid through its end in loc) or days.
func LiveTargetForm(get func(string) string, loc *time.Location) (shequn.LiveTarget, error) {
	var t shequn.LiveTarget
	var err error
	num := func(field string) int {
		v := strings.TrimSpace(get(field))
		if v == "" || err != nil {
			return 0
		}
		n, perr := strconv.Atoi(v)
		if perr != nil {
			err = shequn.Invalid(field, "%s %q: want a whole number", field, shequn.Clip(v, 40))
		}
		return n
	}
	t.Label, t.Cap, t.Held, t.Position = get("label"), num("cap"), num("held"), num("position")
	t.CommunityID, t.Days = int64(num("community_id")), num("days")
	if err != nil {
		return t, err
	}
	v := strings.TrimSpace(get("expires_at"))
	if v == "" {
		return t, nil
	}
	if at, err := time.Parse(time.RFC3339, v); err == nil {
		t.ExpiresAt = at
		return t, nil
	}
	day, perr := time.ParseInLocation(time.DateOnly, v, loc)
	if perr != nil {
		return t, shequn.Invalid("expires_at", "expires_at %q: want a day (YYYY-MM-DD) or an RFC 3339 time", shequn.Clip(v, 40))
	}
	t.ExpiresAt = day.AddDate(0, 0, 1)
	return t, nil
}
