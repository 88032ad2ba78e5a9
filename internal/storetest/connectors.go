package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testConnectors: connector rows, their figures, one lease holder at a time,
// and the log connector standing in only where no connector is active.
func testConnectors(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "conn", "UTC")
	c := &shequn.Connector{WorkspaceID: ws.ID, Platform: "matrix", Name: "bot", Status: shequn.ConnectorPaused, Config: "{}", Secret: []byte{1, 2, 3}}
	if err := db.CreateConnector(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := db.ConnectorDelivered(ctx, c.ID, 7, t0); err != nil {
		t.Fatal(err)
	}
	db.ConnectorFailed(ctx, c.ID, "sync: timeout", t0.Add(time.Minute))
	db.SaveConnectorState(ctx, c.ID, "s72_1")
	got, err := db.FindConnector(ctx, ws.ID, c.ID)
	if err != nil || got.Events != 7 || !got.LastEventAt.Equal(t0) || got.LastError != "sync: timeout" || got.State != "s72_1" || string(got.Secret) != "\x01\x02\x03" {
		t.Fatalf("connector %+v %v", got, err)
	}
	_, err = db.FindConnector(ctx, ws.ID+1, c.ID)
	wantCode(t, err, shequn.ENOTFOUND)

	take := func(holder string, at time.Time) bool {
		ok, err := db.TakeLease(ctx, c.ID, holder, at, at.Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !take("a", t0) || take("b", t0.Add(10*time.Second)) || !take("a", t0.Add(20*time.Second)) {
		t.Fatal("a lease is not exclusive or not renewable")
	}
	if !take("b", t0.Add(51*time.Second)) || take("a", t0.Add(52*time.Second)) {
		t.Fatal("an expired lease was not taken over")
	}
	db.DropLease(ctx, c.ID, "b")
	if !take("a", t0.Add(53*time.Second)) {
		t.Fatal("a dropped lease is not free")
	}

	row := &shequn.OutboxItem{WorkspaceID: ws.ID, IdempotencyKey: "k1", Platform: "matrix", CommunityID: 1, Action: "send", Payload: "{}", DueAt: t0}
	if err := db.AddOutbox(ctx, []*shequn.OutboxItem{row}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetConnectorStatus(ctx, ws.ID, c.ID, shequn.ConnectorActive); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimUnconnected(ctx, 0, "matrix", t0.Add(time.Hour), t0, 10); len(got) != 0 {
		t.Fatalf("the log connector took %d rows of an active connector", len(got))
	}
	if got, _ := db.ClaimOutbox(ctx, ws.ID+1, "matrix", t0.Add(time.Hour), t0, 10); len(got) != 0 {
		t.Fatalf("another workspace's worker took %d rows", len(got))
	}
	db.SetConnectorStatus(ctx, ws.ID, c.ID, shequn.ConnectorPaused)
	if got, _ := db.ClaimUnconnected(ctx, 0, "matrix", t0.Add(time.Hour), t0, 10); len(got) != 1 {
		t.Fatalf("the log connector took %d rows of a paused connector's workspace, want 1", len(got))
	}
	if cs, _ := db.FindConnectors(ctx, 0, shequn.ConnectorActive); len(cs) != 0 {
		t.Fatalf("%d active connectors", len(cs))
	}
}
