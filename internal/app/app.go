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
	"sync/atomic"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/secret"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// MaxBatch is the largest event batch accepted in one call.
const MaxBatch = 5000

// SessionTTL is how long a console login lasts.
const SessionTTL = 14 * 24 * time.Hour

// App wires the use-cases. It is the only door to the store: handlers,
// the console and the CLI call its methods, which check permissions and
// validate, then read or write.
type App struct {
	db       *sqlstore.DB
	Pipeline *pipeline.Pipeline
	Clock    shequn.Clock
	Log      *slog.Logger
	// Secrets seals connector secrets at rest; nil means connectors cannot
	// be stored.
	Secrets *secret.Box
	// PublicURL is where members reach this server (https://…), for the
	// private links sent to them; empty: operators send links themselves.
	PublicURL string
	// figuresMaxAge is how long a kept analytics figure may still be read
	// after its data has moved (0: exact figures only; see kept).
	figuresMaxAge atomic.Int64
	// connectors runs platform connectors (set by UseConnectors); nil in
	// processes that run none.
	connectors ConnectorRuntime
	logins     *loginLimiter
	moderation *moderationStage
	stale      sync.Map // workspace id → true: tiers need a recompute
	rules      rulesCache
	detected   sync.Map // workspace id → time the detectors last ran
	// joinWayFailed: live code id → when its join way last failed to sync
	joinWayFailed sync.Map
	leads         leadLimiter // lead submissions per address
	// campaignRead: campaign id → the end of the joins its last run read
	campaignRead sync.Map
	reported     sync.Map // workspace id → the week of the last weekly report made
	welcome      *welcomeStage
}

// New returns an App over db with a fresh pipeline.
func New(db *sqlstore.DB, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	a := &App{db: db, logins: newLoginLimiter(), Pipeline: pipeline.New(db), Clock: shequn.SystemClock{}, Log: log,
		moderation: &moderationStage{db: db, cache: map[int64]*wsModeration{}}, rules: rulesCache{m: map[int64]cachedRules{}}}
	a.moderation.now = func() time.Time { return a.Clock.Now() }
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

// ConnectorRuntime runs platform connectors: it knows which platforms it
// can connect, tests credentials and serves running connectors' webhooks.
type ConnectorRuntime interface {
	Platforms() []string
	// Check builds the connector's adapter from its configuration and
	// plain secret without contacting the platform.
	Check(c *shequn.Connector, secret string) error
	Test(ctx context.Context, c *shequn.Connector) (string, error)
	Hook(id int64) (http.Handler, bool)
	// JoinWays builds the connector's adapter to manage join ways.
	JoinWays(c *shequn.Connector) (shequn.JoinWayer, error)
	// InviteLinks builds the connector's adapter to make invite links.
	InviteLinks(c *shequn.Connector) (shequn.InviteLinker, error)
}

// SetClock makes the app and its store read the time from c (tests, demos).
func (a *App) SetClock(c shequn.Clock) {
	a.Clock = c
	a.db.SetNow(c.Now)
}

// UseConnectors attaches the connector runtime.
func (a *App) UseConnectors(rt ConnectorRuntime) { a.connectors = rt }

// EnsureWorkspace returns the workspace with slug, creating it when missing.
func (a *App) EnsureWorkspace(ctx context.Context, slug, name, tz string) (*shequn.Workspace, error) {
	ws, err := a.db.FindWorkspaceBySlug(ctx, slug)
	if shequn.ErrorCode(err) != shequn.ENOTFOUND {
		return ws, err
	}
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, shequn.Invalid("time_zone", "time zone %q: unknown", tz)
	}
	ws = &shequn.Workspace{Slug: slug, Name: name, TimeZone: tz}
	if err := a.db.CreateWorkspace(ctx, ws); err != nil {
		if shequn.ErrorCode(err) == shequn.ECONFLICT {
			return a.db.FindWorkspaceBySlug(ctx, slug)
		}
		return nil, err
	}
	return ws, nil
}

// IngestEvents validates every event of the batch, then ingests the batch
// whole. One invalid event rejects the batch and stores nothing.
func (a *App) IngestEvents(ctx context.Context, ws *shequn.Workspace, in []shequn.EventInput) (shequn.IngestResult, error) {
	if len(in) == 0 {
		return shequn.IngestResult{}, shequn.Invalid("events", "events: at least one event is required")
	}
	if len(in) > MaxBatch {
		return shequn.IngestResult{}, shequn.Errorf(shequn.ETOOLARGE, "events: at most %d per batch, got %d", MaxBatch, len(in))
	}
	events := make([]shequn.Event, len(in))
	for i, e := range in {
		ev, err := a.parseEvent(e)
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
		return "", nil, shequn.Invalid("token", "token name: required")
	}
	if err := checkText("token name", name, 100); err != nil {
		return "", nil, err
	}
	ws, err := a.db.FindWorkspaceBySlug(ctx, slug)
	if err != nil {
		return "", nil, err
	}
	secret := "shq_" + randomToken()
	t := &shequn.APIToken{WorkspaceID: ws.ID, Name: name, Hash: hashSecret(secret)}
	if err := a.db.CreateToken(ctx, t); err != nil {
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
	t, err := a.db.FindTokenByHash(ctx, hashSecret(secret))
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, shequn.Errorf(shequn.EUNAUTHORIZED, "invalid token")
	} else if err != nil {
		return nil, err
	}
	return a.db.FindWorkspaceByID(ctx, t.WorkspaceID)
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

// FindWorkspace returns the workspace with slug.
func (a *App) FindWorkspace(ctx context.Context, slug string) (*shequn.Workspace, error) {
	return a.db.FindWorkspaceBySlug(ctx, slug)
}

// Workspaces lists every workspace.
func (a *App) Workspaces(ctx context.Context) ([]*shequn.Workspace, error) {
	return a.db.FindWorkspaces(ctx)
}
