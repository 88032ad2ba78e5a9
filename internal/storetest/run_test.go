package storetest_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shequn/shequn/internal/store/sqlstore"
	"github.com/shequn/shequn/internal/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "shequn.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

var schemaSeq atomic.Int64

func TestPostgres(t *testing.T) {
	dsn := os.Getenv("SHEQUN_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("SHEQUN_REQUIRE_POSTGRES") == "1" {
			t.Fatal("SHEQUN_REQUIRE_POSTGRES=1 but SHEQUN_TEST_POSTGRES is empty")
		}
		t.Skip("SHEQUN_TEST_POSTGRES is not set: skipping the PostgreSQL store suite (set it to a DSN such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	storetest.Run(t, func(t *testing.T) *sqlstore.DB { return OpenPostgres(t, dsn) })
}

// OpenPostgres opens a store in a fresh schema that is dropped after t.
func OpenPostgres(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("t_%d_%d", time.Now().UnixNano(), schemaSeq.Add(1))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqlstore.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if db.Dialect != sqlstore.Postgres || !strings.HasPrefix(u.Scheme, "postgres") {
		t.Fatal("not a postgres store")
	}
	return db
}
