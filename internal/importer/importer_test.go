package importer

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn"
)

func TestParseIRC(t *testing.T) {
	f, err := os.Open("testdata/2026-03-01.raw.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lg, err := NewIRCLog(f.Name(), "#go")
	if err != nil {
		t.Fatal(err)
	}
	evs, skipped, err := ParseIRC(f, lg)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Kind, Actor, Name, TS, Text string }
	var got []row
	for _, e := range evs {
		got = append(got, row{e.ID, e.Kind, e.Actor, e.ActorName, e.TS, e.Text})
		if _, err := shequn.ParseEvent(e); err != nil {
			t.Errorf("event %s invalid: %v", e.ID, err)
		}
	}
	want := []row{
		{"2026-03-01:0", "join", "ann", "ann", "2026-03-01T00:00:00Z", ""},
		{"2026-03-01:1", "message", "ann", "ann", "2026-03-01T23:58:00Z", "how do i vendor modules?"},
		{"2026-03-01:2", "message", "bob", "bob", "2026-03-01T23:59:00Z", "ann: go mod vendor"},
		{"2026-03-01:4", "message", "bob", "bobby", "2026-03-02T00:01:00Z", "it writes ./vendor"}, // past midnight; same person
		{"2026-03-01:5", "message", "bob", "bobby", "2026-03-02T00:01:00Z", "* bobby likes vendoring"},
		{"2026-03-01:6", "leave", "carl", "carl", "2026-03-02T00:01:00Z", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if skipped != 1 {
		t.Errorf("skipped %d lines, want 1", skipped)
	}
	if _, err := NewIRCLog("channel.log", "#go"); err == nil {
		t.Error("a file name without a date was accepted")
	}
}

func TestParseTelegram(t *testing.T) {
	f, err := os.Open("testdata/result.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	evs, skipped, err := ParseTelegram(f, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Kind, Actor, Text, ReplyTo, Inviter, Target, TS string }
	var got []row
	for _, e := range evs {
		got = append(got, row{e.ID, e.Kind, e.Actor, e.Text, e.ReplyTo, e.Inviter, e.Target, e.TS})
		if e.Community != "-1001234567890" || e.Platform != "telegram" {
			t.Errorf("event %s in %s/%s", e.ID, e.Platform, e.Community)
		}
		if _, err := shequn.ParseEvent(e); err != nil {
			t.Errorf("event %s invalid: %v", e.ID, err)
		}
	}
	c := "-1001234567890:"
	want := []row{
		{c + "1", "join", "111", "", "", "", "", "2026-03-01T01:00:00Z"},
		{c + "2:0", "join", "name:Cat", "", "", "222", "", "2026-03-01T01:01:00Z"},
		{c + "2:1", "join", "name:Dan", "", "", "222", "", "2026-03-01T01:01:00Z"},
		{c + "3", "message", "111", "请问 go mod tidy 报错怎么办？", "", "", "", "2026-03-01T01:02:00Z"},
		{c + "4", "message", "222", "先看 go env GOPROXY 的设置", c + "3", "", "", "2026-03-01T01:03:00Z"},
		{c + "5", "message", "333", "[photo]", "", "", "", "2026-03-01T01:04:00Z"},
		{c + "6:0", "kick", "222", "", "", "", "name:Dan", "2026-03-01T01:05:00Z"},
		{c + "8", "message", "444", "bye", "", "", "", "2026-03-01T01:07:00Z"}, // no date_unixtime: read in Asia/Shanghai
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if skipped != 1 { // the pin
		t.Errorf("skipped %d, want 1", skipped)
	}
	if _, _, err := ParseTelegram(strings.NewReader("not json"), time.UTC); err == nil {
		t.Error("garbage accepted")
	}
}

// Some loggers write nicks in brackets, with two spaces before the host:
// those joins, leaves and renames are read as such, and mode changes are
// nobody's message.
func TestParseIRCBracketedNicks(t *testing.T) {
	log := strings.Join([]string{
		"=== [francof]  [~kvirc@adsl-29-78.37-151.net24.it]  has joined #ubuntu",
		"=== [Sanyi] is now known as [sanyi]",
		"[12:01] <sanyi> hello",
		"=== topyli [~juha@dsl-hkigw3k9b.dial.inet.fi]  has left #ubuntu []",
		"=== [optik]  [~optik@200.106.11.64]  has left #ubuntu [bye]",
		"=== mode/#ubuntu [+o Amaranth]  by ChanServ",
		"=== animal__ is now known as animal_[away]",
		"[12:02] <animal_[away]> back later",
		"=== Matt| scrolls up",
		"=== bur[n] er [~norml@c-67-173-243-73.client.comcast.net]  has joined #ubuntu",
		"=== augmentor [[H] -853478@58.10.69.123]  has joined #ubuntu",
	}, "\n")
	lg, err := NewIRCLog("2005-06-27_12.raw.txt", "#ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	evs, skipped, err := ParseIRC(strings.NewReader(log), lg)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Kind, Actor, Name string }
	var got []row
	for _, e := range evs {
		got = append(got, row{e.Kind, e.Actor, e.ActorName})
	}
	want := []row{
		{"join", "francof", "francof"},
		{"message", "Sanyi", "sanyi"},
		{"leave", "topyli", "topyli"},
		{"leave", "optik", "optik"},
		{"message", "animal__", "animal_[away]"},
		{"message", "Matt|", "Matt|"},
		{"join", "bur[n] er", "bur[n] er"},
		{"join", "augmentor", "augmentor"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if skipped != 0 {
		t.Errorf("skipped %d lines, want 0", skipped)
	}
}
