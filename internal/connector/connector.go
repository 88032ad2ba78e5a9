// Package connector runs the workspace's connectors: for each active one it
// takes a lease (so that one replica runs it when several share a
// database), builds its platform adapter from the registry, feeds what it
// receives into the pipeline and drains its workspace's outbox rows into it.
package connector

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Factory builds a platform adapter from a connector (its Secret in plain).
type Factory func(c *shequn.Connector, secret string, log *slog.Logger) (shequn.Platform, error)

// Registry maps platform names to factories.
type Registry map[string]Factory

// Manager runs connectors. It is the app's connector runtime
// (app.ConnectorRuntime): it knows the registry's platforms, tests
// credentials and serves running connectors' webhooks.
type Manager struct {
	App      *app.App
	DB       *sqlstore.DB // leases, resume points and delivery figures
	Registry Registry
	Log      *slog.Logger
	// Holder names this replica in leases.
	Holder string
	// LeaseTTL is how long a lease lasts without renewal.
	LeaseTTL time.Duration
	// Every is how often the manager looks for connectors to start or stop.
	Every  time.Duration
	Outbox outbox.Config

	mu      sync.Mutex
	running map[int64]context.CancelFunc
	hooks   map[int64]http.Handler
	started map[int64]time.Time // the settings (UpdatedAt) each runs with
	gens    map[int64]uint64    // which start of each connector is running
	gen     uint64
}

var _ app.ConnectorRuntime = (*Manager)(nil)

// NewManager returns a manager with a random holder name.
func NewManager(a *app.App, db *sqlstore.DB, reg Registry, log *slog.Logger) *Manager {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return &Manager{App: a, DB: db, Registry: reg, Log: log, Holder: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b)),
		LeaseTTL: 30 * time.Second, Every: 5 * time.Second, Outbox: outbox.DefaultConfig(), running: map[int64]context.CancelFunc{}, hooks: map[int64]http.Handler{}, started: map[int64]time.Time{}, gens: map[int64]uint64{}}
}

// Run starts and stops connectors until ctx ends.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(m.Every)
	defer t.Stop()
	for {
		m.reconcile(ctx)
		select {
		case <-ctx.Done():
			m.stopAll()
			return
		case <-t.C:
		}
	}
}

// Running reports whether this replica runs connector id.
func (m *Manager) Running(id int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.running[id]
	return ok
}

func (m *Manager) reconcile(ctx context.Context) {
	cs, err := m.DB.FindConnectors(ctx, 0, "")
	if err != nil {
		m.Log.Error("connectors", "err", err)
		return
	}
	for _, c := range cs {
		running := m.Running(c.ID)
		switch {
		case c.Status == shequn.ConnectorActive && running && !m.runsWith(c):
			m.stop(c.ID) // its settings changed: start again with the new ones
			m.DB.DropLease(ctx, c.ID, m.Holder)
			m.start(ctx, c)
		case c.Status == shequn.ConnectorActive && !running:
			m.start(ctx, c)
		case c.Status != shequn.ConnectorActive && running:
			m.stop(c.ID)
		}
	}
}

// runsWith says whether the running connector has c's current settings.
func (m *Manager) runsWith(c *shequn.Connector) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.started[c.ID].Equal(c.UpdatedAt)
}

// Hook returns the webhook endpoint of a connector this replica runs.
func (m *Manager) Hook(id int64) (http.Handler, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hooks[id]
	return h, ok
}

func (m *Manager) stop(id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.hooks, id)
	if cancel, ok := m.running[id]; ok {
		cancel()
		delete(m.running, id)
	}
}

// endRun forgets run gen of connector id when it is still the current
// one, and says so.
func (m *Manager) endRun(id int64, gen uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gens[id] != gen {
		return false
	}
	delete(m.hooks, id)
	if cancel, ok := m.running[id]; ok {
		cancel()
		delete(m.running, id)
	}
	return true
}

func (m *Manager) stopAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, cancel := range m.running {
		cancel()
		delete(m.running, id)
	}
}

// start takes the lease and runs the connector while it holds it.
func (m *Manager) start(ctx context.Context, c *shequn.Connector) {
	now := m.App.Clock.Now()
	ok, err := m.DB.TakeLease(ctx, c.ID, m.Holder, now, now.Add(m.LeaseTTL))
	if err != nil || !ok {
		return // another replica runs it
	}
	log := m.Log.With("connector", c.ID, "platform", c.Platform)
	p, secret, err := build(m.App, m.Registry, c, log)
	if err != nil {
		m.failed(ctx, c, secret, fmt.Errorf("cannot start: %w", err))
		return
	}
	cctx, cancel := context.WithCancel(ctx)
	m.mu.Lock()
	m.running[c.ID] = cancel
	m.started[c.ID] = c.UpdatedAt
	m.gen++
	gen := m.gen
	m.gens[c.ID] = gen
	if h, ok := p.(shequn.Hooked); ok {
		m.hooks[c.ID] = h.Hook()
	}
	m.mu.Unlock()
	ws, err := m.DB.FindWorkspaceByID(ctx, c.WorkspaceID)
	if err != nil {
		m.stop(c.ID)
		return
	}
	go m.keepLease(cctx, c.ID)
	cfg := m.Outbox
	cfg.Workspace = c.WorkspaceID
	go outbox.New(m.DB, &reporting{p: p, m: m, c: c, secret: secret}, cfg, m.App.Clock, log).Run(cctx)
	go func() {
		defer func() {
			if m.endRun(c.ID, gen) { // not when a newer start runs it
				m.DB.DropLease(context.WithoutCancel(cctx), c.ID, m.Holder)
			}
		}()
		sink := &sink{m: m, c: c, ws: ws, secret: secret, state: c.State}
		for cctx.Err() == nil {
			if err := p.Run(cctx, sink); err != nil && cctx.Err() == nil {
				m.failed(cctx, c, secret, err)
				select { // back off before reconnecting
				case <-cctx.Done():
				case <-time.After(5 * time.Second):
				}
			}
		}
	}()
	log.Info("connector started", "holder", m.Holder)
}

// keepLease renews the lease; losing it stops the connector here.
func (m *Manager) keepLease(ctx context.Context, id int64) {
	t := time.NewTicker(m.LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := m.App.Clock.Now()
		ok, err := m.DB.TakeLease(ctx, id, m.Holder, now, now.Add(m.LeaseTTL))
		if err == nil && !ok {
			m.Log.Warn("connector lease lost", "connector", id)
			m.stop(id)
			return
		}
	}
}

// failed records an error, without the secret, on the connector page.
func (m *Manager) failed(ctx context.Context, c *shequn.Connector, secret string, err error) {
	msg := app.Redact(err.Error(), secret)
	m.Log.Warn("connector error", "connector", c.ID, "platform", c.Platform, "err", msg)
	m.DB.ConnectorFailed(context.WithoutCancel(ctx), c.ID, msg, m.App.Clock.Now())
}

// sink hands a connector's events to the pipeline.
type sink struct {
	m      *Manager
	c      *shequn.Connector
	ws     *shequn.Workspace
	secret string
	state  string
}

func (s *sink) Deliver(ctx context.Context, events []shequn.EventInput) error {
	if len(events) == 0 {
		return nil
	}
	res, err := s.m.App.DeliverEvents(ctx, s.ws, events)
	if err != nil {
		return err
	}
	if res.Invalid > 0 {
		s.m.failed(ctx, s.c, s.secret, fmt.Errorf("%d events left out: they failed validation", res.Invalid))
	}
	// the events are stored: count them even if the connector is being
	// stopped (a lost lease) meanwhile, or a replay would count them never
	return s.m.DB.ConnectorDelivered(context.WithoutCancel(ctx), s.c.ID, res.Accepted, s.m.App.Clock.Now())
}

func (s *sink) SaveState(ctx context.Context, state string) error {
	s.state = state
	return s.m.DB.SaveConnectorState(ctx, s.c.ID, state)
}

func (s *sink) State() string { return s.state }

// Platforms lists the registry's platforms, sorted.
func (m *Manager) Platforms() []string { return m.Registry.Platforms() }

// Platforms lists the registry's platforms, sorted.
func (r Registry) Platforms() []string { return slices.Sorted(maps.Keys(r)) }

// Check builds a connector's adapter from its configuration and plain
// secret, as starting it would, without contacting the platform.
func (m *Manager) Check(c *shequn.Connector, secret string) error {
	factory, ok := m.Registry[c.Platform]
	if !ok {
		return shequn.Errorf(shequn.EINVALID, "platform %q: no connector", c.Platform)
	}
	if _, err := factory(c, secret, m.Log); err != nil {
		return shequn.Errorf(shequn.EINVALID, "%s", app.Redact(err.Error(), secret))
	}
	return nil
}

// Test builds a connector's adapter and asks the platform who it is, when
// the adapter can (shequn.Tester); the answer and errors carry no secret.
func (m *Manager) Test(ctx context.Context, c *shequn.Connector) (string, error) {
	p, secret, err := build(m.App, m.Registry, c, m.Log)
	if err != nil {
		return "", err
	}
	t, ok := p.(shequn.Tester)
	if !ok {
		return "configured (this platform cannot be tested)", nil
	}
	who, err := t.Test(ctx)
	if err != nil {
		return "", shequn.Errorf(shequn.EINVALID, "%s", app.Redact(err.Error(), secret))
	}
	return who, nil
}

// JoinWays builds a connector's adapter for managing join ways, when its
// platform has them (shequn.JoinWayer: WeCom); errors carry no secret.
func (m *Manager) JoinWays(c *shequn.Connector) (shequn.JoinWayer, error) {
	p, secret, err := build(m.App, m.Registry, c, m.Log)
	if err != nil {
		return nil, err
	}
	j, ok := p.(shequn.JoinWayer)
	if !ok {
		return nil, shequn.Errorf(shequn.EINVALID, "platform %s has no join ways", c.Platform)
	}
	return redactedJoinWays{j, secret}, nil
}

// redactedJoinWays removes the secret from a join-way call's errors.
type redactedJoinWays struct {
	j      shequn.JoinWayer
	secret string
}

func (r redactedJoinWays) clean(err error) error {
	if err == nil {
		return nil
	}
	return redacted{err, app.Redact(err.Error(), r.secret)}
}

func (r redactedJoinWays) SaveJoinWay(ctx context.Context, w *shequn.JoinWay) error {
	return r.clean(r.j.SaveJoinWay(ctx, w))
}

func (r redactedJoinWays) DeleteJoinWay(ctx context.Context, id string) error {
	return r.clean(r.j.DeleteJoinWay(ctx, id))
}

func (r redactedJoinWays) JoinWayQR(ctx context.Context, w *shequn.JoinWay) ([]byte, error) {
	b, err := r.j.JoinWayQR(ctx, w)
	return b, r.clean(err)
}

// InviteLinks builds a connector's adapter for making invite links, when
// its platform has them (shequn.InviteLinker: Telegram); errors carry no
// secret (a bot token is part of Telegram's URLs).
func (m *Manager) InviteLinks(c *shequn.Connector) (shequn.InviteLinker, error) {
	p, secret, err := build(m.App, m.Registry, c, m.Log)
	if err != nil {
		return nil, err
	}
	l, ok := p.(shequn.InviteLinker)
	if !ok {
		return nil, shequn.Errorf(shequn.EINVALID, "platform %s has no invite links", c.Platform)
	}
	return redactedLinks{l, secret}, nil
}

type redactedLinks struct {
	l      shequn.InviteLinker
	secret string
}

func (r redactedLinks) CreateInviteLink(ctx context.Context, chat, name string, expires time.Time) (string, error) {
	link, err := r.l.CreateInviteLink(ctx, chat, name, expires)
	return link, redactedJoinWays{secret: r.secret}.clean(err)
}

// reporting passes outbox rows to the platform and shows its failures on
// the connector page (the outbox retries them).
type reporting struct {
	p      shequn.Platform
	m      *Manager
	c      *shequn.Connector
	secret string
}

func (r *reporting) Platform() string { return r.p.Platform() }

// Send performs a row; its error, kept on the row and shown in the
// console, never holds the secret (an API URL may carry a bot token).
func (r *reporting) Send(ctx context.Context, it *shequn.OutboxItem) error {
	err := r.p.Send(ctx, it)
	if err == nil || ctx.Err() != nil {
		return err
	}
	r.m.failed(ctx, r.c, r.secret, fmt.Errorf("%s %s: %w", it.Action, it.IdempotencyKey, err))
	return redacted{err, app.Redact(err.Error(), r.secret)}
}

// redacted is an error whose message has its secret removed; errors.Is
// and As still see the platform's error.
type redacted struct {
	err error
	msg string
}

func (e redacted) Error() string { return e.msg }
func (e redacted) Unwrap() error { return e.err }

// Performed asks the platform, when it can tell, whether a row was done.
func (r *reporting) Performed(ctx context.Context, it *shequn.OutboxItem) (bool, error) {
	if d, ok := r.p.(shequn.Deduper); ok {
		return d.Performed(ctx, it)
	}
	return false, nil
}

// build makes a connector's adapter from the registry with its opened
// secret; its error never holds the secret.
func build(a *app.App, reg Registry, c *shequn.Connector, log *slog.Logger) (shequn.Platform, string, error) {
	factory, ok := reg[c.Platform]
	if !ok {
		return nil, "", shequn.Errorf(shequn.EINVALID, "platform %q: no connector", c.Platform)
	}
	secret, err := a.OpenSecret(c)
	if err != nil {
		return nil, "", err
	}
	p, err := factory(c, secret, log)
	if err != nil {
		return nil, secret, shequn.Errorf(shequn.EINVALID, "%s", app.Redact(err.Error(), secret))
	}
	return p, secret, nil
}
