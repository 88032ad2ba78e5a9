// Package apptest builds an App over a fresh SQLite database for tests.
package apptest

import (
	"bytes"
	"context"
	"mime/multipart"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	a := app.New(db, nil)
	stores.Store(a, db)
	t.Cleanup(func() { stores.Delete(a); db.Close() })
	ws, err := a.EnsureWorkspace(context.Background(), slug, slug, tz)
	if err != nil {
		t.Fatal(err)
	}
	return a, ws
}

// stores remembers the store under each App that New made, for tests that
// look at rows directly (the App does not expose its store).
var stores sync.Map // *app.App → *sqlstore.DB

// DB returns the store of an App made by New.
func DB(t testing.TB, a *app.App) *sqlstore.DB {
	t.Helper()
	db, ok := stores.Load(a)
	if !ok {
		t.Fatal("apptest.DB: this App was not made by apptest.New")
	}
	return db.(*sqlstore.DB)
}

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// WithClock makes a and its store read the time from a new clock at t.
func WithClock(a *app.App, t time.Time) *Clock {
	c := &Clock{t: t}
	a.SetClock(c)
	return c
}

// Eventually polls cond every 20 ms for up to 30 s, and fails the test
// naming what it waited for.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// Count runs a counting query on a's store.
func Count(t testing.TB, a *app.App, query string, args ...any) int {
	t.Helper()
	var n int
	if err := DB(t, a).Write().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Multipart writes a multipart form of fields and, when image is set, a
// file field "image"; it returns the body and its content type.
func Multipart(fields map[string]string, image []byte) (*bytes.Buffer, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if image != nil {
		fw, _ := mw.CreateFormFile("image", "qr.png")
		fw.Write(image)
	}
	mw.Close()
	return &body, mw.FormDataContentType()
}
