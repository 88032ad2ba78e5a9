package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// backupCmd: shequn backup --to FILE — a consistent copy of the SQLite
// store, taken while shequn serves.
func backupCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlags("backup", env)
	to := fs.String("to", "", "file to write the backup to (must not exist)")
	return withStore(ctx, fs, args, env, func(_ *app.App, db *sqlstore.DB) error {
		if *to == "" {
			return shequn.Errorf(shequn.EINVALID, "usage: shequn backup --to FILE [--data DIR]")
		}
		start := time.Now()
		if err := db.Backup(ctx, *to); err != nil {
			return err
		}
		fi, err := os.Stat(*to)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backed up to %s (%.1f MB) in %v\n", *to, float64(fi.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
		return nil
	})
}

// restoreCmd: shequn restore --from FILE — put a backup in place of the
// data directory's store (shequn must be stopped).
func restoreCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlags("restore", env)
	from := fs.String("from", "", "backup file made by shequn backup")
	data := fs.String("data", or(env.Getenv("SHEQUN_DATA"), "./shequn-data"), "data directory to restore into")
	replace := fs.Bool("replace", false, "replace an existing store (it is kept as shequn.db.before-restore)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn restore --from FILE [--data DIR] [--replace]")
	}
	path := filepath.Join(*data, "shequn.db")
	if err := sqlstore.Restore(ctx, *from, path, *replace); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s to %s; start shequn serve --data %s\n", *from, path, *data)
	return nil
}
