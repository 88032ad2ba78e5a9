package app

import (
	"context"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/sim"
)

// BulkBatch is the batch size of the bulk path (simulate, the console
// bench): the pipeline itself, with fewer and larger transactions; the
// stored result does not depend on the batch size (a test holds it so).
const BulkBatch = 50_000

// Simulate feeds a simulation through the pipeline (every stage) in
// batches of batch events and returns how many events were stored.
func (a *App) Simulate(ctx context.Context, ws *shequn.Workspace, cfg sim.Config, batch int) (int, error) {
	buf := make([]shequn.Event, 0, batch)
	total := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		r, err := a.Pipeline.Ingest(ctx, ws, buf)
		total += r.Accepted
		buf = buf[:0]
		return err
	}
	err := sim.Run(cfg, func(e shequn.Event) error {
		buf = append(buf, e)
		if len(buf) == batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return total, err
}
