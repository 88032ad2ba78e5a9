package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// The store's upkeep: pruning, sizes, statistics and vacuum.

// testHourSignalsPruned: hourly signals older than a time are deleted for
// one workspace only, across gaps of days, and later hours stay whole.
func testHourSignalsPruned(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	wa, wb := MustCreateWorkspace(t, db, "hours-a", "UTC"), MustCreateWorkspace(t, db, "hours-b", "UTC")
	now := t0.Truncate(time.Hour)
	at := func(days, hours int) int64 {
		return now.AddDate(0, 0, -days).Add(time.Duration(hours) * time.Hour).UnixMilli()
	}
	write := func(ws *shequn.Workspace, rows ...sqlstore.HourRow) {
		tx, err := db.BeginIngest(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := tx.AddCommunityHours(ctx, rows); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// community ids are the table's keys only; 1 and 2 stand for two groups
	write(wa, sqlstore.HourRow{CommunityID: 1, Hour: at(40, 0), Messages: 1}, sqlstore.HourRow{CommunityID: 1, Hour: at(20, 5), Messages: 2},
		sqlstore.HourRow{CommunityID: 2, Hour: at(15, 23), Messages: 4}, sqlstore.HourRow{CommunityID: 1, Hour: at(14, 1), Messages: 8},
		sqlstore.HourRow{CommunityID: 2, Hour: at(3, 0), Messages: 16, Negative: 1})
	write(wb, sqlstore.HourRow{CommunityID: 7, Hour: at(40, 0), Messages: 32})
	n, err := db.PruneHourSignals(ctx, wa.ID, now.AddDate(0, 0, -14))
	if err != nil || n != 3 {
		t.Fatalf("pruned %d (%v), want the 3 hours older than 14 days", n, err)
	}
	got, err := db.HourSignals(ctx, wa.ID, now.AddDate(0, 0, -60), now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]sqlstore.HourSignal{1: {Messages: 8}, 2: {Messages: 16, Negative: 1}}
	if !maps.Equal(got, want) {
		t.Fatalf("signals after pruning %v, want %v", got, want)
	}
	if got, _ := db.HourSignals(ctx, wb.ID, now.AddDate(0, 0, -60), now); got[7].Messages != 32 {
		t.Fatalf("another workspace's signals %v, want them kept", got)
	}
	if n, err := db.PruneHourSignals(ctx, wa.ID, now.AddDate(0, 0, -14)); err != nil || n != 0 {
		t.Fatalf("second prune %d (%v), want nothing left to delete", n, err)
	}
}

// testSizes: the store reports its tables and indexes, largest first, the
// event table and its key among them once events are stored.
func testSizes(t *testing.T, db *sqlstore.DB) {
	ws := MustCreateWorkspace(t, db, "sizes", "UTC")
	MustIngest(t, app.New(db, nil).Pipeline, ws, sampleBatch()...)
	sizes, err := db.Sizes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int64{}
	for i, s := range sizes {
		if i > 0 && s.Bytes > sizes[i-1].Bytes {
			t.Fatalf("not largest first: %v", sizes)
		}
		names[s.Name] = s.Bytes
	}
	if names["events"] <= 0 || len(names) < 20 {
		t.Fatalf("sizes %v: want the events table and every other", sizes)
	}
}

// testMaintain: on PostgreSQL a table that more than a tenth changed since
// its last analyze is analyzed, and one whose dead rows pass a fifth of
// it is vacuumed when the server's autovacuum is off (on SQLite there is
// nothing to do). PostgreSQL publishes its row counters within a second or
// so, hence the waits.
func testMaintain(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "maintain", "UTC")
	var evs []shequn.Event
	hours := make([]sqlstore.HourRow, 300)
	for i := range 300 {
		evs = append(evs, ev("m"+itoa(i), "g1", "ann", shequn.EventMessage, t0.Add(time.Duration(i)*time.Second), "text", "早"))
		hours[i] = sqlstore.HourRow{CommunityID: 1, Hour: t0.AddDate(0, 0, -60).Add(time.Duration(i) * time.Hour).UnixMilli(), Messages: 1}
	}
	MustIngest(t, app.New(db, nil).Pipeline, ws, evs...)
	tx, err := db.BeginIngest(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddCommunityHours(ctx, hours); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PruneHourSignals(ctx, ws.ID, t0); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == sqlstore.SQLite {
		if m, err := db.Maintain(ctx); err != nil || len(m.Analyzed)+len(m.Vacuumed) > 0 {
			t.Fatalf("SQLite maintenance %+v %v, want none", m, err)
		}
		return
	}
	var autovacuum string
	if err := db.Write().QueryRowContext(ctx, "SHOW autovacuum").Scan(&autovacuum); err != nil {
		t.Fatal(err)
	}
	var analyzed, vacuumed bool
	apptest.Eventually(t, "the events analyzed and, with autovacuum off, the pruned hours vacuumed", func() bool {
		m, err := db.Maintain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		analyzed = analyzed || slices.Contains(m.Analyzed, "events") || slices.Contains(m.Vacuumed, "events")
		vacuumed = vacuumed || autovacuum == "on" || slices.Contains(m.Vacuumed, "community_hours")
		return analyzed && vacuumed
	})
}
