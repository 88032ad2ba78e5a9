package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testAnalyticsFigures: kept analytics figures are saved (replacing the
// one of the same request), found, touched, listed by last read, pruned
// and forgotten, per workspace; the version names the data.
func testAnalyticsFigures(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "figs", "UTC")
	other := MustCreateWorkspace(t, db, "figs2", "UTC")
	v1, err := db.FiguresVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	save := func(ws int64, req, body string, read time.Time) {
		t.Helper()
		f := sqlstore.Figure{Request: req, Version: v1, ComputedAt: t0, ReadAt: read, Took: 1500 * time.Millisecond, Body: []byte(body)}
		if err := db.SaveFigure(ctx, ws, f); err != nil {
			t.Fatal(err)
		}
	}
	save(ws.ID, `{"kind":"summary"}`, `{"messages":1}`, t0)
	save(ws.ID, `{"kind":"summary"}`, `{"messages":2}`, t0) // replaces
	save(ws.ID, `{"kind":"health"}`, `[]`, t0.Add(-48*time.Hour))
	save(other.ID, `{"kind":"summary"}`, `{"messages":9}`, t0)
	f, err := db.FindFigure(ctx, ws.ID, `{"kind":"summary"}`)
	if err != nil || f == nil || string(f.Body) != `{"messages":2}` || f.Version != v1 || !f.ComputedAt.Equal(t0) || f.Took != 1500*time.Millisecond {
		t.Fatalf("find: %+v %v", f, err)
	}
	if f, err := db.FindFigure(ctx, ws.ID, `{"kind":"pareto"}`); f != nil || err != nil {
		t.Fatalf("a request never kept: %+v %v", f, err)
	}
	if err := db.TouchFigure(ctx, ws.ID, `{"kind":"health"}`, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ReadFigures(ctx, ws.ID, t0.Add(time.Minute)); err != nil || len(got) != 1 || got[0].Request != `{"kind":"health"}` || got[0].Body != nil {
		t.Fatalf("read since: %+v %v", got, err)
	}
	if err := db.PruneFigures(ctx, ws.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ReadFigures(ctx, ws.ID, time.Time{}); len(got) != 1 {
		t.Fatalf("after pruning: %+v", got)
	}
	if err := db.ForgetFigures(ctx, ws.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ReadFigures(ctx, ws.ID, time.Time{}); len(got) != 0 {
		t.Fatalf("after forgetting: %+v", got)
	}
	if f, err := db.FindFigure(ctx, other.ID, `{"kind":"summary"}`); err != nil || f == nil || string(f.Body) != `{"messages":9}` {
		t.Fatalf("the other workspace's figure: %+v %v", f, err)
	}
	MustIngest(t, pipeline.New(db), ws, ev("v1", "g", "ann", shequn.EventMessage, t0))
	if v2, err := db.FiguresVersion(ctx); err != nil || v2 == v1 {
		t.Fatalf("version after an event: %q (was %q) %v", v2, v1, err)
	}
}
