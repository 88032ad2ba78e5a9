package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// A backup taken while a serve process ingests is consistent (whole
// batches only, rollups agreeing with the events), and restoring it gives
// a store that opens and serves those events.
func TestBackupWhileServingAndRestore(t *testing.T) {
	data := t.TempDir()
	code, token, stderr := run(t, "", "token", "create", "--data", data, "--name", "loader")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	token = strings.TrimSpace(token)
	srv := startServer(t, data)
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for n := w; ; n += 2 {
				select {
				case <-stop:
					return
				default:
				}
				if status, _, err := postBatch(srv.url, token, makeBatch(n)); err == nil && status == 200 {
					acked.Add(1)
				}
			}
		})
	}
	for deadline := time.Now().Add(time.Minute); acked.Load() < 20; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no batches acknowledged")
		}
	}
	backup := filepath.Join(t.TempDir(), "backups", "shequn-backup.db")
	code, out, stderr := run(t, "", "backup", "--data", data, "--to", backup)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := run(t, "", "backup", "--data", data, "--to", backup); code == 0 || !strings.Contains(stderr, "already exists") {
		t.Fatalf("a second backup over the first: %d %s", code, stderr)
	}
	srv.cmd.Process.Kill()
	srv.cmd.Wait()

	// Restore into a fresh directory, then open it as shequn would.
	target := t.TempDir()
	if code, out, stderr := run(t, "", "restore", "--from", backup, "--data", target); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := run(t, "", "restore", "--from", backup, "--data", target); code == 0 || !strings.Contains(stderr, "--replace") {
		t.Fatalf("restore over a store without --replace: %d %s", code, stderr)
	}
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just some bytes padded out ........................................................"), 0o600)
	if code, _, stderr := run(t, "", "restore", "--from", junk, "--data", t.TempDir()); code == 0 {
		t.Fatalf("restoring junk succeeded: %s", stderr)
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(target, "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws, err := db.FindWorkspaceBySlug(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.Overview(ctx, ws.ID, shequn.DayRange{From: "2000-01-01", To: "2100-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Events == 0 || o.Events%batchSize != 0 {
		t.Fatalf("backup holds %d events: not whole batches of %d", o.Events, batchSize)
	}
	var msgs int
	db.Write().QueryRow("SELECT count(*) FROM events WHERE kind = 'message'").Scan(&msgs)
	if msgs != o.Messages {
		t.Fatalf("rollups disagree with events in the backup: %d messages, rollups say %d", msgs, o.Messages)
	}
	t.Logf("backup while serving: %d events in %d whole batches (of %d acknowledged by the end)", o.Events, o.Events/batchSize, acked.Load())
}
