package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/outbox"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func setup(t *testing.T, n int) (*sqlstore.DB, *clock) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	db.SetNow(c.Now)
	ws := &shequn.Workspace{Slug: "w", Name: "w"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	var items []*shequn.OutboxItem
	for i := 0; i < n; i++ {
		items = append(items, &shequn.OutboxItem{WorkspaceID: ws.ID, IdempotencyKey: fmt.Sprintf("k%d", i), Platform: "log",
			CommunityID: 1, Action: "send", Payload: `{"text":"早报 morning news"}`})
	}
	if err := db.AddOutbox(ctx, items); err != nil {
		t.Fatal(err)
	}
	if err := db.AddOutbox(ctx, items); err != nil { // the same keys again: nothing new
		t.Fatal(err)
	}
	return db, c
}

// counting wraps a sender and counts real sends per key.
type counting struct {
	shequn.Sender
	mu    sync.Mutex
	sends map[string]int
	fail  int // fail this many first attempts
	after func()
}

func (c *counting) Send(ctx context.Context, it *shequn.OutboxItem) error {
	c.mu.Lock()
	c.sends[it.IdempotencyKey]++
	n := c.sends[it.IdempotencyKey]
	c.mu.Unlock()
	if n <= c.fail {
		return errors.New("platform said 502")
	}
	err := c.Sender.Send(ctx, it)
	if c.after != nil {
		c.after()
	}
	return err
}

func (c *counting) Performed(ctx context.Context, it *shequn.OutboxItem) (bool, error) {
	return c.Sender.(shequn.Deduper).Performed(ctx, it)
}

func statuses(t *testing.T, db *sqlstore.DB) map[string]int {
	out := map[string]int{}
	items, err := db.FindOutbox(context.Background(), 1, 0, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		out[it.Status]++
	}
	return out
}

func TestDrainSendsOnce(t *testing.T) {
	db, c := setup(t, 30)
	s := &counting{Sender: &outbox.LogSender{DB: db, PlatformName: "log"}, sends: map[string]int{}}
	w := outbox.New(db, s, outbox.Config{Rate: 1000, Burst: 1000, Lease: time.Minute, MaxAttempts: 3, Batch: 7, Idle: time.Millisecond}, c, nil)
	for {
		n, err := w.Drain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if got := statuses(t, db); got[shequn.OutboxSent] != 30 || len(got) != 1 {
		t.Fatalf("statuses = %v", got)
	}
	if n, _ := db.ConnectorLogCount(context.Background(), 1); n != 30 {
		t.Fatalf("log has %d", n)
	}
	for k, n := range s.sends {
		if n != 1 {
			t.Fatalf("%s sent %d times", k, n)
		}
	}
}

func TestRetryWithBackoffThenFail(t *testing.T) {
	db, c := setup(t, 2)
	s := &counting{Sender: &outbox.LogSender{DB: db, PlatformName: "log"}, sends: map[string]int{}, fail: 2}
	w := outbox.New(db, s, outbox.Config{Rate: 1000, Burst: 1000, Lease: time.Minute, MaxAttempts: 5, Batch: 10}, c, nil)
	ctx := context.Background()
	steps := []struct {
		wait    time.Duration
		handled int
		sent    int
	}{
		{0, 2, 0},               // first attempt fails; due in 2 s
		{time.Second, 0, 0},     // not due yet
		{time.Second, 2, 0},     // second attempt fails; due in 4 s
		{4 * time.Second, 2, 2}, // third works
	}
	for i, st := range steps {
		c.add(st.wait)
		n, err := w.Drain(ctx)
		if err != nil || n != st.handled || statuses(t, db)[shequn.OutboxSent] != st.sent {
			t.Fatalf("step %d: handled %d (%v), statuses %v", i, n, err, statuses(t, db))
		}
	}
	// a sender that always fails: the row fails for good after MaxAttempts
	db2, c2 := setup(t, 1)
	bad := &counting{Sender: &outbox.LogSender{DB: db2, PlatformName: "log"}, sends: map[string]int{}, fail: 100}
	w2 := outbox.New(db2, bad, outbox.Config{Rate: 1000, Burst: 1000, Lease: time.Minute, MaxAttempts: 3, Batch: 10}, c2, nil)
	for i := 0; i < 3; i++ {
		if _, err := w2.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		c2.add(time.Hour)
	}
	if got := statuses(t, db2); got[shequn.OutboxFailed] != 1 {
		t.Fatalf("statuses = %v", got)
	}
}

// The worker dies between performing an action and marking it sent: after
// the lease a new worker finds the row, asks the platform, and does not
// perform it again.
func TestCrashBetweenSendAndMark(t *testing.T) {
	db, c := setup(t, 3)
	ctx, crash := context.WithCancel(context.Background())
	s := &counting{Sender: &outbox.LogSender{DB: db, PlatformName: "log"}, sends: map[string]int{}}
	s.after = crash // "kill" right after the platform call returned
	cfg := outbox.Config{Rate: 1000, Burst: 1000, Lease: time.Minute, MaxAttempts: 5, Batch: 10}
	if _, err := outbox.New(db, s, cfg, c, nil).Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("drain before the crash: %v", err)
	}
	if got := statuses(t, db); got["sending"] != 3 {
		t.Fatalf("after the crash: %v", got)
	}
	s.after = nil
	restarted := outbox.New(db, s, cfg, c, nil)
	if n, _ := restarted.Drain(context.Background()); n != 0 {
		t.Fatalf("claimed %d rows inside their lease", n)
	}
	c.add(2 * time.Minute)
	for {
		n, err := restarted.Drain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if got := statuses(t, db); got[shequn.OutboxSent] != 3 {
		t.Fatalf("after restart: %v", got)
	}
	if s.sends["k0"] != 1 {
		t.Fatalf("k0 was performed %d times", s.sends["k0"])
	}
	total := 0
	for _, n := range s.sends {
		total += n
	}
	if logged, _ := db.ConnectorLogCount(context.Background(), 1); logged != 3 || total != 3 {
		t.Fatalf("performed %d, logged %d", total, logged)
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 2 * time.Second, 3: 8 * time.Second, 12: time.Hour, 40: time.Hour} {
		if got := outbox.Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}
