package connector_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
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
