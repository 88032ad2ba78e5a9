// Package sqlstore is shequn's one store implementation, for SQLite (the
// embedded default, pure Go) and PostgreSQL (scale-out). Queries are named
// portable SQL in queries/*.sql; the two databases differ only in their
// migrations and in the small Dialect value.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// Dialect names the database kind.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open store. For SQLite, Write is a single connection (SQLite
// allows one writer) and Read a pool; for PostgreSQL both are one pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
	q       *queries
	now     func() time.Time
	stop    chan struct{} // SQLite: ends the checkpointer
	stopped chan struct{}
	wal     *walState  // SQLite only
	stmts   *stmtCache // SQLite only: the writer's statements
	grown   growth     // PostgreSQL only: rows added since tables were analyzed
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// selects PostgreSQL; anything else is a SQLite file path (its directory is
// created). Migrations are applied and every named query is checked.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.q.check(ctx, db.read); err != nil {
		db.Close()
		return nil, err
	}
	db.optimize(ctx)
	return db, nil
}

// optimize refreshes SQLite's table statistics where they are missing or
// stale (a bounded sample of each index), so that the planner picks the
// index a read was written for; PostgreSQL's autovacuum does this itself.
func (db *DB) optimize(ctx context.Context) {
	if db.Dialect != SQLite {
		return
	}
	db.write.ExecContext(ctx, "PRAGMA analysis_limit = 1000")
	db.write.ExecContext(ctx, "PRAGMA optimize = 0x10002")
}

func open(dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

func openPostgres(dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// Every execution is planned for its own parameters. After five runs
	// of a statement PostgreSQL may switch to a generic plan, which for
	// "member_id IN ($4, … $503)" walked a whole month of points totals
	// (175 ms instead of 6 on the 1M-event bench); planning costs well
	// under a millisecond here. A plan_cache_mode in the URL is kept.
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	q, err := loadQueries(Postgres)
	if err != nil {
		return nil, err
	}
	db := &DB{Dialect: Postgres, write: pool, read: pool, q: q, now: time.Now, stop: make(chan struct{}), stopped: make(chan struct{})}
	go db.maintainer()
	return db, nil
}

func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// busy_timeout first so that the WAL switch waits for other openers.
	pragmas := "?_pragma=busy_timeout(" + strconv.FormatInt(writerBusy.Milliseconds(), 10) + ")&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(ON)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	// The writer never checkpoints itself: checkpointer() does it in the
	// background, so that commits do not stall on copying the WAL (wal.go).
	write, err := sql.Open("sqlite", "file:"+path+pragmas+"&_pragma=wal_autocheckpoint(0)&_pragma=journal_size_limit("+strconv.Itoa(walSizeLimit)+")")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	// Readers share the operating system's page cache; a smaller private
	// cache each keeps a busy console's memory bounded (4 readers).
	readPragmas := strings.Replace(strings.Replace(pragmas, "&_txlock=immediate", "", 1), "cache_size(-65536)", "cache_size(-16384)", 1)
	read, err := sql.Open("sqlite", "file:"+path+readPragmas)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	q, err := loadQueries(SQLite)
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	db := &DB{Dialect: SQLite, write: write, read: read, q: q, now: time.Now, stop: make(chan struct{}), stopped: make(chan struct{}),
		wal: &walState{path: path + "-wal"}, stmts: newStmtCache()}
	go db.checkpointer()
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	if db.stop != nil {
		close(db.stop)
		<-db.stopped
	}
	if db.Dialect == SQLite {
		// Briefly: another process still serving keeps its own WAL short.
		db.write.Exec("PRAGMA busy_timeout = " + strconv.FormatInt(walPatience.Milliseconds(), 10))
		db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// SetNow replaces the clock used for created_at stamps (tests).
func (db *DB) SetNow(now func() time.Time) { db.now = now }

// Write returns the writer pool (bench and tests).
func (db *DB) Write() *sql.DB { return db.write }

func (db *DB) stamp() int64 { return db.now().UnixMilli() }

// withTx runs fn in a write transaction and commits it, or rolls back on error.
func (db *DB) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.prepareWanted(ctx)
	return nil
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func msTimePtr(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := msTime(ms.Int64)
	return &t
}

func nullInt64(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func int64Ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// nullTime is t in ms, NULL for the zero time.
func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}
