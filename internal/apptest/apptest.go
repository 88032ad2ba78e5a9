// Package apptest builds an App over a fresh SQLite database for tests.
package apptest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// New returns an App on a temporary SQLite file with workspace slug in
// zone tz; everything is closed when t ends.
func New(t testing.TB, slug, tz string) (*app.App, *shequn.Workspace) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := app.New(db, nil)
	ws, err := a.EnsureWorkspace(context.Background(), slug, slug, tz)
	if err != nil {
		t.Fatal(err)
	}
	return a, ws
}
