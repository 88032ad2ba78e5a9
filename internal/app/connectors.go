package app

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// ConnectorPlatforms are the platforms a connector can be made for: those
// of the connector runtime's registry (none without a runtime).
func (a *App) ConnectorPlatforms() []string {
	if a.connectors == nil {
		return nil
	}
	return a.connectors.Platforms()
}

// ConnectorHook returns the webhook endpoint of a connector running here.
func (a *App) ConnectorHook(id int64) (http.Handler, bool) {
	if a.connectors == nil {
		return nil, false
	}
	return a.connectors.Hook(id)
}

// CreateConnector stores a connector with its secret sealed. It starts
// paused: an operator tests it, then turns it on.
func (a *App) CreateConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, platform, name, config, secret string) (*shequn.Connector, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	platforms := a.ConnectorPlatforms()
	switch {
	case !slices.Contains(platforms, platform):
		return nil, shequn.Invalid("platform", "platform %q: want one of %s", platform, strings.Join(platforms, ", "))
	case strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 100:
		return nil, shequn.Invalid("name", "name: 1 to 100 characters")
	case !json.Valid([]byte(config)):
		return nil, shequn.Invalid("config", "config: not a JSON object")
	case len(secret) > 4096:
		return nil, shequn.Invalid("secret", "secret: at most 4096 bytes")
	case a.Secrets == nil:
		return nil, shequn.Errorf(shequn.EINTERNAL, "no secret key: connectors cannot be stored")
	}
	c := &shequn.Connector{WorkspaceID: ws.ID, Platform: platform, Name: strings.TrimSpace(name), Status: shequn.ConnectorPaused,
		Config: config, Secret: a.Secrets.Seal([]byte(secret))}
	if err := a.db.CreateConnector(ctx, c); err != nil {
		return nil, err
	}
	c.Secret = nil
	a.Log.Info("connector created", "workspace", ws.Slug, "platform", platform, "id", c.ID)
	return c, nil
}

// SetConnectorStatus turns a connector on (active) or off (paused).
func (a *App) SetConnectorStatus(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if status != shequn.ConnectorActive && status != shequn.ConnectorPaused {
		return shequn.Invalid("status", "status %q: want active or paused", status)
	}
	return a.db.SetConnectorStatus(ctx, ws.ID, id, status)
}

// TestConnector asks the platform whether the connector's credentials
// work. It makes an outbound request and records a failure, so viewers
// may not.
func (a *App) TestConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) (string, error) {
	if err := canEdit(op); err != nil {
		return "", err
	}
	c, err := a.db.FindConnector(ctx, ws.ID, id)
	if err != nil {
		return "", err
	}
	if a.connectors == nil {
		return "", shequn.Invalid("connectors", "connectors are not running in this process")
	}
	who, err := a.connectors.Test(ctx, c)
	if err != nil {
		a.db.ConnectorFailed(ctx, c.ID, shequn.ErrorMessage(err), a.Clock.Now())
	}
	return who, err
}

// Connectors lists a workspace's connectors, without their secrets.
func (a *App) Connectors(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Connector, error) {
	cs, err := a.db.FindConnectors(ctx, ws.ID, "")
	for _, c := range cs {
		c.Secret, c.State = nil, ""
	}
	return cs, err
}

// OpenSecret returns a connector's plain secret (for its runtime only).
func (a *App) OpenSecret(c *shequn.Connector) (string, error) {
	if len(c.Secret) == 0 {
		return "", nil
	}
	if a.Secrets == nil {
		return "", shequn.Errorf(shequn.EINTERNAL, "no secret key")
	}
	plain, err := a.Secrets.Open(c.Secret)
	return string(plain), err
}

// Redact removes secret from a message meant for logs, the console or the API.
func Redact(msg, secret string) string {
	if len(secret) < 4 {
		return msg
	}
	return strings.ReplaceAll(msg, secret, "[secret]")
}
