package bench

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestConsoleSmall builds a small workspace, serves it and requests every
// page and API read (each must answer 200), then reuses the workspace.
func TestConsoleSmall(t *testing.T) {
	cfg := ConsoleConfig{Data: t.TempDir(), Workspace: "bench", Events: 20_000, Communities: 10, Members: 500, Runs: 1, Seed: 1}
	var out bytes.Buffer
	res, err := Console(context.Background(), cfg, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(res.Pages) != 51 || res.Events < 10_000 || res.Resident <= 0 {
		t.Fatalf("pages %d events %d resident %d\n%s", len(res.Pages), res.Events, res.Resident, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := regexp.MustCompile(`^console: pages 51 p50 [0-9.]+ ms p95 [0-9.]+ ms max [0-9.]+ ms slowest /\S*$`)
	if !last.MatchString(lines[len(lines)-1]) {
		t.Fatalf("last line %q", lines[len(lines)-1])
	}
	out.Reset()
	cfg.Runs = 1
	if _, err := Console(context.Background(), cfg, &out); err != nil || !strings.Contains(out.String(), "reusing workspace bench") {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
}
