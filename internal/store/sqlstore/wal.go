package sqlstore

import (
	"context"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// WAL bounds for SQLite. Passive checkpoints copy the WAL into the database
// without blocking anyone, but under continuous writes with readers always
// present they never reach the WAL's end, so SQLite never starts the WAL
// over and the file grows without limit (8 GB in two minutes was seen).
// When the WAL passes walRestartAt, the checkpointer runs a TRUNCATE
// checkpoint on the writer connection itself: ingest waits for it (the
// writer is one connection), readers that began before it finish, and the
// WAL goes back to zero bytes. journal_size_limit trims the file whenever
// SQLite restarts the WAL on its own.
const (
	walCheckEvery = 100 * time.Millisecond
	walRestartAt  = 64 << 20
	walSizeLimit  = 32 << 20
	walUrgentAt   = 2 * walRestartAt
	walPatience   = 200 * time.Millisecond // busy timeout of a TRUNCATE attempt…
	walUrgency    = 2 * time.Second        // …and of one past walUrgentAt
	writerBusy    = 10 * time.Second
)

// WALStats are the checkpointer's figures (SQLite only).
type WALStats struct {
	Bytes       int64  // current size of the WAL file
	Largest     int64  // largest size seen since open
	Truncations uint64 // TRUNCATE checkpoints that emptied the WAL
	Busy        uint64 // TRUNCATE checkpoints that could not finish (readers)
}

type walState struct {
	path        string
	largest     atomic.Int64
	truncations atomic.Uint64
	busy        atomic.Uint64
}

// WAL returns the WAL's figures; zero for PostgreSQL.
func (db *DB) WAL() WALStats {
	if db.wal == nil {
		return WALStats{}
	}
	return WALStats{Bytes: db.wal.size(), Largest: db.wal.largest.Load(),
		Truncations: db.wal.truncations.Load(), Busy: db.wal.busy.Load()}
}

func (w *walState) size() int64 {
	fi, err := os.Stat(w.path)
	if err != nil {
		return 0
	}
	n := fi.Size()
	for {
		old := w.largest.Load()
		if n <= old || w.largest.CompareAndSwap(old, n) {
			return n
		}
	}
}

// optimizeEvery is how many ticks pass between refreshes of the planner's
// statistics (an hour).
var optimizeEvery = int(time.Hour / walCheckEvery)

// checkpointer keeps the WAL small: a passive checkpoint every tick copies
// what it can without blocking; past walRestartAt a TRUNCATE checkpoint
// empties the WAL.
func (db *DB) checkpointer() {
	defer close(db.stopped)
	t := time.NewTicker(walCheckEvery)
	defer t.Stop()
	passive := 0
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}
		if n := db.wal.size(); n >= walRestartAt {
			wait := walPatience
			if n >= walUrgentAt {
				wait = walUrgency
			}
			db.truncateWAL(wait)
			continue
		}
		if passive++; passive%5 == 0 {
			db.read.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
		if passive%optimizeEvery == 0 {
			db.optimize(context.Background())
		}
	}
}

// truncateWAL runs one TRUNCATE checkpoint on the writer connection with
// busy timeout wait, so that a long read delays ingest by at most wait; a
// checkpoint that could not finish is tried again on the next tick (it
// has copied what it could).
func (db *DB) truncateWAL(wait time.Duration) {
	ctx := context.Background()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(wait.Milliseconds(), 10))
	defer conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(writerBusy.Milliseconds(), 10))
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil || busy != 0 {
		db.wal.busy.Add(1)
		return
	}
	db.wal.truncations.Add(1)
}
