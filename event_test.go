package shequn_test

import (
	"strings"
	"testing"

	"github.com/shequn/shequn"
)

func TestParseEvent(t *testing.T) {
	ok := shequn.EventInput{ID: "m1", Platform: "Telegram", Community: "-100", Actor: "42", Kind: "message", TS: "2026-03-02T10:00:00+08:00", Text: "你好"}
	tests := []struct {
		name    string
		edit    func(*shequn.EventInput)
		wantErr string
	}{
		{"valid", func(*shequn.EventInput) {}, ""},
		{"missing id", func(e *shequn.EventInput) { e.ID = "" }, "id: required"},
		{"blank id", func(e *shequn.EventInput) { e.ID = "  " }, "id: required"},
		{"long id", func(e *shequn.EventInput) { e.ID = strings.Repeat("x", 257) }, "id: longer than 256"},
		{"bad platform", func(e *shequn.EventInput) { e.Platform = "we com" }, "platform"},
		{"missing platform", func(e *shequn.EventInput) { e.Platform = "" }, "platform"},
		{"unknown kind", func(e *shequn.EventInput) { e.Kind = "explode" }, `kind "explode"`},
		{"missing community", func(e *shequn.EventInput) { e.Community = "" }, "community: required"},
		{"missing actor", func(e *shequn.EventInput) { e.Actor = "" }, "actor: required"},
		{"bad time", func(e *shequn.EventInput) { e.TS = "yesterday" }, "ts"},
		{"time without zone", func(e *shequn.EventInput) { e.TS = "2026-03-02 10:00:00" }, "ts"},
		{"year out of range", func(e *shequn.EventInput) { e.TS = "1970-01-01T00:00:00Z" }, "year out of range"},
		{"text too long", func(e *shequn.EventInput) { e.Text = strings.Repeat("字", 6000) }, "text: longer than"},
		{"invalid utf-8", func(e *shequn.EventInput) { e.Text = "\xff\xfe" }, "text: not valid UTF-8"},
		{"NUL byte", func(e *shequn.EventInput) { e.ActorName = "a\x00b" }, "actor_name"},
		{"kick without target", func(e *shequn.EventInput) { e.Kind = "kick" }, "target: required"},
		{"ban with target", func(e *shequn.EventInput) { e.Kind = "ban"; e.Target = "7" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			ev, err := shequn.ParseEvent(in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if ev.Platform != "telegram" || ev.TS.Location().String() != "UTC" || ev.TS.Hour() != 2 {
					t.Fatalf("normalised event = %+v", ev)
				}
				return
			}
			if shequn.ErrorCode(err) != shequn.EINVALID || !strings.Contains(shequn.ErrorMessage(err), tt.wantErr) {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestSelfInviteDropped(t *testing.T) {
	ev, err := shequn.ParseEvent(shequn.EventInput{ID: "j", Platform: "qq", Community: "g", Actor: "a", Kind: "join", TS: "2026-01-01T00:00:00Z", Inviter: "a"})
	if err != nil || ev.Inviter != "" {
		t.Fatalf("self-invite kept: %+v %v", ev, err)
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138******78", "+8613812345678": "+86*********78", "1234": "****", "": ""} {
		if got := shequn.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
