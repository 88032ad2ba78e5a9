// Package app holds shequn's use-cases: the one home of business rules
// (validation, authentication, authorisation). HTTP handlers, the console
// and the CLI call it; it calls the store and the pipeline.
package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/secret"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// MaxBatch is the largest event batch accepted in one call.
const MaxBatch = 5000

// SessionTTL is how long a console login lasts.
const SessionTTL = 14 * 24 * time.Hour

// App wires the use-cases.
type App struct {
	DB       *sqlstore.DB
	Pipeline *pipeline.Pipeline
	Clock    shequn.Clock
	Log      *slog.Logger
	// Secrets seals connector secrets at rest; nil means connectors cannot
	// be stored.
	Secrets *secret.Box
	// ConnectorTest checks a connector's credentials with its platform
	// (set by serve from the connector registry).
	ConnectorTest func(ctx context.Context, c *shequn.Connector) (string, error)
	// Hooks finds the webhook endpoint of a running connector.
	Hooks      func(id int64) (http.Handler, bool)
	moderation *moderationStage
	stale      sync.Map // workspace id → true: tiers need a recompute
	rules      rulesCache
	detected   sync.Map // workspace id → time the detectors last ran
	welcome    *welcomeStage
}

// New returns an App over db with a fresh pipeline.
func New(db *sqlstore.DB, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	a := &App{DB: db, Pipeline: pipeline.New(db), Clock: shequn.SystemClock{}, Log: log,
		moderation: &moderationStage{db: db, cache: map[int64]*wsModeration{}}, rules: rulesCache{m: map[int64]cachedRules{}}}
	a.Pipeline.Use(a.moderation)
	a.Pipeline.Use(&commandStage{a: a})
	a.Pipeline.Use(newPointsStage(db))
	a.Pipeline.Use(newQuestionStage(db))
	a.Pipeline.Use(ruleStage{a})
	a.welcome = &welcomeStage{a: a, cache: map[int64]cachedWelcome{}}
	a.Pipeline.Use(a.welcome)
	a.Pipeline.Use(markStage{&a.stale})
	return a
}

// EnsureWorkspace returns the workspace with slug, creating it when missing.
func (a *App) EnsureWorkspace(ctx context.Context, slug, name, tz string) (*shequn.Workspace, error) {
	ws, err := a.DB.FindWorkspaceBySlug(ctx, slug)
	if shequn.ErrorCode(err) != shequn.ENOTFOUND {
		return ws, err
	}
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, shequn.Errorf(shequn.EINVALID, "time zone %q: unknown", tz)
	}
	ws = &shequn.Workspace{Slug: slug, Name: name, TimeZone: tz}
	if err := a.DB.CreateWorkspace(ctx, ws); err != nil {
		if shequn.ErrorCode(err) == shequn.ECONFLICT {
			return a.DB.FindWorkspaceBySlug(ctx, slug)
		}
		return nil, err
	}
	return ws, nil
}

// IngestEvents validates every event of the batch, then ingests the batch
// whole. One invalid event rejects the batch and stores nothing.
func (a *App) IngestEvents(ctx context.Context, ws *shequn.Workspace, in []shequn.EventInput) (shequn.IngestResult, error) {
	if len(in) == 0 {
		return shequn.IngestResult{}, shequn.Errorf(shequn.EINVALID, "events: at least one event is required")
	}
	if len(in) > MaxBatch {
		return shequn.IngestResult{}, shequn.Errorf(shequn.ETOOLARGE, "events: at most %d per batch, got %d", MaxBatch, len(in))
	}
	events := make([]shequn.Event, len(in))
	for i, e := range in {
		ev, err := shequn.ParseEvent(e)
		if err != nil {
			se := err.(*shequn.Error)
			return shequn.IngestResult{}, &shequn.Error{Code: se.Code, Message: "event " + strconv.Itoa(i) + ": " + se.Message, Index: i}
		}
		events[i] = ev
	}
	return a.Pipeline.Ingest(ctx, ws, events)
}

// CreateToken makes an API token for workspace slug and returns its secret,
// which is shown once and stored only as a hash.
func (a *App) CreateToken(ctx context.Context, slug, name string) (string, *shequn.APIToken, error) {
	if strings.TrimSpace(name) == "" {
		return "", nil, shequn.Errorf(shequn.EINVALID, "token name: required")
	}
	ws, err := a.DB.FindWorkspaceBySlug(ctx, slug)
	if err != nil {
		return "", nil, err
	}
	secret := "shq_" + randomToken()
	t := &shequn.APIToken{WorkspaceID: ws.ID, Name: name, Hash: hashSecret(secret)}
	if err := a.DB.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	a.Log.Info("api token created", "workspace", slug, "name", name, "id", t.ID)
	return secret, t, nil
}

// AuthenticateToken returns the workspace a bearer token belongs to.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (*shequn.Workspace, error) {
	if secret == "" {
		return nil, shequn.Errorf(shequn.EUNAUTHORIZED, "missing bearer token")
	}
	t, err := a.DB.FindTokenByHash(ctx, hashSecret(secret))
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, shequn.Errorf(shequn.EUNAUTHORIZED, "invalid token")
	} else if err != nil {
		return nil, err
	}
	return a.DB.FindWorkspaceByID(ctx, t.WorkspaceID)
}

// CreateOperator adds a console user to workspace slug.
func (a *App) CreateOperator(ctx context.Context, slug, email, name, password string, role shequn.Role) (*shequn.Operator, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	switch {
	case !strings.Contains(email, "@") || len(email) > 254:
		return nil, shequn.Errorf(shequn.EINVALID, "email %q: not an email address", email)
	case len(password) < 8:
		return nil, shequn.Errorf(shequn.EINVALID, "password: at least 8 characters")
	case len(password) > 72:
		return nil, shequn.Errorf(shequn.EINVALID, "password: at most 72 bytes")
	case !role.Valid():
		return nil, shequn.Errorf(shequn.EINVALID, "role %q: want owner, admin, operator or viewer", role)
	}
	ws, err := a.DB.FindWorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	o := &shequn.Operator{WorkspaceID: ws.ID, Email: email, Name: name, Role: role, PasswordHash: string(hash)}
	if err := a.DB.CreateOperator(ctx, o); err != nil {
		return nil, err
	}
	a.Log.Info("operator created", "workspace", slug, "email", email, "role", role)
	return o, nil
}

// Login checks credentials and opens a session; it returns the cookie secret.
func (a *App) Login(ctx context.Context, email, password string) (string, *shequn.Operator, error) {
	bad := shequn.Errorf(shequn.EUNAUTHORIZED, "wrong email or password")
	o, err := a.DB.FindOperatorByEmail(ctx, email)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return "", nil, bad
	} else if err != nil {
		return "", nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(o.PasswordHash), []byte(password)) != nil {
		return "", nil, bad
	}
	secret := randomToken()
	s := &shequn.Session{Hash: hashSecret(secret), OperatorID: o.ID, ExpiresAt: a.Clock.Now().Add(SessionTTL)}
	if err := a.DB.CreateSession(ctx, s); err != nil {
		return "", nil, err
	}
	return secret, o, nil
}

// Session returns the operator and workspace of a session cookie.
func (a *App) Session(ctx context.Context, secret string) (*shequn.Operator, *shequn.Workspace, error) {
	if secret == "" {
		return nil, nil, shequn.Errorf(shequn.EUNAUTHORIZED, "not logged in")
	}
	s, err := a.DB.FindSession(ctx, hashSecret(secret), a.Clock.Now())
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, nil, shequn.Errorf(shequn.EUNAUTHORIZED, "session expired")
	} else if err != nil {
		return nil, nil, err
	}
	o, err := a.DB.FindOperatorByID(ctx, s.OperatorID)
	if err != nil {
		return nil, nil, err
	}
	ws, err := a.DB.FindWorkspaceByID(ctx, o.WorkspaceID)
	return o, ws, err
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, secret string) error {
	return a.DB.DeleteSession(ctx, hashSecret(secret))
}

func randomToken() string {
	b := make([]byte, 20)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
