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

// CreateConnector stores a connector with its secret sealed, once its
// platform's adapter accepts the configuration. It starts paused: an
// operator tests it, then turns it on.
func (a *App) CreateConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, platform, name, config, secret string) (*shequn.Connector, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	platforms := a.ConnectorPlatforms()
	if !slices.Contains(platforms, platform) {
		return nil, shequn.Invalid("platform", "platform %q: want one of %s", platform, strings.Join(platforms, ", "))
	}
	c := &shequn.Connector{WorkspaceID: ws.ID, Platform: platform, Name: strings.TrimSpace(name), Status: shequn.ConnectorPaused, Config: config}
	if err := a.checkConnector(c, secret); err != nil {
		return nil, err
	}
	c.Secret = a.Secrets.Seal([]byte(secret))
	if err := a.db.CreateConnector(ctx, c); err != nil {
		return nil, err
	}
	c.Secret = nil
	a.Log.Info("connector created", "workspace", ws.Slug, "platform", platform, "id", c.ID)
	return c, nil
}

// UpdateConnector changes a connector's name, configuration and (when
// secret is not empty) secret; a running connector restarts with them.
func (a *App) UpdateConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, name, config, secret string) (*shequn.Connector, error) {
	if err := canEdit(op); err != nil {
		return nil, err
	}
	c, err := a.db.FindConnector(ctx, ws.ID, id)
	if err != nil || c.Status == shequn.ConnectorDeleted {
		return nil, shequn.Errorf(shequn.ENOTFOUND, "connector %d: not found", id)
	}
	if secret == "" {
		if secret, err = a.OpenSecret(c); err != nil {
			return nil, err
		}
	}
	c.Name, c.Config = strings.TrimSpace(name), config
	if err := a.checkConnector(c, secret); err != nil {
		return nil, err
	}
	c.Secret = a.Secrets.Seal([]byte(secret))
	if err := a.db.UpdateConnector(ctx, c); err != nil {
		return nil, err
	}
	c.Secret, c.State = nil, ""
	a.Log.Info("connector updated", "workspace", ws.Slug, "id", id, "operator", opID(op))
	return c, nil
}

// DeleteConnector stops a connector and hides it; what it delivered stays.
func (a *App) DeleteConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.db.SetConnectorStatus(ctx, ws.ID, id, shequn.ConnectorDeleted); err != nil {
		return err
	}
	a.Log.Info("connector deleted", "workspace", ws.Slug, "id", id, "operator", opID(op))
	return nil
}

// checkConnector checks a connector's fields and has its platform's
// adapter read the configuration and secret (no request is made).
func (a *App) checkConnector(c *shequn.Connector, secret string) error {
	switch {
	case c.Name == "" || utf8.RuneCountInString(c.Name) > 100:
		return shequn.Invalid("name", "name: 1 to 100 characters")
	case !json.Valid([]byte(c.Config)) || !strings.HasPrefix(strings.TrimSpace(c.Config), "{"):
		return shequn.Invalid("config", "config: not a JSON object")
	case len(c.Config) > 8192:
		return shequn.Invalid("config", "config: at most 8192 bytes")
	case len(secret) > 4096:
		return shequn.Invalid("secret", "secret: at most 4096 bytes")
	case a.Secrets == nil:
		return shequn.Errorf(shequn.EINTERNAL, "no secret key: connectors cannot be stored")
	case a.connectors == nil:
		return shequn.Invalid("connectors", "connectors are not running in this process")
	}
	if err := a.connectors.Check(c, secret); err != nil {
		return shequn.Invalid("config", "this configuration does not work: %s", Redact(shequn.ErrorMessage(err), secret))
	}
	return nil
}

// SetConnectorStatus turns a connector on (active) or off (paused).
func (a *App) SetConnectorStatus(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if status != shequn.ConnectorActive && status != shequn.ConnectorPaused {
		return shequn.Invalid("status", "status %q: want active or paused", status)
	}
	err := a.db.SetConnectorStatus(ctx, ws.ID, id, status)
	if err == nil {
		a.Log.Info("connector status", "workspace", ws.Slug, "id", id, "status", status, "operator", opID(op))
	}
	return err
}

// TestConnector asks the platform whether the connector's credentials
// work. It makes an outbound request and records a failure, so viewers
// may not.
func (a *App) TestConnector(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) (string, error) {
	if err := canEdit(op); err != nil {
		return "", err
	}
	c, err := a.db.FindConnector(ctx, ws.ID, id)
	if err == nil && c.Status == shequn.ConnectorDeleted {
		err = shequn.Errorf(shequn.ENOTFOUND, "connector %d: not found", id)
	}
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

// Connectors lists a workspace's connectors (not the deleted ones),
// without their secrets.
func (a *App) Connectors(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Connector, error) {
	cs, err := a.db.FindConnectors(ctx, ws.ID, "")
	cs = slices.DeleteFunc(cs, func(c *shequn.Connector) bool { return c.Status == shequn.ConnectorDeleted })
	now := a.Clock.Now()
	for _, c := range cs {
		c.Secret, c.State, c.Health = nil, "", c.HealthAt(now)
	}
	return cs, err
}

// FindConnector returns one of ws's connectors, without its secret.
func (a *App) FindConnector(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Connector, error) {
	c, err := a.db.FindConnector(ctx, ws.ID, id)
	if err == nil && c.Status == shequn.ConnectorDeleted {
		err = shequn.Errorf(shequn.ENOTFOUND, "connector %d: not found", id)
	}
	if err != nil {
		return nil, err
	}
	c.Secret, c.State, c.Health = nil, "", c.HealthAt(a.Clock.Now())
	return c, nil
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
