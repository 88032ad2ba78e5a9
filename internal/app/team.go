package app

import (
	"context"

	"github.com/shequn/shequn"
)

// canManage says whether op may manage the workspace's team and API
// tokens: owners and admins (an admin may not make an owner).
func canManage(op *shequn.Operator) error {
	if op != nil && op.Role != shequn.RoleOwner && op.Role != shequn.RoleAdmin {
		return shequn.Errorf(shequn.EFORBIDDEN, "only an owner or an admin may manage the team and API tokens")
	}
	return nil
}

// Team lists ws's operators.
func (a *App) Team(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Operator, error) {
	return a.db.FindOperators(ctx, ws.ID)
}

// AddOperator gives someone a login to ws, with a role.
func (a *App) AddOperator(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, email, name, password string, role shequn.Role) (*shequn.Operator, error) {
	if err := canManage(op); err != nil {
		return nil, err
	}
	if op != nil && op.Role == shequn.RoleAdmin && role == shequn.RoleOwner {
		return nil, shequn.Invalid("role", "an admin may not make an owner")
	}
	o, err := a.CreateOperator(ctx, ws.Slug, email, name, password, role)
	if err == nil {
		o.PasswordHash = ""
	}
	return o, err
}

// Tokens lists ws's API tokens (never their secrets).
func (a *App) Tokens(ctx context.Context, ws *shequn.Workspace) ([]*shequn.APIToken, error) {
	return a.db.FindTokens(ctx, ws.ID)
}

// CreateTokenBy makes an API token for ws; its secret is returned once.
func (a *App) CreateTokenBy(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, name string) (string, *shequn.APIToken, error) {
	if err := canManage(op); err != nil {
		return "", nil, err
	}
	return a.CreateToken(ctx, ws.Slug, name)
}

// RevokeToken deletes an API token: calls with it are refused at once.
func (a *App) RevokeToken(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, id int64) error {
	if err := canManage(op); err != nil {
		return err
	}
	if err := a.db.DeleteToken(ctx, ws.ID, id); err != nil {
		return err
	}
	a.Log.Info("api token revoked", "workspace", ws.Slug, "id", id, "operator", opID(op))
	return nil
}
