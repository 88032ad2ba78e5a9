// Package storetest is the conformance suite of the store: every test runs
// against SQLite and, when SHEQUN_TEST_POSTGRES holds a DSN, PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Opener returns a fresh, empty, migrated store for one test.
type Opener func(t *testing.T) *sqlstore.DB

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Workspaces", testWorkspaces},
		{"OperatorsSessionsTokens", testOperators},
		{"IngestCountsOnce", testIngestOnce},
		{"MembershipTransitions", testMemberships},
		{"OutOfOrderMembership", testOutOfOrder},
		{"RollupsDistinctActive", testRollups},
		{"RollupsWorkspaceTimeZone", testTimeZone},
		{"IdentityResolution", testIdentities},
		{"FailedBatchLeavesNothing", testFailedBatch},
		{"FindCommunities", testFindCommunities},
		{"FindMembers", testFindMembers},
		{"KeptFigures", testKeptFigures},
		{"MemberTimeline", testTimeline},
		{"CommunityEvents", testCommunityEvents},
		{"UpdateCommunity", testUpdateCommunity},
		{"WorkspaceIsolation", testIsolation},
		{"Moderation", testModeration},
		{"LedgerProperties", testLedgerProperties},
		{"ConcurrentRedemptions", testConcurrentRedemptions},
		{"EarningAndCommands", testEarningAndCommands},
		{"Standings", testStandings},
		{"Badges", testBadges},
		{"ManyStandings", testManyStandings},
		{"OutboxWorkers", testOutboxWorkers},
		{"Engage", testEngage},
		{"FirstAnswer", testFirstAnswer},
		{"HourSignalsPruned", testHourSignalsPruned},
		{"Sizes", testSizes},
		{"Maintain", testMaintain},
		{"FoldedPoints", testFoldedPoints},
		{"MemberCounts", testMemberCounts},
		{"MemberSearch", testMemberSearch},
		{"Connectors", testConnectors},
		{"AnalyticsRecount", testAnalyticsRecount},
		{"AnalyticsFigures", testAnalyticsFigures},
		{"LiveCodes", testLiveCodes},
		{"LandingPages", testLandingPages},
		{"HelpLedger", testHelpLedger},
		{"CampaignRuns", testCampaignRuns},
		{"Highlights", testHighlights},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// MustCreateWorkspace creates a workspace with the given slug and zone.
func MustCreateWorkspace(t *testing.T, db *sqlstore.DB, slug, tz string) *shequn.Workspace {
	t.Helper()
	ws := &shequn.Workspace{Slug: slug, Name: slug, TimeZone: tz}
	if err := db.CreateWorkspace(context.Background(), ws); err != nil {
		t.Fatalf("create workspace: %v", err)
	}
	return ws
}

// ev builds an event; opts are key=value pairs for the optional fields.
func ev(id, group, actor string, kind shequn.EventKind, at time.Time, opts ...string) shequn.Event {
	e := shequn.Event{SourceID: id, Platform: "telegram", Community: group, CommunityName: "Group " + group, Actor: actor, ActorName: actor, Kind: kind, TS: at}
	for i := 0; i+1 < len(opts); i += 2 {
		switch opts[i] {
		case "text":
			e.Text = opts[i+1]
		case "target":
			e.Target = opts[i+1]
		case "inviter":
			e.Inviter = opts[i+1]
		case "platform":
			e.Platform = opts[i+1]
		case "name":
			e.ActorName = opts[i+1]
		case "reply":
			e.ReplyTo = opts[i+1]
		}
	}
	return e
}

// MustIngest runs events through a pipeline and fails the test on error.
func MustIngest(t *testing.T, p *pipeline.Pipeline, ws *shequn.Workspace, events ...shequn.Event) shequn.IngestResult {
	t.Helper()
	r, err := p.Ingest(context.Background(), ws, events)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return r
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := shequn.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testWorkspaces(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "Asia/Shanghai")
	got, err := db.FindWorkspaceBySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ws, got); diff != "" {
		t.Fatalf("workspace mismatch (-want +got):\n%s", diff)
	}
	wantCode(t, db.CreateWorkspace(ctx, &shequn.Workspace{Slug: "acme", Name: "again"}), shequn.ECONFLICT)
	_, err = db.FindWorkspaceByID(ctx, ws.ID+100)
	wantCode(t, err, shequn.ENOTFOUND)
	all, err := db.FindWorkspaces(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("FindWorkspaces = %d, %v", len(all), err)
	}
}

func testOperators(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	o := &shequn.Operator{WorkspaceID: ws.ID, Email: " Ops@Example.com ", Role: shequn.RoleAdmin, PasswordHash: "x"}
	if err := db.CreateOperator(ctx, o); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindOperatorByEmail(ctx, "ops@example.com")
	if err != nil || got.ID != o.ID || got.Role != shequn.RoleAdmin {
		t.Fatalf("FindOperatorByEmail = %+v, %v", got, err)
	}
	wantCode(t, db.CreateOperator(ctx, &shequn.Operator{WorkspaceID: ws.ID, Email: "ops@example.com", Role: shequn.RoleViewer, PasswordHash: "y"}), shequn.ECONFLICT)
	now := time.Now()
	if err := db.CreateSession(ctx, &shequn.Session{Hash: "h1", OperatorID: o.ID, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "h1", now); err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	_, err = db.FindSession(ctx, "h1", now.Add(2*time.Hour))
	wantCode(t, err, shequn.ENOTFOUND)
	if err := db.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	_, err = db.FindSession(ctx, "h1", now)
	wantCode(t, err, shequn.ENOTFOUND)
	tok := &shequn.APIToken{WorkspaceID: ws.ID, Name: "ingest", Hash: "abc"}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindTokenByHash(ctx, "abc"); err != nil || got.ID != tok.ID {
		t.Fatalf("FindTokenByHash = %+v, %v", got, err)
	}
	_, err = db.FindTokenByHash(ctx, "nope")
	wantCode(t, err, shequn.ENOTFOUND)
}

// snapshot captures every count the pipeline can change.
func snapshot(t *testing.T, db *sqlstore.DB, ws *shequn.Workspace) string {
	t.Helper()
	ctx := context.Background()
	win := shequn.DayRange{From: "2026-01-01", To: "2026-12-31"}
	o, err := db.Overview(ctx, ws.ID, win)
	if err != nil {
		t.Fatal(err)
	}
	days, err := db.WorkspaceDays(ctx, ws.ID, win)
	if err != nil {
		t.Fatal(err)
	}
	cs, _, err := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, win)
	if err != nil {
		t.Fatal(err)
	}
	s := fmt.Sprintf("%+v %+v", o, days)
	for _, c := range cs {
		s += fmt.Sprintf(" %d:%+v", c.ID, c.Stats)
	}
	return s
}

func sampleBatch() []shequn.Event {
	return []shequn.Event{
		ev("1", "g1", "alice", shequn.EventJoin, t0),
		ev("2", "g1", "bob", shequn.EventJoin, t0.Add(time.Minute), "inviter", "alice"),
		ev("3", "g1", "alice", shequn.EventMessage, t0.Add(2*time.Minute), "text", "hello 大家好"),
		ev("4", "g1", "bob", shequn.EventMessage, t0.Add(3*time.Minute), "text", "hi", "reply", "3"),
		ev("5", "g1", "bob", shequn.EventReaction, t0.Add(4*time.Minute)),
		ev("6", "g2", "carol", shequn.EventMessage, t0.Add(5*time.Minute), "text", "在吗"),
		ev("7", "g1", "alice", shequn.EventKick, t0.Add(6*time.Minute), "target", "spammer"),
	}
}

func testIngestOnce(t *testing.T, db *sqlstore.DB) {
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	batch := sampleBatch()
	if r := MustIngest(t, p, ws, batch...); r != (shequn.IngestResult{Accepted: 7}) {
		t.Fatalf("first = %+v", r)
	}
	before := snapshot(t, db, ws)
	if r := MustIngest(t, p, ws, batch...); r != (shequn.IngestResult{Duplicates: 7}) {
		t.Fatalf("second = %+v", r)
	}
	// a fresh pipeline (empty caches, as after a restart) must agree
	if r := MustIngest(t, pipeline.New(db), ws, batch...); r != (shequn.IngestResult{Duplicates: 7}) {
		t.Fatalf("after restart = %+v", r)
	}
	// duplicates inside one batch count once
	if r := MustIngest(t, p, ws, ev("8", "g1", "bob", shequn.EventMessage, t0), ev("8", "g1", "bob", shequn.EventMessage, t0)); r != (shequn.IngestResult{Accepted: 1, Duplicates: 1}) {
		t.Fatalf("in-batch duplicate = %+v", r)
	}
	MustIngest(t, p, ws, ev("8", "g1", "bob", shequn.EventMessage, t0))
	after := snapshot(t, db, ws)
	if before == after {
		t.Fatal("event 8 changed nothing")
	}
	if r := MustIngest(t, p, ws, batch...); r.Duplicates != 7 || snapshot(t, db, ws) != after {
		t.Fatalf("replay changed counts")
	}
	o, _ := db.Overview(context.Background(), ws.ID, shequn.DayRange{From: "2026-03-02", To: "2026-03-02"})
	want := shequn.Overview{Communities: 2, Members: 4, Events: 8, Messages: 4, ActiveMembers: 3, Joins30d: 2, Leaves30d: 1, Messages30d: 4}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Fatalf("overview (-want +got):\n%s", diff)
	}
}

// membership returns alice-style member's membership in group g.
func membership(t *testing.T, db *sqlstore.DB, ws *shequn.Workspace, actor, group string) *shequn.Membership {
	t.Helper()
	ctx := context.Background()
	ms, _, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Query: actor, Limit: 10}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || len(ms) != 1 {
		t.Fatalf("find member %s: %d, %v", actor, len(ms), err)
	}
	all, err := db.FindMemberships(ctx, ws.ID, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.CommunityName == "Group "+group {
			return m
		}
	}
	t.Fatalf("%s has no membership in %s", actor, group)
	return nil
}

func testMemberships(t *testing.T, db *sqlstore.DB) {
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, ws, sampleBatch()...)
	alice := membership(t, db, ws, "alice", "g1")
	bob := membership(t, db, ws, "bob", "g1")
	tests := []struct {
		name            string
		got             *shequn.Membership
		status, source  string
		invited, joined bool
	}{
		{"alice joined directly", alice, shequn.StatusActive, shequn.SourceDirect, false, true},
		{"bob invited by alice", bob, shequn.StatusActive, shequn.SourceInvite, true, true},
		{"spammer kicked", membership(t, db, ws, "spammer", "g1"), shequn.StatusKicked, shequn.SourceUnknown, false, false},
		{"carol seen writing", membership(t, db, ws, "carol", "g2"), shequn.StatusActive, shequn.SourceUnknown, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Status != tt.status || tt.got.JoinSource != tt.source || (tt.got.InvitedBy != nil) != tt.invited || (tt.got.JoinedAt != nil) != tt.joined {
				t.Fatalf("membership = %+v", tt.got)
			}
		})
	}
	if *bob.InvitedBy != alice.MemberID {
		t.Fatalf("bob invited by %d, want alice %d", *bob.InvitedBy, alice.MemberID)
	}
	MustIngest(t, p, ws, ev("l1", "g1", "bob", shequn.EventLeave, t0.Add(time.Hour)))
	if m := membership(t, db, ws, "bob", "g1"); m.Status != shequn.StatusLeft || m.LeftAt == nil || *m.InvitedBy != alice.MemberID {
		t.Fatalf("after leave: %+v", m)
	}
	MustIngest(t, p, ws, ev("j2", "g1", "bob", shequn.EventJoin, t0.Add(2*time.Hour)))
	if m := membership(t, db, ws, "bob", "g1"); m.Status != shequn.StatusActive || m.LeftAt != nil {
		t.Fatalf("after rejoin: %+v", m)
	}
	MustIngest(t, p, ws, ev("b1", "g1", "alice", shequn.EventBan, t0.Add(3*time.Hour), "target", "bob"))
	if m := membership(t, db, ws, "bob", "g1"); m.Status != shequn.StatusBanned {
		t.Fatalf("after ban: %+v", m)
	}
}

func testOutOfOrder(t *testing.T, db *sqlstore.DB) {
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, ws, ev("leave", "g1", "dan", shequn.EventLeave, t0.Add(time.Hour)))
	MustIngest(t, p, ws, ev("join", "g1", "dan", shequn.EventJoin, t0)) // older: must not revive
	if m := membership(t, db, ws, "dan", "g1"); m.Status != shequn.StatusLeft {
		t.Fatalf("older join overrode a newer leave: %+v", m)
	}
}

func testRollups(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, ws, ev("a", "g1", "alice", shequn.EventMessage, t0), ev("b", "g1", "alice", shequn.EventMessage, t0.Add(time.Minute)))
	MustIngest(t, p, ws, ev("c", "g1", "alice", shequn.EventMessage, t0.Add(2*time.Minute)), ev("d", "g1", "bob", shequn.EventReaction, t0.Add(3*time.Minute)))
	MustIngest(t, pipeline.New(db), ws, ev("e", "g1", "alice", shequn.EventMessage, t0.Add(4*time.Minute)), ev("f", "g1", "carol", shequn.EventJoin, t0))
	MustIngest(t, p, ws, ev("g", "g1", "alice", shequn.EventMessage, t0.Add(24*time.Hour)))
	cs, _, err := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("communities: %v", err)
	}
	days, err := db.CommunityDays(ctx, ws.ID, cs[0].ID, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	want := []shequn.DayStats{
		{Day: "2026-03-02", Messages: 4, ActiveMembers: 2, Joins: 1},
		{Day: "2026-03-03", Messages: 1, ActiveMembers: 1},
	}
	if diff := cmp.Diff(want, days); diff != "" {
		t.Fatalf("community days (-want +got):\n%s", diff)
	}
	wdays, err := db.WorkspaceDays(ctx, ws.ID, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, wdays); diff != "" {
		t.Fatalf("workspace days (-want +got):\n%s", diff)
	}
}

func testTimeZone(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "Asia/Shanghai")
	p := pipeline.New(db)
	// 2026-03-02 17:00 UTC is 2026-03-03 01:00 in Shanghai
	MustIngest(t, p, ws, ev("a", "g1", "alice", shequn.EventMessage, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)))
	days, err := db.WorkspaceDays(ctx, ws.ID, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if err != nil || len(days) != 1 || days[0].Day != "2026-03-03" {
		t.Fatalf("days = %+v, %v", days, err)
	}
}

func testIdentities(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, ws, ev("a", "g1", "u1", shequn.EventMessage, t0, "name", "小王"), ev("b", "g2", "u1", shequn.EventMessage, t0, "name", "小王"))
	MustIngest(t, p, ws, ev("c", "g1", "u1", shequn.EventMessage, t0, "platform", "wecom", "name", "Wang"))
	MustIngest(t, p, ws, ev("d", "g1", "u1", shequn.EventMessage, t0.Add(time.Hour), "name", "王小二"))
	ms, total, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Sort: "name"}, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"})
	if err != nil || total != 2 {
		t.Fatalf("members = %d, %v (same id on another platform is another member until merged)", total, err)
	}
	var tg *shequn.MemberSummary
	for _, m := range ms {
		if len(m.Platforms) == 1 && m.Platforms[0] == "telegram" {
			tg = m
		}
	}
	if tg == nil || tg.DisplayName != "王小二" || tg.Stats.Communities != 2 || tg.Stats.Messages != 3 {
		t.Fatalf("telegram member = %+v", tg)
	}
	ids, err := db.FindIdentities(ctx, ws.ID, tg.ID)
	if err != nil || len(ids) != 1 || ids[0].DisplayName != "王小二" {
		t.Fatalf("identities = %+v, %v", ids, err)
	}
}

type failStage struct{}

func (failStage) Name() string { return "fail" }
func (failStage) Apply(context.Context, *pipeline.Batch) error {
	return errors.New("injected failure")
}

func testFailedBatch(t *testing.T, db *sqlstore.DB) {
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	empty := snapshot(t, db, ws)
	bad := pipeline.New(db)
	bad.Use(failStage{})
	if _, err := bad.Ingest(context.Background(), ws, sampleBatch()); err == nil {
		t.Fatal("want an error from the failing stage")
	}
	if got := snapshot(t, db, ws); got != empty {
		t.Fatalf("a failed batch left rows behind: %s", got)
	}
	// the same pipeline's caches must not remember ids of the rolled-back batch
	good := pipeline.New(db)
	if r := MustIngest(t, good, ws, sampleBatch()...); r.Accepted != 7 {
		t.Fatalf("after failure = %+v", r)
	}
	if m := membership(t, db, ws, "bob", "g1"); m.Status != shequn.StatusActive {
		t.Fatalf("bob = %+v", m)
	}
}

func testFindCommunities(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	MustIngest(t, pipeline.New(db), ws, sampleBatch()...)
	win := shequn.DayRange{From: "2026-03-01", To: "2026-03-31"}
	tests := []struct {
		name   string
		f      shequn.CommunityFilter
		want   []string
		total  int
		member int
	}{
		{"all, busiest first", shequn.CommunityFilter{}, []string{"Group g1", "Group g2"}, 2, 2},
		{"query", shequn.CommunityFilter{Query: "G2"}, []string{"Group g2"}, 1, 1},
		{"platform", shequn.CommunityFilter{Platform: "wecom"}, nil, 0, 0},
		{"page", shequn.CommunityFilter{Limit: 1, Offset: 1}, []string{"Group g2"}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, total, err := db.FindCommunities(ctx, ws.ID, tt.f, win)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cs {
				names = append(names, c.Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" || total != tt.total {
				t.Fatalf("names (-want +got):\n%s total %d", diff, total)
			}
			if len(cs) > 0 && cs[0].Stats.Members != tt.member {
				t.Fatalf("members of %s = %d, want %d", cs[0].Name, cs[0].Stats.Members, tt.member)
			}
		})
	}
	cs, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{}, win)
	want := shequn.CommunityStats{Members: 2, ActiveMembers: 2, Messages: 2, Joins: 2, Leaves: 1}
	if diff := cmp.Diff(want, cs[0].Stats); diff != "" || cs[0].LastActivity == nil {
		t.Fatalf("g1 stats (-want +got):\n%s", diff)
	}
}

func testFindMembers(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	MustIngest(t, pipeline.New(db), ws, append(sampleBatch(), ev("more", "g1", "alice", shequn.EventMessage, t0.Add(time.Hour)))...)
	win := shequn.DayRange{From: "2026-03-01", To: "2026-03-31"}
	cs, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{Query: "g1"}, win)
	g1 := cs[0].ID
	tests := []struct {
		name  string
		f     shequn.MemberFilter
		want  []string
		total int
	}{
		{"by name", shequn.MemberFilter{Sort: "name"}, []string{"alice", "bob", "carol", "spammer"}, 4},
		{"search", shequn.MemberFilter{Query: "CAR"}, []string{"carol"}, 1},
		{"community", shequn.MemberFilter{CommunityID: g1, Sort: "name"}, []string{"alice", "bob", "spammer"}, 3},
		{"community active", shequn.MemberFilter{CommunityID: g1, Status: shequn.StatusActive, Sort: "name"}, []string{"alice", "bob"}, 2},
		{"most messages", shequn.MemberFilter{Sort: "messages", Limit: 1}, []string{"alice"}, 4},
		{"platform none", shequn.MemberFilter{Platform: "qq"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, total, err := db.FindMembers(ctx, ws.ID, tt.f, win)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range ms {
				names = append(names, m.DisplayName)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" || total != tt.total {
				t.Fatalf("names (-want +got):\n%s total %d want %d", diff, total, tt.total)
			}
		})
	}
	_, _, err := db.FindMembers(ctx, ws.ID, shequn.MemberFilter{Sort: "id; DROP TABLE members"}, win)
	wantCode(t, err, shequn.EINVALID)
}

func testTimeline(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	MustIngest(t, pipeline.New(db), ws, sampleBatch()...)
	MustIngest(t, pipeline.New(db), ws, ev("x", "g2", "bob", shequn.EventMessage, t0.Add(48*time.Hour), "text", "later"))
	bob := membership(t, db, ws, "bob", "g1").MemberID
	tl, err := db.MemberTimeline(ctx, ws.ID, bob, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range tl {
		got = append(got, e.SourceID+":"+string(e.Kind))
	}
	if diff := cmp.Diff([]string{"x:message", "5:reaction", "4:message", "2:join"}, got); diff != "" {
		t.Fatalf("timeline (-want +got):\n%s", diff)
	}
	st, err := db.MemberStats(ctx, ws.ID, bob, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if err != nil || st.Messages != 2 || st.ActiveDays != 2 || st.LastActiveOn != "2026-03-04" {
		t.Fatalf("stats = %+v, %v", st, err)
	}
	alice := membership(t, db, ws, "alice", "g1").MemberID
	if st, _ := db.MemberStats(ctx, ws.ID, alice, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"}); st.Invited != 1 {
		t.Fatalf("alice invited %d, want 1", st.Invited)
	}
}

func testUpdateCommunity(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	MustIngest(t, pipeline.New(db), ws, sampleBatch()...)
	cs, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{Query: "g1"}, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	kind, stage, capacity, bench := shequn.KindCore, shequn.StageMature, 500, true
	c, err := db.UpdateCommunity(ctx, ws.ID, cs[0].ID, shequn.CommunityUpdate{Kind: &kind, Stage: &stage, Capacity: &capacity, Benchmark: &bench, Tags: []string{"vip", "北京"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindCommunityByID(ctx, ws.ID, c.ID)
	if diff := cmp.Diff(c, got); diff != "" || !got.Benchmark || got.Capacity != 500 || got.Tags[1] != "北京" || got.Name != "Group g1" {
		t.Fatalf("update (-want +got):\n%s\n%+v", diff, got)
	}
	_, err = db.UpdateCommunity(ctx, ws.ID, 9999, shequn.CommunityUpdate{Kind: &kind})
	wantCode(t, err, shequn.ENOTFOUND)
}

func testIsolation(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := MustCreateWorkspace(t, db, "a", "UTC")
	b := MustCreateWorkspace(t, db, "b", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, a, sampleBatch()...)
	if r := MustIngest(t, p, b, sampleBatch()...); r.Accepted != 7 {
		t.Fatalf("the same ids in another workspace are new: %+v", r)
	}
	cs, _, _ := db.FindCommunities(ctx, a.ID, shequn.CommunityFilter{}, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	if _, err := db.FindCommunityByID(ctx, b.ID, cs[0].ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("workspace b sees a's community: %v", err)
	}
	if sa, sb := snapshot(t, db, a), snapshot(t, db, b); sa[:40] != sb[:40] {
		t.Fatalf("workspaces differ:\n%s\n%s", sa, sb)
	}
}

func testCommunityEvents(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	p := pipeline.New(db)
	MustIngest(t, p, ws, sampleBatch()...)
	// interleave another group's events and a later day, in two batches
	MustIngest(t, p, ws, ev("y1", "g2", "carol", shequn.EventMessage, t0.Add(24*time.Hour)), ev("y2", "g1", "bob", shequn.EventMessage, t0.Add(24*time.Hour+time.Minute)))
	MustIngest(t, p, ws, ev("y3", "g2", "carol", shequn.EventMessage, t0.Add(25*time.Hour)), ev("y4", "g1", "alice", shequn.EventMessage, t0.Add(25*time.Hour)))
	cs, _, _ := db.FindCommunities(ctx, ws.ID, shequn.CommunityFilter{Query: "g1"}, shequn.DayRange{From: "2026-03-01", To: "2026-03-31"})
	tests := []struct {
		name  string
		day   string
		limit int
		want  []string
	}{
		{"latest first across days", "2026-03-31", 4, []string{"y4", "y2", "7", "5"}},
		{"up to a day", "2026-03-02", 3, []string{"7", "5", "4"}},
		{"all", "2026-03-31", 100, []string{"y4", "y2", "7", "5", "4", "3", "2", "1"}},
		{"before any", "2026-02-01", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := db.CommunityEvents(ctx, ws.ID, cs[0].ID, tt.day, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range evs {
				if e.CommunityID != cs[0].ID {
					t.Fatalf("event %s of another community", e.SourceID)
				}
				got = append(got, e.SourceID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// testModeration runs the moderation stage and a review through the app,
// so that its SQL is exercised on every database.
func testModeration(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	a := app.New(db, nil)
	ws := MustCreateWorkspace(t, db, "acme", "UTC")
	rule := app.DefaultModerationRule(ws.ID)
	rule.Action = shequn.ActionBlocklist
	if err := a.SaveModerationRule(ctx, nil, ws, rule); err != nil {
		t.Fatal(err)
	}
	MustIngest(t, a.Pipeline, ws,
		ev("j1", "g1", "bad", shequn.EventJoin, t0), ev("j2", "g2", "bad", shequn.EventJoin, t0),
		ev("m1", "g1", "bad", shequn.EventMessage, t0.Add(time.Minute), "text", "兼职刷单，日结300，加微信 abc8888 详聊"),
		ev("m2", "g1", "good", shequn.EventMessage, t0.Add(2*time.Minute), "text", "大家早上好"),
		ev("m3", "g1", "good", shequn.EventMessage, t0.Add(3*time.Minute), "text", "举报", "reply", "m2"))
	MustIngest(t, a.Pipeline, ws, ev("j3", "g3", "bad", shequn.EventJoin, t0.Add(time.Hour)))
	cases, err := db.FindCases(ctx, ws.ID, shequn.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.Reason+":"+c.Action+":"+c.SourceID)
	}
	if diff := cmp.Diff([]string{"blocklist:ban:", "report:flag:m2", "detector:blocklist:m1"}, got); diff != "" {
		t.Fatalf("cases (-want +got):\n%s", diff)
	}
	if bl, _ := db.FindBlocklist(ctx, ws.ID); len(bl) != 1 {
		t.Fatalf("blocklist = %v", bl)
	}
	spamCase := cases[2]
	items, _ := db.FindOutbox(ctx, ws.ID, spamCase.ID, shequn.OutboxPending, 10)
	if len(items) != 3 { // delete in g1, ban in g1 and g2
		t.Fatalf("outbox = %d items", len(items))
	}
	if _, err := a.ReviewCase(ctx, nil, ws, spamCase.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReviewCase(ctx, nil, ws, spamCase.ID, true); shequn.ErrorCode(err) != shequn.ECONFLICT {
		t.Fatalf("second review: %v", err)
	}
	if bl, _ := db.FindBlocklist(ctx, ws.ID); len(bl) != 0 {
		t.Fatalf("still blocked: %v", bl)
	}
	pending, _ := db.FindOutbox(ctx, ws.ID, spamCase.ID, shequn.OutboxPending, 10)
	cancelled, _ := db.FindOutbox(ctx, ws.ID, spamCase.ID, shequn.OutboxCancelled, 10)
	if len(pending) != 2 || pending[0].Action != "unban" || len(cancelled) != 3 {
		t.Fatalf("after overturn: %d pending (%v), %d cancelled", len(pending), pending, len(cancelled))
	}
	spam, ham, _ := db.TrainingSamples(ctx, ws.ID)
	if len(spam) != 0 || len(ham) != 1 || ham[0] != spamCase.Text {
		t.Fatalf("samples = %v / %v", spam, ham)
	}
}
