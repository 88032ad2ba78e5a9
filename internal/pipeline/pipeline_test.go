package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/bench"
	"github.com/shequn/shequn/internal/pipeline"
)

type recorder struct{ seen *[]int }

type observerFunc func(events, accepted int)

func (f observerFunc) BatchDone(events, accepted int, _ time.Duration) { f(events, accepted) }

func (recorder) Name() string { return "recorder" }
func (r recorder) Apply(_ context.Context, b *pipeline.Batch) error {
	*r.seen = append(*r.seen, len(b.Items))
	return nil
}

// A stage sees only new events, after membership and before rollups, and
// the observer sees every batch.
func TestStagesSeeOnlyNewEvents(t *testing.T) {
	a, ws := apptest.New(t, "w", "UTC")
	var seen []int
	a.Pipeline.Use(recorder{&seen})
	var observed []int
	a.Pipeline.Observe(observerFunc(func(events, accepted int) { observed = append(observed, events, accepted) }))
	evs, err := bench.Stream(300, 3)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, batch := range [][]shequn.Event{evs[:200], evs[100:300], evs} {
		if _, err := a.Pipeline.Ingest(ctx, ws, batch); err != nil {
			t.Fatal(err)
		}
	}
	if want := []int{200, 100, 0}; len(seen) != 3 || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
		t.Fatalf("stage saw %v, want %v", seen, want)
	}
	if want := []int{200, 200, 200, 100, 300, 0}; len(observed) != 6 || observed[3] != 100 || observed[5] != 0 {
		t.Fatalf("observer saw %v, want %v", observed, want)
	}
}

// BenchmarkIngest reports pipeline throughput on SQLite in batches of 1,000.
func BenchmarkIngest(b *testing.B) {
	evs, err := bench.Stream(200_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	a, ws := apptest.New(b, "bench", "UTC")
	ctx := context.Background()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		start := n % len(evs)
		batch := evs[start:min(start+1000, len(evs))]
		if _, err := a.Pipeline.Ingest(ctx, ws, batch); err != nil {
			b.Fatal(err)
		}
		n += len(batch)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
