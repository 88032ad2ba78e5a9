// Package pipeline ingests events: dedupe → identity → stages (membership,
// later moderation, points, triggers) → daily rollups, committed in one
// transaction per batch. A batch is acknowledged only after it commits.
package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Item is a new event with its resolved ids.
type Item struct {
	shequn.Event
	ID          int64 // the stored event's id
	CommunityID int64
	MemberID    int64
	TargetID    int64 // 0 when none
	InviterID   int64 // 0 when none
	Day         string
	Points      int64 // earned by this message (the points stage sets it)
	// Moderated is set by the moderation stage when it removed or punished
	// the message, Flagged when it only queued it for review; Command when
	// the message was a bot command. None of them earns points.
	Moderated, Flagged, Command bool
	// Asked is set by the question stage when the message asked a
	// question, Answered when it answered someone else's.
	Asked, Answered bool
}

// Batch is what stages see: the transaction and the new events of a batch,
// in time order. Duplicates never reach a stage.
type Batch struct {
	Tx        *sqlstore.IngestTx
	Workspace *shequn.Workspace
	Items     []*Item
	// History is set for imported history: stages record and count but
	// take no action (no moderation, replies, points, rules or greetings).
	History bool
	// after holds work to publish once the batch commits.
	after []func()
}

// AfterCommit registers fn to run once the batch is durable.
func (b *Batch) AfterCommit(fn func()) { b.after = append(b.after, fn) }

// Stage is one step of the pipeline. It must write only through b.Tx so that
// a failed batch leaves nothing behind.
type Stage interface {
	Name() string
	Apply(ctx context.Context, b *Batch) error
}

// Observer learns about every committed batch (metrics).
type Observer interface {
	BatchDone(events, accepted int, took time.Duration)
}

// StageObserver is an Observer that also learns how long each step of a
// batch took: "resolve", "insert", every stage by name, and "commit".
type StageObserver interface {
	StageDone(stage string, took time.Duration)
}

// Pipeline ingests batches. It is safe for concurrent use; batches are
// applied one at a time.
type Pipeline struct {
	db        *sqlstore.DB
	stages    []Stage
	cache     *cache
	mu        sync.Mutex
	observers []Observer
}

// New returns a pipeline with the core stages: membership then rollups.
func New(db *sqlstore.DB) *Pipeline {
	p := &Pipeline{db: db, cache: newCache(2_000_000)}
	m := &membershipStage{cache: p.cache}
	p.stages = []Stage{m, rollupStage{cache: p.cache}}
	return p
}

// Use inserts a stage before the final rollup stage.
func (p *Pipeline) Use(s Stage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stages = slices.Insert(p.stages, len(p.stages)-1, s)
}

// Observe adds a batch observer.
func (p *Pipeline) Observe(o Observer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.observers = append(p.observers, o)
}

// Ingest stores the batch's new events and applies every stage, all in one
// transaction. Events already stored (same platform and id) count as
// duplicates and change nothing.
func (p *Pipeline) Ingest(ctx context.Context, ws *shequn.Workspace, events []shequn.Event) (shequn.IngestResult, error) {
	return p.run(ctx, ws, events, false)
}

// IngestHistory stores imported history: like Ingest, but the batch is
// marked History, so nothing is acted upon.
func (p *Pipeline) IngestHistory(ctx context.Context, ws *shequn.Workspace, events []shequn.Event) (shequn.IngestResult, error) {
	return p.run(ctx, ws, events, true)
}

func (p *Pipeline) run(ctx context.Context, ws *shequn.Workspace, events []shequn.Event, history bool) (shequn.IngestResult, error) {
	start := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	uniq := dedupe(events)
	var res shequn.IngestResult
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if res, err = p.ingest(ctx, ws, uniq, history); err == nil || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return shequn.IngestResult{}, err
	}
	res.Duplicates += len(events) - len(uniq)
	for _, o := range p.observers {
		o.BatchDone(len(events), res.Accepted, time.Since(start))
	}
	return res, nil
}

func (p *Pipeline) ingest(ctx context.Context, ws *shequn.Workspace, events []shequn.Event, history bool) (shequn.IngestResult, error) {
	tx, err := p.db.BeginIngest(ctx, ws.ID)
	if err != nil {
		return shequn.IngestResult{}, err
	}
	defer tx.Rollback()
	staged := p.cache.stage()
	r := &resolver{tx: tx, cache: staged}
	lap := p.stopwatch()
	items, err := r.resolve(ctx, events, ws.Location())
	if err != nil {
		return shequn.IngestResult{}, err
	}
	lap("resolve")
	fresh, err := insertEvents(ctx, tx, items)
	if err != nil {
		return shequn.IngestResult{}, err
	}
	lap("insert")
	if err := markBots(ctx, tx, fresh); err != nil {
		return shequn.IngestResult{}, err
	}
	b := &Batch{Tx: tx, Workspace: ws, Items: fresh, History: history}
	for _, s := range p.stages {
		if err := s.Apply(ctx, b); err != nil {
			return shequn.IngestResult{}, fmt.Errorf("stage %s: %w", s.Name(), err)
		}
		lap(s.Name())
	}
	if err := tx.Commit(); err != nil {
		return shequn.IngestResult{}, err
	}
	lap("commit")
	staged.publish()
	for _, fn := range b.after {
		fn()
	}
	return shequn.IngestResult{Accepted: len(fresh), Duplicates: len(events) - len(fresh)}, nil
}

// stopwatch returns a function that reports the time since the previous
// call to the stage observers (none: it does nothing).
func (p *Pipeline) stopwatch() func(stage string) {
	var obs []StageObserver
	for _, o := range p.observers {
		if so, ok := o.(StageObserver); ok {
			obs = append(obs, so)
		}
	}
	if len(obs) == 0 {
		return func(string) {}
	}
	last := time.Now()
	return func(stage string) {
		now := time.Now()
		for _, o := range obs {
			o.StageDone(stage, now.Sub(last))
		}
		last = now
	}
}

// dedupe keeps the first event of each idempotency key.
func dedupe(events []shequn.Event) []shequn.Event {
	seen := make(map[string]struct{}, len(events))
	out := make([]shequn.Event, 0, len(events))
	for _, e := range events {
		k := e.Key()
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, e)
	}
	return out
}

// insertEvents writes the rows and returns the new ones in time order.
func insertEvents(ctx context.Context, tx *sqlstore.IngestTx, items []*Item) ([]*Item, error) {
	rows := make([]sqlstore.EventRow, len(items))
	for i, it := range items {
		rows[i] = sqlstore.EventRow{
			Platform: it.Platform, SourceID: it.SourceID, CommunityID: it.CommunityID, MemberID: it.MemberID,
			Kind: string(it.Kind), TS: it.TS.UnixMilli(), Text: it.Text, ReplyTo: it.ReplyTo,
			TargetID: nullID(it.TargetID), InviterID: nullID(it.InviterID), Attachments: attachmentsJSON(it.Attachments),
		}
	}
	inserted, err := tx.InsertEvents(ctx, rows)
	if err != nil {
		return nil, err
	}
	fresh := make([]*Item, 0, len(items))
	for i, it := range items {
		if inserted[i] != 0 {
			it.ID = inserted[i]
			fresh = append(fresh, it)
		}
	}
	slices.SortStableFunc(fresh, func(a, b *Item) int { return a.TS.Compare(b.TS) })
	return fresh, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// attachmentsJSON is what is stored of attachments: everything but bytes.
func attachmentsJSON(as []shequn.Attachment) string {
	if len(as) == 0 {
		return ""
	}
	meta := make([]shequn.Attachment, len(as))
	for i, a := range as {
		a.Data = nil
		meta[i] = a
	}
	b, _ := json.Marshal(meta)
	return string(b)
}

// markBots marks the actors the platform says are bots as staff: out of
// every analytics figure.
func markBots(ctx context.Context, tx *sqlstore.IngestTx, items []*Item) error {
	var bots []int64
	for _, it := range items {
		if it.ActorBot && !slices.Contains(bots, it.MemberID) {
			bots = append(bots, it.MemberID)
		}
	}
	if len(bots) == 0 {
		return nil
	}
	return tx.MarkStaff(ctx, bots)
}
