package sqlstore

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shequn/shequn"
)

// perEvent are the tables that grow with every event: a read that scans one
// of them whole takes longer with every day of history.
var perEvent = []string{"events", "member_days", "points_entries", "questions"}

// fullScans are the reads allowed to scan a per-event table whole (or a
// workspace's part of it): jobs that rebuild figures for every member
// within a minute of new events, never a page.
var fullScans = map[string]bool{"lifetime-activity": true, "community-lifetime-activity": true}

// TestNoReadScansAPerEventTable asks SQLite for the plan of every named
// read and fails when one scans a per-event table without an index: such a
// page or API read grows with history (issue 13).
func TestNoReadScansAPerEventTable(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// a scan, or a search bounded by the workspace alone
	scan := regexp.MustCompile(`^(?:SCAN (\w+)|SEARCH (\w+) USING (?:COVERING )?(?:INDEX \w+|PRIMARY KEY) \(workspace_id=\?\)$)`)
	names := make([]string, 0, len(db.q.byName))
	for name := range db.q.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	texts := map[string]string{}
	for _, name := range names {
		texts[name] = db.q.in(name, 1)
	}
	where, _ := memberWhere(1, shequn.MemberFilter{Query: "a", CommunityID: 1, Status: "active", Platform: "x", Tier: "core"}, false)
	probe, _ := memberWhere(1, shequn.MemberFilter{Query: "a", CommunityID: 1, Status: "active", Platform: "x", Tier: "core"}, true)
	for name := range memberListQueries {
		names = append(names, "members list "+name, "members list probing "+name)
		texts["members list "+name] = memberList(name, where)
		texts["members list probing "+name] = memberList(name, probe)
	}
	checked := 0
	for _, name := range names {
		text := texts[name]
		if !isRead(text) {
			continue
		}
		checked++
		names := aliases(text)
		for _, step := range plan(t, db, name, text) {
			m := scan.FindStringSubmatch(step)
			if m == nil {
				continue
			}
			table := names[m[1]+m[2]]
			if table == "" || (m[1] != "" && strings.Contains(step, "USING")) {
				continue
			}
			if !fullScans[name] {
				t.Errorf("query %s scans %s whole: %s", name, table, step)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("checked only %d reads; the query files were not found", checked)
	}
}

// aliases maps each per-event table of a query, and its aliases, to the
// table (plans name a table by its alias).
func aliases(text string) map[string]string {
	out := map[string]string{}
	for _, table := range perEvent {
		out[table] = table
		re := regexp.MustCompile(`\b` + table + `\s+(?:AS\s+)?(\w+)`)
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			switch strings.ToUpper(m[1]) {
			case "WHERE", "ON", "JOIN", "LEFT", "GROUP", "ORDER", "SET", "VALUES", "USING", "LIMIT":
			default:
				out[m[1]] = table
			}
		}
	}
	return out
}

func isRead(text string) bool {
	head := strings.ToUpper(strings.TrimSpace(text))
	return strings.HasPrefix(head, "SELECT") || strings.HasPrefix(head, "WITH")
}

// plan returns the steps of a query's plan, its parameters all NULL.
func plan(t *testing.T, db *DB, name, text string) []string {
	t.Helper()
	args := make([]any, strings.Count(text, "?"))
	rows, err := db.read.Query("EXPLAIN QUERY PLAN "+text, args...)
	if err != nil {
		t.Fatalf("plan of %s: %v", name, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatalf("plan of %s: %v", name, err)
		}
		steps = append(steps, detail)
	}
	return steps
}
