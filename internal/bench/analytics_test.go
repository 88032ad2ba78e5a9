package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The analytics benchmark fills a small store, runs every read and ends
// with the line the issue asks for; on PostgreSQL too when it is there.
func TestAnalyticsSmall(t *testing.T) {
	cfg := AnalyticsConfig{Members: 2000, Communities: 20, Events: 60_000, Days: 40, Queries: 10, Seed: 1, Dir: t.TempDir()}
	dbs := []string{""}
	if dsn := os.Getenv("SHEQUN_TEST_POSTGRES"); dsn != "" {
		dbs = append(dbs, dsn)
	} else {
		t.Log("SHEQUN_TEST_POSTGRES not set: SQLite only")
	}
	for _, dsn := range dbs {
		cfg.DB = dsn
		var out bytes.Buffer
		res, err := Analytics(context.Background(), cfg, &out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if res.Rows == 0 || len(res.Kinds) != 5 || !strings.HasPrefix(lines[len(lines)-1], "analytics: p50 ") || !strings.Contains(lines[len(lines)-1], " ms p99 ") {
			t.Fatalf("result %+v, output:\n%s", res, out.String())
		}
		t.Log(out.String())
	}
	// a kept directory is read again, not filled twice
	cfg.DB = ""
	var out bytes.Buffer
	if res, err := Analytics(context.Background(), cfg, &out); err != nil || res.Rows != 0 || !strings.Contains(out.String(), "already filled") {
		t.Fatalf("second run on %s: %+v %v\n%s", cfg.Dir, res, err, out.String())
	}
	if _, err := Analytics(context.Background(), AnalyticsConfig{Members: 10, Communities: 1, Events: 10, Days: 7, Queries: 1}, &bytes.Buffer{}); err == nil {
		t.Error("7 days accepted: the summary needs 28")
	}
}
