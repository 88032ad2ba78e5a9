package bench

import (
	"context"
	"os"
	"testing"
	"time"
)

// Sustained ingest over HTTP from 8 writers, with API and console readers,
// keeps the SQLite WAL under 256 MB, and every acknowledged event is stored
// once. CI runs it for 45 s (SHEQUN_WAL_SECONDS changes that); `shequn
// bench wal` runs the 3-minute version and prints the figures.
func TestWALStaysBoundedUnderSustainedIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("sustained load: skipped with -short")
	}
	d := 45 * time.Second
	if v := os.Getenv("SHEQUN_WAL_SECONDS"); v != "" {
		s, err := time.ParseDuration(v + "s")
		if err != nil {
			t.Fatalf("SHEQUN_WAL_SECONDS=%q: %v", v, err)
		}
		d = s
	}
	const limit = 256 << 20
	res, err := WAL(context.Background(), WALConfig{Duration: d, Clients: 8, Readers: 2, Batch: 500, Dir: t.TempDir(), Limit: limit}, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if res.Acknowledged == 0 || res.Reads == 0 || res.ReadErrors != 0 || res.Failed != 0 {
		t.Fatalf("load did not run cleanly: %+v", res)
	}
	if res.MaxWAL == 0 || res.MaxWAL > limit {
		t.Fatalf("largest WAL %d bytes, want 1..%d", res.MaxWAL, limit)
	}
	t.Logf("largest WAL %.1f MB over %v, %d events", float64(res.MaxWAL)/(1<<20), d, res.Acknowledged)
}
