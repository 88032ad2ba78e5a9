package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// MaxPoints bounds one ledger entry.
const MaxPoints = 1_000_000

// AdjustPoints grants (amount > 0) or deducts (amount < 0) points by hand,
// with a reason; key makes a retried request count once (empty: a new key).
func (a *App) AdjustPoints(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, member, amount int64, reason, key string) (*shequn.PointsEntry, bool, error) {
	var by *int64
	if op != nil {
		if !op.CanEdit() {
			return nil, false, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not change points")
		}
		by = &op.ID
	}
	switch {
	case amount == 0 || amount > MaxPoints || amount < -MaxPoints:
		return nil, false, shequn.Invalid("amount", "amount %d: want a non-zero number within ±%d", amount, MaxPoints)
	case strings.TrimSpace(reason) == "":
		return nil, false, shequn.Invalid("reason", "reason: required for a manual grant or deduction")
	case len(key) > shequn.MaxIDLen:
		return nil, false, shequn.Invalid("key", "key: at most %d bytes", shequn.MaxIDLen)
	}
	if err := checkText("reason", reason, maxReasonLen); err != nil {
		return nil, false, err
	}
	if _, err := a.db.FindMemberByID(ctx, ws.ID, member); err != nil {
		return nil, false, err
	}
	if key == "" {
		key = "manual:" + randomToken()
	}
	e := &shequn.PointsEntry{MemberID: member, Amount: amount, Kind: shequn.PointsGrant, Reason: reason, IdempotencyKey: key, OperatorID: by}
	if amount < 0 {
		e.Kind = shequn.PointsDeduct
	}
	var posted bool
	err := a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) (err error) {
		posted, err = tx.Post(ctx, e)
		return err
	})
	if err == nil && posted {
		a.Log.Info("points adjusted", "workspace", ws.ID, "member", member, "amount", amount, "operator", by)
	}
	return e, posted, err
}

// CreateReward adds a reward to the catalog.
func (a *App) CreateReward(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, r *shequn.Reward) error {
	if err := canEdit(op); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(r.Name) == "" || len(r.Name) > shequn.MaxNameLen:
		return shequn.Invalid("name", "name: 1 to %d bytes", shequn.MaxNameLen)
	case r.Kind != "physical" && r.Kind != "virtual":
		return shequn.Invalid("kind", "kind %q: want physical or virtual", r.Kind)
	case r.Cost <= 0 || r.Cost > MaxPoints:
		return shequn.Invalid("cost", "cost %d: want 1 to %d", r.Cost, MaxPoints)
	case r.Stock != nil && *r.Stock < 0:
		return shequn.Invalid("stock", "stock: must not be negative")
	case r.PerMemberLimit < 0:
		return shequn.Invalid("per_member_limit", "per_member_limit: must not be negative")
	}
	r.WorkspaceID = ws.ID
	return a.db.CreateReward(ctx, r)
}

// RedeemFor redeems a reward for a member on an operator's behalf (a
// member who asked in a private chat, an offline event).
func (a *App) RedeemFor(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, member, reward int64, delivery, key string) (*shequn.Redemption, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	if _, err := a.db.FindMemberByID(ctx, ws.ID, member); err != nil {
		return nil, err
	}
	rd, err := a.Redeem(ctx, ws, member, reward, delivery, key)
	if err == nil && op != nil {
		a.Log.Info("redeemed for a member", "workspace", ws.ID, "member", member, "reward", reward, "operator", op.ID)
	}
	return rd, err
}

// Redeem spends a member's points on a reward. It never double-spends (key
// makes a retry return the first redemption), never drives the balance
// below zero and never takes more than the stock.
func (a *App) Redeem(ctx context.Context, ws *shequn.Workspace, member, reward int64, delivery, key string) (*shequn.Redemption, error) {
	if key == "" {
		key = randomToken()
	}
	if len(key) > shequn.MaxIDLen || len(delivery) > 2000 {
		return nil, shequn.Errorf(shequn.EINVALID, "idempotency key or delivery details too long")
	}
	var out *shequn.Redemption
	var token string
	err := a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) (err error) {
		out, token, err = redeemIn(ctx, tx, member, reward, delivery, key)
		return err
	})
	if err == nil && token != "" {
		out.DeliveryLink = strings.TrimRight(a.PublicURL, "/") + DeliveryPath(token)
	}
	return out, err
}

// redeemIn redeems inside a ledger transaction (also a pipeline batch's).
// A physical reward redeemed without delivery details gets a private link
// for the member to give them; its token is returned (else "").
func redeemIn(ctx context.Context, tx *sqlstore.PointsTx, member, reward int64, delivery, key string) (*shequn.Redemption, string, error) {
	if prev, err := tx.FindRedemptionByKey(ctx, key); err == nil {
		return prev, "", nil
	} else if shequn.ErrorCode(err) != shequn.ENOTFOUND {
		return nil, "", err
	}
	r, err := tx.FindReward(ctx, reward)
	if err != nil {
		return nil, "", err
	}
	if !r.Active {
		return nil, "", shequn.Errorf(shequn.ECONFLICT, "%s is no longer offered", r.Name)
	}
	spend := &shequn.PointsEntry{MemberID: member, Amount: -r.Cost, Kind: shequn.PointsSpend, Reason: "redeem " + r.Name, IdempotencyKey: "redeem:" + key}
	if _, err := tx.Post(ctx, spend); err != nil {
		return nil, "", err
	}
	if err := withinLimit(ctx, tx, r, member); err != nil {
		return nil, "", err
	}
	if r.Stock != nil {
		if ok, err := tx.TakeStock(ctx, r.ID); err != nil {
			return nil, "", err
		} else if !ok {
			return nil, "", shequn.Errorf(shequn.ECONFLICT, "%s is out of stock", r.Name)
		}
	}
	out := &shequn.Redemption{RewardID: r.ID, MemberID: member, Cost: r.Cost, Delivery: strings.TrimSpace(delivery), IdempotencyKey: key}
	if err := tx.InsertRedemption(ctx, out); err != nil {
		return nil, "", err
	}
	if r.Kind != "physical" || out.Delivery != "" {
		return out, "", nil
	}
	token := randomToken()
	out.AwaitingDelivery = true
	return out, token, tx.SetDeliveryToken(ctx, out.ID, hashSecret(token))
}

func withinLimit(ctx context.Context, tx *sqlstore.PointsTx, r *shequn.Reward, member int64) error {
	if r.PerMemberLimit <= 0 {
		return nil
	}
	n, err := tx.CountRedemptions(ctx, member, r.ID)
	if err != nil {
		return err
	}
	if n >= r.PerMemberLimit {
		return shequn.Errorf(shequn.ECONFLICT, "%s: at most %d per member", r.Name, r.PerMemberLimit)
	}
	return nil
}

// CloseRedemption fulfils a pending redemption, or cancels it with a refund
// and the stock put back.
func (a *App) CloseRedemption(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, fulfil bool) error {
	if err := canEdit(op); err != nil {
		return err
	}
	return a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) error {
		rd, err := tx.FindRedemption(ctx, id)
		if err != nil {
			return err
		}
		if fulfil && rd.AwaitingDelivery {
			return shequn.Errorf(shequn.ECONFLICT, "redemption %d is waiting for the member's delivery details", id)
		}
		if fulfil {
			return tx.CloseRedemption(ctx, id, shequn.RedemptionFulfilled)
		}
		if err := tx.CloseRedemption(ctx, id, shequn.RedemptionCancelled); err != nil {
			return err
		}
		refund := &shequn.PointsEntry{MemberID: rd.MemberID, Amount: rd.Cost, Kind: shequn.PointsRefund,
			Reason: "cancelled redemption " + strconv.FormatInt(id, 10), IdempotencyKey: "refund:" + strconv.FormatInt(id, 10)}
		if _, err := tx.Post(ctx, refund); err != nil {
			return err
		}
		return tx.ReturnStock(ctx, rd.RewardID)
	})
}

// SavePointsRule validates and stores what earns points.
func (a *App) SavePointsRule(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, r shequn.PointsRule) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := checkRanges(0, 10_000, intField{"message", r.Message}, intField{"reply", r.Reply}, intField{"daily_cap", r.DailyCap},
		intField{"min_length", r.MinLength}, intField{"invite_stays", r.InviteStays}); err != nil {
		return err
	}
	return a.db.SavePointsRule(ctx, ws.ID, r)
}

// Leaderboard ranks ws's members by points earned in a period.
func (a *App) Leaderboard(ctx context.Context, ws *shequn.Workspace, period string, community int64, limit int) ([]shequn.LeaderboardRow, error) {
	return a.db.Leaderboard(ctx, ws.ID, period, community, limit)
}

// FindRewards lists ws's reward catalog.
func (a *App) FindRewards(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Reward, error) {
	return a.db.FindRewards(ctx, ws.ID)
}

// FindRedemptions lists ws's redemptions, of one status when set.
func (a *App) FindRedemptions(ctx context.Context, ws *shequn.Workspace, status string, limit int) ([]*shequn.Redemption, error) {
	return a.db.FindRedemptions(ctx, ws.ID, status, limit)
}

// FindPointsRule returns ws's points rule.
func (a *App) FindPointsRule(ctx context.Context, ws *shequn.Workspace) (shequn.PointsRule, error) {
	return a.db.FindPointsRule(ctx, ws.ID)
}

// MemberPoints returns a member's balance and latest ledger entries.
func (a *App) MemberPoints(ctx context.Context, ws *shequn.Workspace, member int64, limit int) (int64, []*shequn.PointsEntry, error) {
	if _, err := a.db.FindMemberByID(ctx, ws.ID, member); err != nil {
		return 0, nil, err
	}
	bal, _, err := a.db.Balance(ctx, ws.ID, member)
	if err != nil {
		return 0, nil, err
	}
	entries, err := a.db.PointsHistory(ctx, ws.ID, member, limit, ws.Location())
	return bal, entries, err
}
