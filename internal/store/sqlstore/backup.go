package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/shequn/shequn"
)

// Backup writes a consistent copy of a SQLite store to path while it is in
// use: VACUUM INTO reads one snapshot (a read transaction, so writers go
// on) and writes a compact database file. The file must not exist.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return shequn.Errorf(shequn.EINVALID, "backup: shequn backs up its SQLite store; for PostgreSQL use pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return shequn.Errorf(shequn.ECONFLICT, "backup: %s already exists", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.read.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Restore checks that from is a sound shequn database and puts a copy of it
// in place of the SQLite store at path, which must not be in use. An
// existing store is kept as path.before-restore unless replace is false,
// in which case an existing store is an error.
func Restore(ctx context.Context, from, path string, replace bool) error {
	if err := checkBackup(ctx, from); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil && !replace {
		return shequn.Errorf(shequn.ECONFLICT, "restore: %s exists; stop shequn and add --replace to put the backup in its place", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp := path + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, path+".before-restore"); err != nil {
			return fmt.Errorf("restore: keep the old store: %w", err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} { // the old store's log must not replay onto the backup
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// checkBackup opens a backup read-only and runs SQLite's integrity check
// and a look at shequn's schema.
func checkBackup(ctx context.Context, from string) error {
	if _, err := os.Stat(from); err != nil {
		return shequn.Errorf(shequn.ENOTFOUND, "restore: %s: no such file", from)
	}
	db, err := sql.Open("sqlite", "file:"+from+"?mode=ro")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil {
		return shequn.Errorf(shequn.EINVALID, "restore: %s is not a SQLite database: %v", from, err)
	} else if ok != "ok" {
		return shequn.Errorf(shequn.EINVALID, "restore: %s failed the integrity check: %s", from, ok)
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return shequn.Errorf(shequn.EINVALID, "restore: %s is not a shequn database", from)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
