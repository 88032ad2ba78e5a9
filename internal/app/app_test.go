package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newApp(t *testing.T) (*app.App, *clock) {
	t.Helper()
	a, _ := apptest.New(t, "default", "Asia/Shanghai")
	c := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	a.Clock = c
	return a, c
}

func TestTokens(t *testing.T) {
	a, _ := newApp(t)
	ctx := context.Background()
	secret, tok, err := a.CreateToken(ctx, "default", "loader")
	if err != nil || !strings.HasPrefix(secret, "shq_") || tok.Hash == secret || strings.Contains(tok.Hash, secret) {
		t.Fatalf("token %q %+v %v", secret, tok, err)
	}
	ws, err := a.AuthenticateToken(ctx, secret)
	if err != nil || ws.Slug != "default" {
		t.Fatalf("authenticate: %+v %v", ws, err)
	}
	for _, bad := range []string{"", "shq_nope", secret + "x"} {
		if _, err := a.AuthenticateToken(ctx, bad); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	if _, _, err := a.CreateToken(ctx, "nope", "x"); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("unknown workspace: %v", err)
	}
}

func TestLoginAndSessions(t *testing.T) {
	a, c := newApp(t)
	ctx := context.Background()
	tests := []struct {
		email, password string
		role            shequn.Role
		code            string
	}{
		{"not-an-email", "long enough", shequn.RoleOwner, shequn.EINVALID},
		{"a@b.c", "short", shequn.RoleOwner, shequn.EINVALID},
		{"a@b.c", "long enough", "god", shequn.EINVALID},
		{"a@b.c", strings.Repeat("x", 80), shequn.RoleOwner, shequn.EINVALID},
		{"A@B.c", "long enough", shequn.RoleAdmin, ""},
		{"a@b.c", "another one", shequn.RoleViewer, shequn.ECONFLICT},
	}
	for _, tt := range tests {
		_, err := a.CreateOperator(ctx, "default", tt.email, "", tt.password, tt.role)
		if shequn.ErrorCode(err) != tt.code {
			t.Errorf("CreateOperator(%q, %q, %q) = %v, want code %q", tt.email, tt.password, tt.role, err, tt.code)
		}
	}
	if _, _, err := a.Login(ctx, "a@b.c", "wrong password", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := a.Login(ctx, "nobody@b.c", "long enough", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED || !strings.Contains(err.Error(), "wrong email or password") {
		t.Fatalf("unknown operator must look like a wrong password: %v", err)
	}
	secret, op, err := a.Login(ctx, "a@b.c", "long enough", "192.0.2.1")
	if err != nil || op.Role != shequn.RoleAdmin {
		t.Fatalf("login: %v", err)
	}
	if o, ws, err := a.Session(ctx, secret); err != nil || o.ID != op.ID || ws.Slug != "default" {
		t.Fatalf("session: %v", err)
	}
	c.t = c.t.Add(app.SessionTTL + time.Minute)
	if _, _, err := a.Session(ctx, secret); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
		t.Fatalf("expired session accepted: %v", err)
	}
	c.t = c.t.Add(-app.SessionTTL)
	if err := a.Logout(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Session(ctx, secret); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
		t.Fatalf("session after logout: %v", err)
	}
}

func TestIngestEventsValidation(t *testing.T) {
	a, _ := newApp(t)
	ctx := context.Background()
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(ctx, "default")
	good := shequn.EventInput{ID: "1", Platform: "qq", Community: "g", Actor: "a", Kind: "message", TS: "2026-03-02T10:00:00Z"}
	bad := good
	bad.ID, bad.Kind = "2", "nope"
	_, err := a.IngestEvents(ctx, ws, []shequn.EventInput{good, bad})
	if shequn.ErrorCode(err) != shequn.EINVALID || shequn.ErrorIndex(err) != 1 {
		t.Fatalf("bad batch: %v (index %d)", err, shequn.ErrorIndex(err))
	}
	if o, _ := apptest.DB(t, a).Overview(ctx, ws.ID, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"}); o.Events != 0 {
		t.Fatal("a rejected batch stored events")
	}
	if r, err := a.IngestEvents(ctx, ws, []shequn.EventInput{good}); err != nil || r.Accepted != 1 {
		t.Fatalf("good batch: %+v %v", r, err)
	}
}

func TestUpdateCommunityValidation(t *testing.T) {
	a, _ := newApp(t)
	ctx := context.Background()
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(ctx, "default")
	a.IngestEvents(ctx, ws, []shequn.EventInput{{ID: "1", Platform: "qq", Community: "g", Actor: "a", Kind: "message", TS: "2026-03-02T10:00:00Z"}})
	str := func(s string) *string { return &s }
	neg := -1
	tests := []struct {
		name string
		u    shequn.CommunityUpdate
		code string
	}{
		{"kind", shequn.CommunityUpdate{Kind: str("alien")}, shequn.EINVALID},
		{"structure", shequn.CommunityUpdate{Structure: str("blob")}, shequn.EINVALID},
		{"stage", shequn.CommunityUpdate{Stage: str("zombie")}, shequn.EINVALID},
		{"blank stage", shequn.CommunityUpdate{Stage: str("")}, shequn.EINVALID},
		{"empty name", shequn.CommunityUpdate{Name: str("")}, shequn.EINVALID},
		{"capacity", shequn.CommunityUpdate{Capacity: &neg}, shequn.EINVALID},
		{"ok", shequn.CommunityUpdate{Kind: str(shequn.KindSupport), Structure: str("pyramid"), Stage: str(shequn.StageGrowing)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := a.UpdateCommunity(ctx, ws, 1, tt.u); shequn.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %q", err, tt.code)
			}
		})
	}
}
