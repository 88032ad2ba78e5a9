package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testLiveCodes: live codes and their targets are stored per workspace
// (slugs unique within one), read back with the fill of their group (its
// active members) or their scans, and deleted with their targets; the
// QR picture comes back byte for byte.
func testLiveCodes(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "grow", "UTC")
	other := MustCreateWorkspace(t, db, "grow2", "UTC")
	MustIngest(t, pipeline.New(db), ws, ev("j1", "g", "ann", shequn.EventJoin, t0), ev("j2", "g", "bob", shequn.EventJoin, t0),
		ev("l1", "g", "bob", shequn.EventLeave, t0.Add(time.Hour)))
	cs, err := db.ListCommunities(ctx, ws.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("groups: %v %v", cs, err)
	}
	code := &shequn.LiveCode{WorkspaceID: ws.ID, Slug: "spring", Name: "春季", Fallback: "加客服", AlertSeats: 3}
	if err := db.CreateLiveCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateLiveCode(ctx, &shequn.LiveCode{WorkspaceID: ws.ID, Slug: "spring", Name: "again"}); shequn.ErrorCode(err) != shequn.ECONFLICT {
		t.Fatalf("a taken slug: %v", err)
	}
	if err := db.CreateLiveCode(ctx, &shequn.LiveCode{WorkspaceID: other.ID, Slug: "spring", Name: "theirs"}); err != nil {
		t.Fatalf("the same slug in another workspace: %v", err)
	}
	img := []byte("\x89PNG\r\n\x1a\n picture bytes \x00\xff")
	exp := t0.Add(7 * 24 * time.Hour)
	grouped := &shequn.LiveTarget{LiveCodeID: code.ID, CommunityID: cs[0].ID, Label: "1", Cap: 190, Held: 1, Position: 2, ExpiresAt: exp, QRText: "q1", ImageType: "image/png"}
	loose := &shequn.LiveTarget{LiveCodeID: code.ID, Label: "2", Cap: 50, Position: 1, ExpiresAt: exp, QRText: "q2", ImageType: "image/png"}
	for _, tg := range []*shequn.LiveTarget{grouped, loose} {
		if err := db.AddLiveTarget(ctx, ws.ID, tg, img); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if err := db.CountLiveScan(ctx, ws.ID, loose.ID); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.FindLiveCodeBySlug(ctx, ws.ID, "spring")
	if err != nil || got.Name != "春季" || got.Fallback != "加客服" || got.AlertSeats != 3 || len(got.Targets) != 2 {
		t.Fatalf("by slug: %+v %v", got, err)
	}
	first, second := got.Targets[0], got.Targets[1]
	if first.ID != loose.ID || first.Fill != 3 || first.Scans != 3 || second.Fill != 1 || second.CommunityID != cs[0].ID || !second.ExpiresAt.Equal(exp) {
		t.Fatalf("targets in position order with their fill: %+v", got.Targets)
	}
	if id, err := db.LiveCodeID(ctx, ws.ID, "spring"); err != nil || id != code.ID {
		t.Fatalf("id by slug: %d %v, want %d", id, err, code.ID)
	}
	if _, err := db.LiveCodeID(ctx, ws.ID, "autumn"); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("an unknown slug: %v", err)
	}
	typ, back, err := db.LiveTargetImage(ctx, ws.ID, code.ID, grouped.ID)
	if err != nil || typ != "image/png" || !bytes.Equal(back, img) {
		t.Fatalf("image: %q %q %v", typ, back, err)
	}
	if _, _, err := db.LiveTargetImage(ctx, other.ID, code.ID, grouped.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("another workspace's picture: %v", err)
	}
	code.Name, code.Slug = "春季 2", "spring-2"
	if err := db.UpdateLiveCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	if all, err := db.FindLiveCodes(ctx, ws.ID); err != nil || len(all) != 1 || all[0].Slug != "spring-2" || len(all[0].Targets) != 2 {
		t.Fatalf("list: %+v %v", all, err)
	}
	if err := db.DeleteLiveTarget(ctx, other.ID, code.ID, loose.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("deleting through another workspace: %v", err)
	}
	testJoinWayStore(t, db, ws.ID, other.ID)
	if err := db.DeleteLiveCode(ctx, ws.ID, code.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindLiveCode(ctx, ws.ID, code.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("deleted: %v", err)
	}
	if _, _, err := db.LiveTargetImage(ctx, ws.ID, code.ID, grouped.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a deleted code's picture: %v", err)
	}
}

// testJoinWayStore keeps a WeCom code's join way, its sync error and its
// QR picture; a failed sync keeps the picture it had.
func testJoinWayStore(t *testing.T, db *sqlstore.DB, ws, other int64) {
	ctx := context.Background()
	w := &shequn.JoinWay{Scene: 2, Remark: "春季", AutoCreateRoom: true, RoomBaseName: "新人群", RoomBaseID: 3}
	code := &shequn.LiveCode{WorkspaceID: ws, Slug: "vip", Name: "VIP", Mode: shequn.LiveWeCom, State: "ch:vip", ConnectorID: 7, JoinWay: w}
	if err := db.CreateLiveCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.LiveCodeQR(ctx, ws, code.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a QR before any sync: %v", err)
	}
	w.ConfigID, w.ChatIDs, w.QRCode = "cfg1", []string{"wr1", "wr2"}, "https://wework.qpic.cn/q.png"
	img := []byte("\x89PNG join way")
	if err := db.SaveJoinWay(ctx, ws, code.ID, w, "", "image/png", img); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveJoinWay(ctx, ws, code.ID, w, "errcode 45009", "", nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindLiveCode(ctx, ws, code.ID)
	if err != nil || got.Mode != shequn.LiveWeCom || got.State != "ch:vip" || got.ConnectorID != 7 || got.SyncError != "errcode 45009" || !got.HasQR ||
		got.JoinWay == nil || got.JoinWay.ConfigID != "cfg1" || len(got.JoinWay.ChatIDs) != 2 || !got.JoinWay.AutoCreateRoom || got.JoinWay.RoomBaseID != 3 {
		t.Fatalf("join way code: %+v %+v %v", got, got.JoinWay, err)
	}
	if typ, back, err := db.LiveCodeQR(ctx, ws, code.ID); err != nil || typ != "image/png" || !bytes.Equal(back, img) {
		t.Fatalf("join way QR: %q %q %v", typ, back, err)
	}
	if _, _, err := db.LiveCodeQR(ctx, other, code.ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("another workspace's join way QR: %v", err)
	}
	if err := db.DeleteLiveCode(ctx, ws, code.ID); err != nil {
		t.Fatal(err)
	}
}
