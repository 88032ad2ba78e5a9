package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/moderation"
)

func qrPNG(t *testing.T, text string) []byte {
	t.Helper()
	png, err := moderation.EncodeQR(text, 240)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// A live code shows the first target with room: target 1 until its group
// reaches the cap (less the held seats), then target 2; an expired target
// is skipped; with none left the page has no target (the fallback). A
// picture that is not a QR code is refused.
func TestLiveCodePool(t *testing.T) {
	a, ws := apptest.New(t, "grow", "Asia/Shanghai")
	ctx := context.Background()
	now := time.Date(2026, 5, 20, 4, 0, 0, 0, time.UTC)
	c := apptest.WithClock(a, now)
	code := &shequn.LiveCode{Slug: "spring-2026", Name: "春季新人群", Fallback: "请加客服微信 shequn-help", AlertSeats: 5}
	if err := a.SaveLiveCode(ctx, ws, owner, code); err != nil {
		t.Fatal(err)
	}
	// group 1 gets 3 members; its target holds 1 seat for the bot, cap 4
	var in []shequn.EventInput
	for i := range 3 {
		in = append(in, shequn.EventInput{ID: fmt.Sprint("j", i), Platform: "wechat", Community: "g1", CommunityName: "新人 1 群", Actor: fmt.Sprint("m", i),
			ActorName: fmt.Sprint("m", i), Kind: "join", TS: now.Add(-time.Hour).Format(time.RFC3339)})
	}
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	g1 := groupNamed(t, a, ws, "新人 1 群")
	one := &shequn.LiveTarget{LiveCodeID: code.ID, CommunityID: g1.ID, Label: "1 群", Cap: 5, Held: 1}
	if err := a.AddLiveTarget(ctx, ws, owner, one, qrPNG(t, "https://weixin.qq.com/g/one")); err != nil {
		t.Fatal(err)
	}
	two := &shequn.LiveTarget{LiveCodeID: code.ID, Label: "2 群", Cap: 2, Days: 2}
	if err := a.AddLiveTarget(ctx, ws, owner, two, qrPNG(t, "https://weixin.qq.com/g/two")); err != nil {
		t.Fatal(err)
	}
	if one.Position != 1 || two.Position != 2 || one.QRText != "https://weixin.qq.com/g/one" || !two.ExpiresAt.Equal(now.AddDate(0, 0, 2)) ||
		!one.ExpiresAt.Equal(now.AddDate(0, 0, shequn.DefaultQRDays)) || one.ImageType != "image/png" {
		t.Fatalf("targets as added: %+v %+v", one, two)
	}
	shown := func(count bool) string {
		t.Helper()
		p, err := a.OpenLiveCode(ctx, "grow", "spring-2026", count)
		if err != nil {
			t.Fatal(err)
		}
		if p.Target == nil {
			return ""
		}
		return p.Target.Label
	}
	if got := shown(true); got != "1 群" {
		t.Fatalf("with room in group 1: shown %q", got)
	}
	// a fourth member fills group 1 (3 + 1 = 5 − 1 held)
	in = []shequn.EventInput{{ID: "j9", Platform: "wechat", Community: "g1", CommunityName: "新人 1 群", Actor: "m9", ActorName: "m9", Kind: "join",
		TS: now.Add(-time.Minute).Format(time.RFC3339)}}
	if _, err := a.ImportEvents(ctx, ws, in); err != nil {
		t.Fatal(err)
	}
	if got := shown(true); got != "2 群" {
		t.Fatalf("group 1 full: shown %q, want 2 群", got)
	}
	if got := shown(true); got != "2 群" {
		t.Fatalf("one scan of target 2 (cap 2): shown %q", got)
	}
	if got := shown(true); got != "" { // two scans fill target 2, which has no group
		t.Fatalf("target 2 filled by scans: shown %q, want the fallback", got)
	}
	got, err := a.LiveCode(ctx, ws, code.ID)
	if err != nil || got.Targets[0].Fill != 4 || got.Targets[1].Scans != 2 || got.FreeSeats(now) != 0 {
		t.Fatalf("fill read back: %+v %v", got, err)
	}
	// an expired target is skipped even with room
	three := &shequn.LiveTarget{LiveCodeID: code.ID, Label: "3 群", Cap: 100, Days: 1}
	if err := a.AddLiveTarget(ctx, ws, owner, three, qrPNG(t, "https://weixin.qq.com/g/three")); err != nil {
		t.Fatal(err)
	}
	if got := shown(false); got != "3 群" {
		t.Fatalf("target 3: shown %q", got)
	}
	c.Set(now.Add(25 * time.Hour))
	if got := shown(false); got != "" {
		t.Fatalf("target 3 expired: shown %q, want the fallback", got)
	}
	typ, img, err := a.LiveCodeImage(ctx, "grow", "spring-2026", three.ID)
	if err != nil || typ != "image/png" || len(img) == 0 {
		t.Fatalf("image: %q %d %v", typ, len(img), err)
	}

	bad := []struct {
		name  string
		t     shequn.LiveTarget
		image []byte
		code  string
	}{
		{"no picture", shequn.LiveTarget{}, nil, shequn.EINVALID},
		{"not a picture", shequn.LiveTarget{}, []byte("<script>alert(1)</script>"), shequn.EINVALID},
		{"a picture without a QR code", shequn.LiveTarget{}, blankPNG(t), shequn.EINVALID},
		{"too large", shequn.LiveTarget{}, make([]byte, shequn.MaxQRImage+1), shequn.ETOOLARGE},
		{"held ≥ cap", shequn.LiveTarget{Cap: 3, Held: 3}, qrPNG(t, "x"), shequn.EINVALID},
		{"expired already", shequn.LiveTarget{ExpiresAt: now.Add(-time.Hour)}, qrPNG(t, "x"), shequn.EINVALID},
		{"another workspace's group", shequn.LiveTarget{CommunityID: 999999}, qrPNG(t, "x"), shequn.ENOTFOUND},
	}
	for _, tt := range bad {
		tt.t.LiveCodeID = code.ID
		if err := a.AddLiveTarget(ctx, ws, owner, &tt.t, tt.image); shequn.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	if err := a.AddLiveTarget(ctx, ws, viewer, &shequn.LiveTarget{LiveCodeID: code.ID}, qrPNG(t, "x")); shequn.ErrorCode(err) != shequn.EFORBIDDEN {
		t.Errorf("a viewer added a target: %v", err)
	}
}

// Live code settings: slugs checked and unique per workspace, text kept
// as written (escaped where shown), codes deleted with their targets.
func TestLiveCodeSettings(t *testing.T) {
	a, ws := apptest.New(t, "grow", "UTC")
	ctx := context.Background()
	for _, tt := range []struct {
		c    shequn.LiveCode
		code string
	}{
		{shequn.LiveCode{Slug: "ok-1", Name: "<b>x</b>"}, ""},
		{shequn.LiveCode{Slug: "ok-1", Name: "again"}, shequn.ECONFLICT},
		{shequn.LiveCode{Slug: "Bad Slug", Name: "x"}, shequn.EINVALID},
		{shequn.LiveCode{Slug: "x", Name: "x"}, shequn.EINVALID},
		{shequn.LiveCode{Slug: "ok-2", Name: ""}, shequn.EINVALID},
		{shequn.LiveCode{Slug: "ok-3", Name: "x", Fallback: strings.Repeat("长", shequn.MaxFallbackLen+1)}, shequn.EINVALID},
		{shequn.LiveCode{Slug: "ok-4", Name: "x", AlertSeats: -1}, shequn.EINVALID},
	} {
		if err := a.SaveLiveCode(ctx, ws, owner, &tt.c); shequn.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%+v: %v, want %q", tt.c, err, tt.code)
		}
	}
	codes, err := a.LiveCodes(ctx, ws)
	if err != nil || len(codes) != 1 || codes[0].Name != "<b>x</b>" {
		t.Fatalf("codes: %+v %v", codes, err)
	}
	if err := a.AddLiveTarget(ctx, ws, owner, &shequn.LiveTarget{LiveCodeID: codes[0].ID}, qrPNG(t, "y")); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteLiveCode(ctx, ws, owner, codes[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LiveCode(ctx, ws, codes[0].ID); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("deleted code: %v", err)
	}
	if n := apptest.Count(t, a, "SELECT count(*) FROM live_targets"); n != 0 {
		t.Fatalf("%d targets left after the code was deleted", n)
	}
	if _, err := a.OpenLiveCode(ctx, "grow", "ok-1", true); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("a deleted code's page: %v", err)
	}
}

// The detectors warn a day before a QR expires (once) and when a live
// code's free seats fall below its threshold (once a day).
func TestLiveCodeAlerts(t *testing.T) {
	a, ws := apptest.New(t, "grow", "UTC")
	ctx := context.Background()
	now := time.Date(2026, 5, 20, 4, 0, 0, 0, time.UTC)
	c := apptest.WithClock(a, now)
	code := &shequn.LiveCode{Slug: "alerts", Name: "提醒", AlertSeats: 10}
	if err := a.SaveLiveCode(ctx, ws, owner, code); err != nil {
		t.Fatal(err)
	}
	if err := a.AddLiveTarget(ctx, ws, owner, &shequn.LiveTarget{LiveCodeID: code.ID, Label: "A", Cap: 8, Days: 2}, qrPNG(t, "a")); err != nil {
		t.Fatal(err)
	}
	count := func(kind string) int {
		t.Helper()
		return apptest.Count(t, a, "SELECT count(*) FROM alerts WHERE workspace_id = ? AND kind = ?", ws.ID, kind)
	}
	if err := a.Detect(ctx, ws, c.Now()); err != nil {
		t.Fatal(err)
	}
	if count(shequn.AlertQRExpiring) != 0 || count(shequn.AlertLiveCodeLow) != 1 {
		t.Fatalf("day 0: %d expiring, %d low; want 0, 1", count(shequn.AlertQRExpiring), count(shequn.AlertLiveCodeLow))
	}
	c.Set(now.Add(25 * time.Hour))
	for range 2 {
		if err := a.Detect(ctx, ws, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if count(shequn.AlertQRExpiring) != 1 || count(shequn.AlertLiveCodeLow) != 2 {
		t.Fatalf("day 1: %d expiring, %d low; want 1, 2", count(shequn.AlertQRExpiring), count(shequn.AlertLiveCodeLow))
	}
}

var viewer = &shequn.Operator{Role: shequn.RoleViewer}

// blankPNG is a white picture without a QR code.
func blankPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
