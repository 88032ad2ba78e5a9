package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// TestProbedFiltersListTheSameMembers: a filter tested per member (EXISTS)
// and one read first (IN) give the same pages, for every sort, filter and
// page.
func TestProbedFiltersListTheSameMembers(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "probe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws := &shequn.Workspace{Slug: "probe", Name: "probe", TimeZone: "UTC"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var evs []shequn.Event
	for i := range 300 {
		platform := []string{"telegram", "wecom", "matrix"}[i%3]
		kind := shequn.EventMessage
		if i%4 == 0 {
			kind = shequn.EventJoin
		}
		evs = append(evs, shequn.Event{Platform: platform, SourceID: fmt.Sprint("e", i), Community: fmt.Sprint("g", i%7),
			Actor: fmt.Sprint("u", i%60), ActorName: fmt.Sprint("user ", i%60), Kind: kind, TS: t0.Add(time.Duration(i) * time.Hour), Text: "hi"})
	}
	if _, err := pipeline.New(db).Ingest(ctx, ws, evs); err != nil {
		t.Fatal(err)
	}
	cs, _, err := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || len(cs) == 0 {
		t.Fatalf("communities %d %v", len(cs), err)
	}
	win := shequn.DayRange{From: "2026-03-01", To: "2026-03-31"}
	var filters []shequn.MemberFilter
	for _, sort := range []string{"messages", "active", "recent", "name"} {
		for _, f := range []shequn.MemberFilter{{CommunityID: cs[0].ID}, {CommunityID: cs[1].ID, Status: shequn.StatusActive},
			{Platform: "wecom"}, {Platform: "wecom", CommunityID: cs[2].ID}, {Query: "user 1", Platform: "matrix"}} {
			for _, page := range [][2]int{{50, 0}, {3, 0}, {4, 5}, {2, 9}} {
				f.Sort, f.Limit, f.Offset = sort, page[0], page[1]
				filters = append(filters, f)
			}
		}
	}
	list := func(share float64) [][]int64 {
		defer sqlstore.SetDenseShare(share)()
		var out [][]int64
		for _, f := range filters {
			ms, total, err := db.FindMembers(ctx, ws.ID, f, win)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{int64(total)}
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			out = append(out, ids)
		}
		return out
	}
	probed, read := list(0), list(2)
	if diff := cmp.Diff(read, probed); diff != "" {
		t.Fatalf("pages with filters probed differ from those read first (-read +probed):\n%s", diff)
	}
}
