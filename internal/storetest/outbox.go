package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

type countingSender struct {
	outbox.LogSender
	sends atomic.Int64
}

func (c *countingSender) Send(ctx context.Context, it *shequn.OutboxItem) error {
	c.sends.Add(1)
	return c.LogSender.Send(ctx, it)
}

// testOutboxWorkers: three workers drain the same platform at once; every
// row is performed exactly once.
func testOutboxWorkers(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	var items []*shequn.OutboxItem
	for i := 0; i < 200; i++ {
		items = append(items, &shequn.OutboxItem{WorkspaceID: ws.ID, IdempotencyKey: fmt.Sprintf("k%d", i), Platform: "log", CommunityID: 1, Action: "send", Payload: "{}"})
	}
	if err := db.AddOutbox(ctx, items); err != nil {
		t.Fatal(err)
	}
	s := &countingSender{LogSender: outbox.LogSender{DB: db, PlatformName: "log"}}
	cfg := outbox.Config{Rate: 100000, Burst: 1000, Lease: time.Minute, MaxAttempts: 3, Batch: 15}
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := outbox.New(db, s, cfg, shequn.SystemClock{}, nil)
			for {
				n, err := worker.Drain(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := s.sends.Load(); n != 200 {
		t.Fatalf("performed %d actions for 200 rows", n)
	}
	sent, _ := db.FindOutbox(ctx, ws.ID, 0, shequn.OutboxSent, 1000)
	if len(sent) != 200 {
		t.Fatalf("%d rows sent", len(sent))
	}
}
