package matrix

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"maunium.net/go/mautrix/event"

	"github.com/shequn/shequn"
)

// TestMapTimeline maps a timeline shaped as the client-server API's
// /sync returns it.
func TestMapTimeline(t *testing.T) {
	data, err := os.ReadFile("testdata/timeline.json")
	if err != nil {
		t.Fatal(err)
	}
	var evs []*event.Event
	if err := json.Unmarshal(data, &evs); err != nil {
		t.Fatal(err)
	}
	r := newRooms("@bot:example.org")
	got := r.mapEvents("!room:example.org", evs)
	type row struct{ ID, Kind, Actor, Name, Text, ReplyTo, Inviter, Target string }
	var rows []row
	for _, e := range got {
		rows = append(rows, row{e.ID, e.Kind, e.Actor, e.ActorName, e.Text, e.ReplyTo, e.Inviter, e.Target})
		if e.Community != "!room:example.org" || e.CommunityName != "Go 学习群" || e.Platform != "matrix" {
			t.Errorf("%s: community %q %q", e.ID, e.Community, e.CommunityName)
		}
		if _, err := shequn.ParseEvent(e); err != nil {
			t.Errorf("%s: %v", e.ID, err)
		}
	}
	want := []row{
		{"$a-join", "join", "@alice:example.org", "Alice", "", "", "", ""},
		{"$b-join", "join", "@bob:example.org", "Bob", "", "", "@alice:example.org", ""},
		{"$q", "message", "@bob:example.org", "Bobby", "how do I close a channel?", "", "", ""},
		{"$r", "message", "@alice:example.org", "Alice", "close it from the sender", "$q", "", ""},
		{"$img", "message", "@bob:example.org", "Bobby", "[image] qr.png", "", "", ""},
		{"$like", "reaction", "@alice:example.org", "Alice", "👍", "$r", "", ""},
		{"$c-join", "join", "@carol:example.org", "carol", "", "", "", ""},
		{"$c-leave", "leave", "@carol:example.org", "carol", "", "", "", ""},
		{"$b-kick", "kick", "@alice:example.org", "Alice", "", "", "", "@bob:example.org"},
		{"$d-ban", "ban", "@alice:example.org", "Alice", "", "", "", "@dave:example.org"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("mapping (-want +got):\n%s", d)
	}
	if txnID("case:1:delete:2") == txnID("case_1_delete_2") {
		t.Error("transaction ids collide")
	}
}
