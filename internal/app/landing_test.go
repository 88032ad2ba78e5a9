package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

func landingFixture(t *testing.T) (*app.App, *shequn.Workspace, *shequn.LandingPage) {
	t.Helper()
	a, ws := apptest.New(t, "grow", "Asia/Shanghai")
	ctx := context.Background()
	code := &shequn.LiveCode{Slug: "camp", Name: "训练营", Fallback: "加客服"}
	if err := a.SaveLiveCode(ctx, ws, owner, code); err != nil {
		t.Fatal(err)
	}
	p := &shequn.LandingPage{Slug: "camp-2026", Title: "21 天训练营", Published: true, Blocks: []shequn.Block{
		{Kind: shequn.BlockHero, Title: "<script>alert(1)</script>", Button: "报名", Link: "#form"},
		{Kind: shequn.BlockLiveCode, LiveCode: "camp"},
		{Kind: shequn.BlockForm, Fields: []string{"name", "phone"}, Consent: "同意用于联系我"},
	}}
	if err := a.SaveLandingPage(ctx, ws, owner, p); err != nil {
		t.Fatal(err)
	}
	return a, ws, p
}

// Saving a page checks its blocks: kinds, links to blocks that exist, live
// codes that exist, one form with fields and consent, sizes; slugs are
// unique in a workspace; text is kept as typed (escaped when shown).
func TestSaveLandingPage(t *testing.T) {
	a, ws, p := landingFixture(t)
	ctx := context.Background()
	got, err := a.LandingPage(ctx, ws, p.ID)
	if err != nil || got.Blocks[0].Title != "<script>alert(1)</script>" || got.Lang != "zh" || len(got.Blocks) != 3 {
		t.Fatalf("page as saved: %+v %v", got, err)
	}
	form := shequn.Block{Kind: shequn.BlockForm, Fields: []string{"phone"}, Consent: "ok"}
	for _, tt := range []struct {
		name   string
		page   shequn.LandingPage
		field  string
		status string
	}{
		{"slug taken", shequn.LandingPage{Slug: "camp-2026", Title: "x"}, "slug", shequn.ECONFLICT},
		{"bad slug", shequn.LandingPage{Slug: "Camp 2026", Title: "x"}, "slug", shequn.EINVALID},
		{"no title", shequn.LandingPage{Slug: "t1"}, "title", shequn.EINVALID},
		{"bad lang", shequn.LandingPage{Slug: "t1", Title: "x", Lang: "fr"}, "lang", shequn.EINVALID},
		{"bad state", shequn.LandingPage{Slug: "t1", Title: "x", State: "朋友圈"}, "state", shequn.EINVALID},
		{"unknown kind", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "video"}}}, "blocks", shequn.EINVALID},
		{"javascript link", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "hero", Link: "javascript:alert(1)"}}}, "blocks", shequn.EINVALID},
		{"link to no form", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "cta", Link: "#form"}}}, "blocks", shequn.EINVALID},
		{"unknown live code", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "livecode", LiveCode: "nope"}}}, "blocks", shequn.EINVALID},
		{"form without consent", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "form", Fields: []string{"phone"}}}}, "blocks", shequn.EINVALID},
		{"two forms", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{form, form}}, "blocks", shequn.EINVALID},
		{"unknown field", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "form", Fields: []string{"id_card"}, Consent: "ok"}}}, "blocks", shequn.EINVALID},
		{"long text", shequn.LandingPage{Slug: "t1", Title: "x", Blocks: []shequn.Block{{Kind: "text", Text: strings.Repeat("字", 2001)}}}, "blocks", shequn.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := a.SaveLandingPage(ctx, ws, owner, &tt.page)
			if shequn.ErrorCode(err) != tt.status || shequn.ErrorField(err) != tt.field {
				t.Fatalf("got %v (field %q), want %s on %s", err, shequn.ErrorField(err), tt.status, tt.field)
			}
		})
	}
	if err := a.SaveLandingPage(ctx, ws, viewer, &shequn.LandingPage{Slug: "t2", Title: "x"}); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Fatalf("a viewer saved a page: %v", err)
	}
	p.Published = false
	if err := a.SaveLandingPage(ctx, ws, owner, p); err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenLandingPage(ctx, ws.Slug, p.Slug, false); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("an unpublished page opened for a visitor: %v", err)
	}
	if v, err := a.OpenLandingPage(ctx, ws.Slug, p.Slug, true); err != nil || v.Page.ID != p.ID {
		t.Fatalf("preview: %v", err)
	}
}

// Leads: a valid one is kept with its consent; an invalid phone, no
// consent, a long name are refused; the same phone again is a repeat (not
// stored twice); a honeypot drops the submission; one address is limited.
func TestSubmitLead(t *testing.T) {
	a, ws, p := landingFixture(t)
	ctx := context.Background()
	valid := app.LeadInput{Name: "王小明", Phone: "138 0013 8000", Consent: true, IP: "203.0.113.7", Source: "moments"}
	for _, tt := range []struct {
		name   string
		in     app.LeadInput
		field  string
		repeat bool
		drop   bool
	}{
		{"valid", valid, "", false, false},
		{"repeat with +86", app.LeadInput{Name: "王小明", Phone: "+86 13800138000", Consent: true, IP: "203.0.113.8"}, "", true, false},
		{"international", app.LeadInput{Name: "Ann", Phone: "+44 7911 123456", Consent: true, IP: "203.0.113.9"}, "", false, false},
		{"too short", app.LeadInput{Name: "x", Phone: "1380013800", Consent: true, IP: "203.0.113.10"}, "phone", false, false},
		{"second digit 2", app.LeadInput{Name: "x", Phone: "12800138000", Consent: true, IP: "203.0.113.10"}, "phone", false, false},
		{"letters", app.LeadInput{Name: "x", Phone: "<script>", Consent: true, IP: "203.0.113.10"}, "phone", false, false},
		{"no consent", app.LeadInput{Name: "x", Phone: "13900139000", IP: "203.0.113.11"}, "consent", false, false},
		{"no name", app.LeadInput{Phone: "13900139000", Consent: true, IP: "203.0.113.11"}, "name", false, false},
		{"long name", app.LeadInput{Name: strings.Repeat("名", 51), Phone: "13900139000", Consent: true, IP: "203.0.113.11"}, "name", false, false},
		{"honeypot", app.LeadInput{Name: "bot", Phone: "13700137000", Consent: true, Honeypot: "http://spam.example", IP: "203.0.113.12"}, "", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := a.SubmitLead(ctx, ws.Slug, p.Slug, tt.in)
			if tt.field != "" {
				if shequn.ErrorField(err) != tt.field {
					t.Fatalf("got %v, want an error on %s", err, tt.field)
				}
				return
			}
			if err != nil || res.Repeat != tt.repeat || res.Dropped != tt.drop {
				t.Fatalf("got %+v %v", res, err)
			}
		})
	}
	ls, err := a.Leads(ctx, ws, 0, "", 0, 0)
	if err != nil || len(ls) != 2 {
		t.Fatalf("%d leads kept, want 2 (the repeat and the bot not stored): %v", len(ls), err)
	}
	first := ls[1]
	if first.Phone != "+8613800138000" || first.Repeats != 1 || first.Source != "moments" || first.ConsentText != "同意用于联系我" ||
		first.ConsentVersion != shequn.ConsentVersion("同意用于联系我") || first.IP != "203.0.113.7" || first.Status != "new" {
		t.Fatalf("the first lead: %+v", first)
	}
	if ls[0].Source != "camp-2026" {
		t.Errorf("a lead without ?s= has source %q, want the page's slug", ls[0].Source)
	}
	// One address: LeadBurst submissions in the window, then refused.
	var last error
	for i := range app.LeadBurst + 1 {
		_, last = a.SubmitLead(ctx, ws.Slug, p.Slug, app.LeadInput{Name: "n", Phone: fmt.Sprintf("1390013%04d", i), Consent: true, IP: "198.51.100.1"})
	}
	if shequn.ErrorCode(last) != shequn.ETOOMANY {
		t.Fatalf("submission %d from one address: %v", app.LeadBurst+1, last)
	}
	if err := a.SetLeadStatus(ctx, ws, owner, first.ID, "contacted"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLeadStatus(ctx, ws, owner, first.ID, "won"); shequn.ErrorField(err) != "status" {
		t.Fatalf("an unknown status: %v", err)
	}
	if got, _ := a.Leads(ctx, ws, p.ID, "contacted", 0, 0); len(got) != 1 {
		t.Fatalf("%d contacted leads, want 1", len(got))
	}
	if err := a.DeleteLead(ctx, ws, viewer, first.ID); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Fatalf("a viewer erased a lead: %v", err)
	}
	if err := a.DeleteLead(ctx, ws, owner, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lead(ctx, ws, first.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("an erased lead: %v", err)
	}
}

// The funnel counts a code's and a page's visits by source, the page's
// leads, and joins carrying a source: those that stayed 7 days (of those
// old enough) and those that posted.
func TestFunnel(t *testing.T) {
	a, ws, p := landingFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 20, 4, 0, 0, 0, time.UTC)
	apptest.WithClock(a, now)
	code, _ := a.LiveCodes(ctx, ws)
	for _, src := range []string{"camp-2026", "camp-2026", "moments"} {
		if err := a.CountVisit(ctx, ws, app.CountPage, p.ID, src, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.CountVisit(ctx, ws, app.CountCode, code[0].ID, "camp", false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SubmitLead(ctx, ws.Slug, p.Slug, app.LeadInput{Name: "n", Phone: "13800138000", Consent: true, IP: "192.0.2.1", Source: "moments"}); err != nil {
		t.Fatal(err)
	}
	ev := func(id, actor, kind string, at time.Time, source string) shequn.EventInput {
		return shequn.EventInput{ID: id, Platform: "wecom", Community: "g1", CommunityName: "营 1 群", Actor: actor, ActorName: actor, Kind: kind,
			TS: at.Format(time.RFC3339), Source: source, Text: "hi"}
	}
	old, recent := now.Add(-10*24*time.Hour), now.Add(-2*24*time.Hour)
	in := []shequn.EventInput{
		ev("j1", "ann", "join", old, "camp-2026"), ev("j2", "bob", "join", old, "camp-2026"), ev("l2", "bob", "leave", old.Add(time.Hour), ""),
		ev("j3", "cai", "join", recent, "camp-2026"), ev("m3", "cai", "message", recent.Add(time.Minute), ""),
		ev("j4", "dan", "join", recent, "moments"),
	}
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	rows, err := a.Funnel(ctx, ws, 30)
	if err != nil {
		t.Fatal(err)
	}
	find := func(kind, name string) shequn.FunnelRow {
		for _, r := range rows {
			if r.Kind == kind && r.Name == name {
				return r
			}
		}
		t.Fatalf("no %s row %q in %+v", kind, name, rows)
		return shequn.FunnelRow{}
	}
	page := find("page", "21 天训练营")
	want := shequn.FunnelRow{Kind: "page", ID: p.ID, Name: "21 天训练营", Source: "camp-2026", Views: 3, Shown: 3, Leads: 1, Joins: 3, Matured: 2, Stayed: 1, Posted: 1}
	if page != want {
		t.Errorf("page funnel\n got %+v\nwant %+v", page, want)
	}
	if ch := find("channel", "moments"); ch.Views != 1 || ch.Leads != 1 || ch.Joins != 1 || ch.Matured != 0 {
		t.Errorf("channel moments: %+v", ch)
	}
	if c := find("code", "训练营"); c.Views != 1 || c.Shown != 0 {
		t.Errorf("code funnel: %+v", c)
	}
	if _, err := a.Funnel(ctx, ws, 12); shequn.ErrorField(err) != "days" {
		t.Errorf("12 days: %v", err)
	}
}
