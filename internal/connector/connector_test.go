package connector_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/secret"
)

// fakePlatform counts how many replicas run it and delivers one event.
type fakePlatform struct{ running *atomic.Int32 }

func (f fakePlatform) Platform() string { return "matrix" }
func (f fakePlatform) Send(context.Context, *shequn.OutboxItem) error {
	return errors.New("send failed with token syt_secret_value_42")
}
func (f fakePlatform) Run(ctx context.Context, sink shequn.Sink) error {
	if err := sink.Deliver(ctx, []shequn.EventInput{{ID: "e1", Platform: "matrix", Community: "!r", Actor: "@a", Kind: "message", TS: "2026-03-01T10:00:00Z", Text: "hi"}}); err != nil {
		return err
	}
	f.running.Add(1) // counted once its event is stored
	defer f.running.Add(-1)
	<-ctx.Done()
	return ctx.Err()
}

// TestOneReplicaRunsAConnector: two managers (two replicas) share one
// database; the connector runs in exactly one, moves to the other when
// the first stops, and stops when paused. A failure's message is shown
// without the secret.
func TestOneReplicaRunsAConnector(t *testing.T) {
	a, ws := apptest.New(t, "lease", "UTC")
	a.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{6}, 32))
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	ctx := context.Background()
	var running atomic.Int32
	reg := connector.Registry{"matrix": func(*shequn.Connector, string, *slog.Logger) (shequn.Platform, error) {
		return fakePlatform{&running}, nil
	}}
	a.UseConnectors(connector.NewManager(a, apptest.DB(t, a), reg, a.Log))
	c, err := a.CreateConnector(ctx, ws, owner, "matrix", "bot", `{}`, "syt_secret_value_42")
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	replica := func() (*connector.Manager, context.CancelFunc) {
		m := connector.NewManager(a, apptest.DB(t, a), reg, a.Log)
		m.Every, m.LeaseTTL = 30*time.Millisecond, time.Second
		rctx, cancel := context.WithCancel(ctx)
		go m.Run(rctx)
		return m, cancel
	}
	m1, stop1 := replica()
	m2, stop2 := replica()
	defer stop2()
	apptest.Eventually(t, "a replica to run it", func() bool { return running.Load() == 1 })
	time.Sleep(200 * time.Millisecond)
	if running.Load() != 1 || m1.Running(c.ID) == m2.Running(c.ID) {
		t.Fatalf("%d replicas run the connector (m1 %v, m2 %v)", running.Load(), m1.Running(c.ID), m2.Running(c.ID))
	}
	first, other := stop1, m2
	if m2.Running(c.ID) {
		first, other = stop2, m1
		defer stop1()
	}
	// A row the platform refuses keeps an error without the secret.
	row := shequn.NewOutboxItem(ws.ID, "t:1", "matrix", 0, 0, shequn.ActSend, shequn.OutboxPayload{Text: "hi"})
	row.DueAt = time.Now()
	if err := apptest.DB(t, a).AddOutbox(ctx, []*shequn.OutboxItem{row}); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the row to be tried", func() bool {
		rows, _ := a.FindOutbox(ctx, ws, 0, "", 10)
		return len(rows) == 1 && rows[0].LastError != ""
	})
	if rows, _ := a.FindOutbox(ctx, ws, 0, "", 10); strings.Contains(rows[0].LastError, "syt_secret") || !strings.Contains(rows[0].LastError, "[secret]") {
		t.Fatalf("the row's error %q", rows[0].LastError)
	}
	first() // the running replica goes away; its lease expires
	apptest.Eventually(t, "the other replica to take over", func() bool { return other.Running(c.ID) && running.Load() == 1 })
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorPaused)
	apptest.Eventually(t, "the pause", func() bool { return running.Load() == 0 })
	got, _ := apptest.DB(t, a).FindConnector(ctx, ws.ID, c.ID)
	if got.Events != 1 {
		t.Errorf("events %d, want 1 (the same event delivered by both replicas counts once)", got.Events)
	}
	_ = app.Redact
}

// configPlatform runs with the configuration it was built with; "fail"
// makes every run fail at once (as a connector with a revoked token).
type configPlatform struct {
	config  string
	running *atomic.Int32
}

func (p configPlatform) Platform() string                               { return "matrix" }
func (p configPlatform) Send(context.Context, *shequn.OutboxItem) error { return nil }
func (p configPlatform) Run(ctx context.Context, sink shequn.Sink) error {
	if p.config == `{"mode":"fail"}` {
		return errors.New("401 unauthorized for token syt_secret_value_42")
	}
	p.running.Add(1)
	defer p.running.Add(-1)
	<-ctx.Done()
	return ctx.Err()
}

// TestConnectorSettingsAndHealth: a configuration the adapter refuses is
// not saved; a change of settings restarts a running connector with the
// new ones; a connector whose runs keep failing shows as failing (since
// when, and its error without the secret); a deleted one stops, is no
// longer listed, and keeps what it delivered.
func TestConnectorSettingsAndHealth(t *testing.T) {
	a, ws := apptest.New(t, "health", "UTC")
	a.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{7}, 32))
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	ctx := context.Background()
	var running atomic.Int32
	var built atomic.Value
	reg := connector.Registry{"matrix": func(c *shequn.Connector, secret string, _ *slog.Logger) (shequn.Platform, error) {
		if c.Config == `{"mode":"bad"}` {
			return nil, errors.New("matrix: config needs homeserver (secret " + secret + ")")
		}
		built.Store(c.Config)
		return configPlatform{c.Config, &running}, nil
	}}
	m := connector.NewManager(a, apptest.DB(t, a), reg, a.Log)
	m.Every, m.LeaseTTL = 20*time.Millisecond, time.Second
	a.UseConnectors(m)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go m.Run(rctx)

	_, err := a.CreateConnector(ctx, ws, owner, "matrix", "bot", `{"mode":"bad"}`, "syt_secret_value_42")
	if shequn.ErrorCode(err) != shequn.EINVALID || shequn.ErrorField(err) != "config" || strings.Contains(err.Error(), "syt_secret") {
		t.Fatalf("a configuration the adapter refuses: %v", err)
	}
	if cs, _ := a.Connectors(ctx, ws); len(cs) != 0 {
		t.Fatalf("a refused connector was stored: %+v", cs)
	}
	c, err := a.CreateConnector(ctx, ws, owner, "matrix", "bot", `{"mode":"a"}`, "syt_secret_value_42")
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	apptest.Eventually(t, "the connector to run", func() bool { return running.Load() == 1 && built.Load() == `{"mode":"a"}` })
	if got, _ := a.FindConnector(ctx, ws, c.ID); got.HealthAt(time.Now()) != shequn.HealthRunning {
		t.Fatalf("health %s, want running", got.HealthAt(time.Now()))
	}
	// New settings (the secret kept when none is given): a restart.
	if _, err := a.UpdateConnector(ctx, ws, owner, c.ID, "bot 2", `{"mode":"b"}`, ""); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "a restart with the new settings", func() bool { return built.Load() == `{"mode":"b"}` && running.Load() == 1 })
	time.Sleep(100 * time.Millisecond)
	if running.Load() != 1 {
		t.Fatalf("%d runs after a restart, want 1", running.Load())
	}
	// Settings that fail at every run: failing, since the first failure.
	before := time.Now()
	if _, err := a.UpdateConnector(ctx, ws, owner, c.ID, "bot 2", `{"mode":"fail"}`, ""); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the connector to show as failing", func() bool {
		got, _ := a.FindConnector(ctx, ws, c.ID)
		return got.HealthAt(time.Now()) == shequn.HealthFailing
	})
	got, _ := a.FindConnector(ctx, ws, c.ID)
	if got.FailingSince.Before(before.Add(-time.Second)) || !strings.Contains(got.LastError, "401") || strings.Contains(got.LastError, "syt_secret") {
		t.Fatalf("failing since %v, last error %q", got.FailingSince, got.LastError)
	}
	// Paused is paused, whatever its errors.
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorPaused)
	if got, _ := a.FindConnector(ctx, ws, c.ID); got.HealthAt(time.Now()) != shequn.HealthPaused {
		t.Fatalf("health %s, want paused", got.HealthAt(time.Now()))
	}
	// Deleted: not listed, not found, not run; a second delete is not found.
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	if err := a.DeleteConnector(ctx, ws, owner, c.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := a.Connectors(ctx, ws); len(cs) != 0 {
		t.Fatalf("a deleted connector is listed")
	}
	if _, err := a.FindConnector(ctx, ws, c.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("find a deleted connector: %v", err)
	}
	if err := a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a deleted connector was turned on again: %v", err)
	}
	if _, err := a.UpdateConnector(ctx, ws, owner, c.ID, "x", `{}`, ""); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a deleted connector was changed: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if m.Running(c.ID) {
		t.Fatal("a deleted connector still runs")
	}
}
