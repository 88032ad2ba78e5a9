package bench

import (
	"context"
	"os"
	"testing"
)

func TestIngestSmall(t *testing.T) {
	res, err := Ingest(context.Background(), IngestConfig{Events: 5000, Batch: 1000, Seed: 1, Dir: t.TempDir()}, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pipeline <= 0 || res.Raw <= 0 {
		t.Fatalf("rates %+v", res)
	}
}
