package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// DeliveryPath is the path of a private delivery-details link.
func DeliveryPath(token string) string { return "/delivery/" + token }

// Delivery is what a member gives for a physical reward, on the private
// page (never in a group).
type Delivery struct {
	Name, Phone, Address string
}

// DeliveryPage finds the redemption and reward of a private link.
func (a *App) DeliveryPage(ctx context.Context, token string) (*shequn.Redemption, *shequn.Reward, error) {
	if token == "" || len(token) > 64 {
		return nil, nil, shequn.Errorf(shequn.ENOTFOUND, "no such link")
	}
	rd, err := a.db.FindRedemptionByToken(ctx, hashSecret(token))
	if err != nil {
		return nil, nil, err
	}
	rw, err := a.db.FindReward(ctx, rd.WorkspaceID, rd.RewardID)
	return rd, rw, err
}

// SubmitDelivery stores the delivery details given on a private page,
// once: a second submission, or one after the redemption closed, is a
// conflict.
func (a *App) SubmitDelivery(ctx context.Context, token string, d Delivery) (*shequn.Redemption, error) {
	rd, _, err := a.DeliveryPage(ctx, token)
	if err != nil {
		return nil, err
	}
	if !rd.AwaitingDelivery {
		return nil, shequn.Errorf(shequn.ECONFLICT, "the delivery details were already given")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"name", d.Name, 50}, {"phone", d.Phone, 30}, {"address", d.Address, 300}} {
		v := strings.TrimSpace(f.v)
		if v == "" {
			return nil, shequn.Invalid(f.name, "%s: required", f.name)
		}
		if err := checkText(f.name, v, f.max); err != nil {
			return nil, err
		}
	}
	if digits := countDigits(d.Phone); digits < 5 || utf8.RuneCountInString(d.Phone) > 30 {
		return nil, shequn.Invalid("phone", "phone: want a phone number")
	}
	text := strings.TrimSpace(d.Name) + " / " + strings.TrimSpace(d.Phone) + " / " + strings.TrimSpace(d.Address)
	if err := a.db.SaveDelivery(ctx, rd.WorkspaceID, rd.ID, text); err != nil {
		return nil, err
	}
	a.Log.Info("delivery details given", "workspace", rd.WorkspaceID, "redemption", rd.ID)
	rd.Delivery, rd.AwaitingDelivery = text, false
	return rd, nil
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// NewDeliveryLink makes a fresh private link for a redemption still
// waiting for delivery details (an operator sends it to the member
// privately); the old link stops working.
func (a *App) NewDeliveryLink(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) (string, error) {
	if err := canEdit(op); err != nil {
		return "", err
	}
	rd, err := a.db.FindRedemption(ctx, ws.ID, id)
	if err != nil {
		return "", err
	}
	if !rd.AwaitingDelivery || rd.Status != shequn.RedemptionPending {
		return "", shequn.Errorf(shequn.ECONFLICT, "redemption %d is not waiting for delivery details", id)
	}
	token := randomToken()
	if err := a.db.SetDeliveryToken(ctx, ws.ID, id, hashSecret(token)); err != nil {
		return "", err
	}
	return strings.TrimRight(a.PublicURL, "/") + DeliveryPath(token), nil
}
