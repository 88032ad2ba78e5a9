package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/sim"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// TestBatchSizeKeepsTheStoredResult: the same stream ingested in batches of
// 300 events and in the bulk path's batches (simulate, the console bench)
// leaves identical tables: every rollup, membership, question,
// points figure and queued greeting.
func TestBatchSizeKeepsTheStoredResult(t *testing.T) {
	ctx := context.Background()
	end := time.Date(2026, 6, 30, 20, 0, 0, 0, time.UTC)
	dump := func(batch int) map[string][]string {
		path := filepath.Join(t.TempDir(), "shequn.db")
		db, err := sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		a := app.New(db, nil)
		a.SetClock(&clock{end})
		ws, err := a.EnsureWorkspace(ctx, "default", "default", "Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.Simulate(ctx, ws, sim.Config{Seed: 7, Communities: 8, Members: 600, Days: 20, End: end, Location: ws.Location()}, batch)
		if err != nil || n < 5000 {
			t.Fatalf("simulate: %d events, %v", n, err)
		}
		if _, _, err := a.RecomputeStandings(ctx, ws); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return dumpTables(t, path)
	}
	small, bulk := dump(300), dump(app.BulkBatch)
	if diff := cmp.Diff(small, bulk); diff != "" {
		t.Fatalf("tables differ by batch size (-300 +bulk):\n%s", diff)
	}
}

// dumpTables reads every table of a SQLite file (but the migrations' own),
// rows in key order. A membership's id is the order in which the batch's
// statements created it (joins before members first seen writing), so
// memberships are named by group and member instead, where they are
// referred to as well.
func dumpTables(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rs, err := db.Query("SELECT * FROM " + table + " ORDER BY 1, 2, 3")
		if err != nil && strings.Contains(err.Error(), "ORDER BY term") {
			rs, err = db.Query("SELECT * FROM " + table + " ORDER BY 1")
		}
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if v, ok := v.([]byte); ok {
					fmt.Fprintf(&b, "%s=%s ", cols[i], v)
					continue
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			out[table] = append(out[table], b.String())
		}
		rs.Close()
	}
	return namedMemberships(t, db, out)
}

var membershipRef = regexp.MustCompile(`(membership:|invite:)(\d+)`)

// namedMemberships replaces membership ids by "group/member".
func namedMemberships(t *testing.T, db *sql.DB, out map[string][]string) map[string][]string {
	t.Helper()
	names := map[string]string{}
	rs, err := db.Query("SELECT id, community_id, member_id FROM memberships")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var id, c, m int64
		rs.Scan(&id, &c, &m)
		names[strconv.FormatInt(id, 10)] = fmt.Sprintf("%d/%d", c, m)
	}
	for table, rows := range out {
		for i, r := range rows {
			if table == "memberships" {
				r = r[strings.IndexByte(r, ' ')+1:] // drop "id=N"
			}
			rows[i] = membershipRef.ReplaceAllStringFunc(r, func(ref string) string {
				sub := membershipRef.FindStringSubmatch(ref)
				return sub[1] + names[sub[2]]
			})
		}
		slices.Sort(rows)
	}
	return out
}
