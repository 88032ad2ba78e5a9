package app

import (
	"context"

	"github.com/shequn/shequn"
)

// ImportResult counts what an import did.
type ImportResult struct {
	shequn.IngestResult
	Invalid int // events that failed validation and were left out
}

// ImportEvents loads history through the pipeline in batches of MaxBatch,
// as history: counted, rolled up and searched for questions, but never acted
// upon — no moderation actions, replies, points, rules or greetings for
// something that happened long ago.
// Unlike the API, an invalid event is left out (and counted) rather than
// rejecting its batch: a real log has lines no source would send.
func (a *App) ImportEvents(ctx context.Context, ws *shequn.Workspace, in []shequn.EventInput) (ImportResult, error) {
	return a.ingestEach(ctx, ws, in, a.Pipeline.IngestHistory)
}

// DeliverEvents ingests what a connector received, live. An event that
// fails validation is left out and counted: one odd platform payload must
// not hold back the rest of its batch, nor be retried forever.
func (a *App) DeliverEvents(ctx context.Context, ws *shequn.Workspace, in []shequn.EventInput) (ImportResult, error) {
	return a.ingestEach(ctx, ws, in, a.Pipeline.Ingest)
}

func (a *App) ingestEach(ctx context.Context, ws *shequn.Workspace, in []shequn.EventInput,
	ingest func(context.Context, *shequn.Workspace, []shequn.Event) (shequn.IngestResult, error)) (ImportResult, error) {
	var res ImportResult
	batch := make([]shequn.Event, 0, MaxBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		r, err := ingest(ctx, ws, batch)
		res.Accepted += r.Accepted
		res.Duplicates += r.Duplicates
		batch = batch[:0]
		return err
	}
	for _, e := range in {
		ev, err := a.parseEvent(e)
		if err != nil {
			res.Invalid++
			continue
		}
		batch = append(batch, ev)
		if len(batch) == MaxBatch {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	return res, flush()
}
