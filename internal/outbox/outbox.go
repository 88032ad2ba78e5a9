// Package outbox drains the outbox table: every action shequn decided to
// take on a platform (send, reply, delete, mute, kick, ban, unban…) is a row
// with an idempotency key; a worker per platform claims due rows, performs
// them through the platform's Sender under a token-bucket rate limit,
// retries failures with exponential backoff, and never performs a row
// twice: a row claimed before a crash is taken again only after its lease,
// and a Sender that can tell whether a key was done is asked first.
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Config tunes a worker.
type Config struct {
	Rate        float64       // actions per second
	Burst       int           // bucket size
	Lease       time.Duration // a claim older than this is taken again
	MaxAttempts int           // then the row fails
	Batch       int           // rows claimed at once
	Idle        time.Duration // wait when nothing is due
	// Workspace limits the worker to one workspace's rows (a connector's);
	// 0 drains the platform's rows of every workspace.
	Workspace int64
	// Unconnected limits the worker to workspaces without an active
	// connector for the platform (the log connector's stand-in duty).
	Unconnected bool
}

// DefaultConfig suits chat platforms' usual limits (about 20 actions a
// second per bot).
func DefaultConfig() Config {
	return Config{Rate: 20, Burst: 20, Lease: 2 * time.Minute, MaxAttempts: 8, Batch: 50, Idle: time.Second}
}

// Worker drains one platform's rows.
type Worker struct {
	db     *sqlstore.DB
	sender shequn.Sender
	cfg    Config
	clock  shequn.Clock
	log    *slog.Logger
	bucket *bucket
}

// New returns a worker for sender.
func New(db *sqlstore.DB, sender shequn.Sender, cfg Config, clock shequn.Clock, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.Default()
	}
	return &Worker{db: db, sender: sender, cfg: cfg, clock: clock, log: log, bucket: newBucket(cfg.Rate, cfg.Burst)}
}

// Run drains until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		n, err := w.Drain(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("outbox", "platform", w.sender.Platform(), "err", err)
		}
		if n == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(w.cfg.Idle):
			}
		}
	}
	return ctx.Err()
}

// Drain claims one batch of due rows and performs them; it returns how many
// rows it handled.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	now := w.clock.Now()
	claim := w.db.ClaimOutbox
	if w.cfg.Unconnected {
		claim = w.db.ClaimUnconnected
	}
	items, err := claim(ctx, w.cfg.Workspace, w.sender.Platform(), now, now.Add(-w.cfg.Lease), w.cfg.Batch)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if err := w.bucket.wait(ctx); err != nil {
			return 0, err
		}
		if err := w.perform(ctx, it); err != nil {
			return 0, err
		}
	}
	return len(items), nil
}

// perform sends one claimed row and records the outcome.
func (w *Worker) perform(ctx context.Context, it *shequn.OutboxItem) error {
	if d, ok := w.sender.(shequn.Deduper); ok && it.Attempts > 1 {
		done, err := d.Performed(ctx, it)
		if err != nil {
			return err
		}
		if done { // the first attempt went through before the crash
			return w.db.MarkOutbox(ctx, it.ID, shequn.OutboxSent, it.DueAt, "")
		}
	}
	if err := w.db.FillRefs(ctx, it); err != nil {
		return err
	}
	err := w.sender.Send(ctx, it)
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return ctx.Err() // stop: the lease brings the row back
	}
	now := w.clock.Now()
	switch {
	case err == nil:
		return w.db.MarkOutbox(ctx, it.ID, shequn.OutboxSent, it.DueAt, "")
	case it.Attempts >= w.cfg.MaxAttempts:
		w.log.Warn("outbox action failed for good", "platform", it.Platform, "key", it.IdempotencyKey, "err", err)
		return w.db.MarkOutbox(ctx, it.ID, shequn.OutboxFailed, it.DueAt, err.Error())
	}
	return w.db.MarkOutbox(ctx, it.ID, shequn.OutboxPending, now.Add(Backoff(it.Attempts)), err.Error())
}

// Backoff is the wait before attempt n+1: 2^n seconds, at most an hour.
func Backoff(n int) time.Duration {
	if n > 12 {
		return time.Hour
	}
	return min(time.Hour, time.Duration(1<<n)*time.Second)
}

// bucket is a token bucket: rate tokens a second, at most burst saved.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

func (b *bucket) wait(ctx context.Context) error {
	for {
		now := time.Now()
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration((1 - b.tokens) / b.rate * float64(time.Second))):
		}
	}
}
