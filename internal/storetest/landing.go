package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testLandingPages: pages keep their blocks; slugs are unique per
// workspace; a phone left twice on a page is one lead with a repeat, also
// when the two submissions race; counters add up per day and source; a
// page's deletion takes its leads.
func testLandingPages(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "lp", "UTC")
	other := MustCreateWorkspace(t, db, "lp2", "UTC")
	p := &shequn.LandingPage{WorkspaceID: ws.ID, Slug: "camp", Title: "营", Lang: "zh", Published: true,
		Blocks: []shequn.Block{{Kind: "hero", Title: "<script>x</script>"}, {Kind: "form", Fields: []string{"phone"}, Consent: "ok"}}}
	if err := db.CreateLandingPage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateLandingPage(ctx, &shequn.LandingPage{WorkspaceID: ws.ID, Slug: "camp", Title: "x", Lang: "zh"}); shequn.ErrorCode(err) != shequn.ECONFLICT {
		t.Fatalf("a taken slug: %v", err)
	}
	if err := db.CreateLandingPage(ctx, &shequn.LandingPage{WorkspaceID: other.ID, Slug: "camp", Title: "x", Lang: "en"}); err != nil {
		t.Fatalf("the slug in another workspace: %v", err)
	}
	got, err := db.FindLandingPageBySlug(ctx, ws.ID, "camp")
	if err != nil || !got.Published || len(got.Blocks) != 2 || got.Blocks[0].Title != "<script>x</script>" || got.Blocks[1].Fields[0] != "phone" {
		t.Fatalf("page: %+v %v", got, err)
	}
	got.Published, got.Title = false, "营 2"
	if err := db.UpdateLandingPage(ctx, got); err != nil {
		t.Fatal(err)
	}
	if back, _ := db.FindLandingPage(ctx, ws.ID, p.ID); back.Published || back.Title != "营 2" {
		t.Fatalf("after update: %+v", back)
	}
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	lead := func(phone string) *shequn.Lead {
		return &shequn.Lead{WorkspaceID: ws.ID, PageID: p.ID, Name: "王", Phone: phone, Source: "moments", ConsentText: "ok", ConsentVersion: "v1", ConsentAt: at, IP: "192.0.2.1"}
	}
	// the same phone from 8 submissions at once: one lead, 7 repeats
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			if _, err := db.AddLead(ctx, lead("+8613800138000")); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := db.AddLead(ctx, lead("+447911123456")); err != nil {
		t.Fatal(err)
	}
	for range 2 { // no phone: never a repeat
		if dup, err := db.AddLead(ctx, lead("")); err != nil || dup {
			t.Fatalf("a lead without a phone: %v %v", dup, err)
		}
	}
	ls, err := db.FindLeads(ctx, ws.ID, p.ID, "", 10, 0)
	if err != nil || len(ls) != 4 {
		t.Fatalf("%d leads, want 4: %v", len(ls), err)
	}
	first := ls[3]
	if first.Phone != "+8613800138000" || first.Repeats != 7 || first.Status != "new" || !first.ConsentAt.Equal(at) || first.IP != "192.0.2.1" {
		t.Fatalf("the raced lead: %+v", first)
	}
	if err := db.SetLeadStatus(ctx, ws.ID, first.ID, "contacted"); err != nil {
		t.Fatal(err)
	}
	if ls, _ := db.FindLeads(ctx, ws.ID, 0, "contacted", 10, 0); len(ls) != 1 {
		t.Fatalf("%d contacted", len(ls))
	}
	if _, err := db.FindLead(ctx, other.ID, first.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("another workspace's lead: %v", err)
	}
	if n, _ := db.LeadCounts(ctx, ws.ID, at.Add(-time.Hour)); len(n) != 1 || n[0].Leads != 4 {
		t.Fatalf("lead counts: %+v", n)
	}
	for _, c := range []struct {
		day, src     string
		views, shown int
	}{{"2026-06-01", "moments", 1, 1}, {"2026-06-01", "moments", 1, 0}, {"2026-06-02", "moments", 1, 1}, {"2026-06-02", "poster", 1, 1}, {"2026-07-09", "poster", 1, 1}} {
		if err := db.CountGrowth(ctx, ws.ID, "page", p.ID, c.day, c.src, c.views, c.shown); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := db.GrowthCounts(ctx, ws.ID, "2026-06-01", "2026-06-30")
	if err != nil || len(counts) != 2 {
		t.Fatalf("growth counts: %+v %v", counts, err)
	}
	for _, c := range counts {
		if (c.Source == "moments" && (c.Views != 3 || c.Shown != 2)) || (c.Source == "poster" && (c.Views != 1 || c.Shown != 1)) {
			t.Errorf("counts: %+v", c)
		}
	}
	// pictures: the same content twice is one; pruning keeps what is shown
	img1, err := db.AddPageImage(ctx, ws.ID, p.ID, "image/png", []byte("\x89PNG one"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.AddPageImage(ctx, ws.ID, p.ID, "image/png", []byte("\x89PNG one"))
	if err != nil || again != img1 {
		t.Fatalf("the same picture again: %d %v, want %d", again, err, img1)
	}
	img2, _ := db.AddPageImage(ctx, ws.ID, p.ID, "image/jpeg", []byte("\xff\xd8 two"))
	if err := db.PrunePageImages(ctx, ws.ID, p.ID, map[int64]bool{img2: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PageImage(ctx, ws.ID, p.ID, img1); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a pruned picture: %v", err)
	}
	if typ, b, err := db.PageImage(ctx, ws.ID, p.ID, img2); err != nil || typ != "image/jpeg" || string(b) != "\xff\xd8 two" {
		t.Fatalf("a kept picture: %q %q %v", typ, b, err)
	}
	if _, _, err := db.PageImage(ctx, other.ID, p.ID, img2); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("another workspace's picture: %v", err)
	}
	if err := db.DeleteLandingPage(ctx, ws.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if ls, _ := db.FindLeads(ctx, ws.ID, 0, "", 10, 0); len(ls) != 0 {
		t.Fatalf("%d leads outlived their page", len(ls))
	}
	if _, _, err := db.PageImage(ctx, ws.ID, p.ID, img2); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a picture outlived its page: %v", err)
	}
	if err := db.DeleteLead(ctx, ws.ID, first.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("deleting a gone lead: %v", err)
	}
}
