package telegram

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn"
)

// TestMapUpdates maps updates shaped as the Bot API documentation shows
// them (https://core.telegram.org/bots/api#update).
func TestMapUpdates(t *testing.T) {
	data, err := os.ReadFile("testdata/updates.json")
	if err != nil {
		t.Fatal(err)
	}
	var ups []*models.Update
	if err := json.Unmarshal(data, &ups); err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Kind, Actor, Name, Text, ReplyTo, Inviter, Source, Target string }
	var got []row
	for _, u := range ups {
		for _, e := range mapUpdate(u, 777) {
			got = append(got, row{e.ID, e.Kind, e.Actor, e.ActorName, e.Text, e.ReplyTo, e.Inviter, e.Source, e.Target})
			if _, err := shequn.ParseEvent(e); err != nil {
				t.Errorf("%s: %v", e.ID, err)
			}
		}
	}
	g := "-1001234567890"
	want := []row{
		{"join:" + g + ":111:1772326800", "join", "111", "Ann", "", "", "999", "双十一海报", ""},
		{"join:" + g + ":111:1772326800", "join", "111", "Ann", "", "", "", "", ""}, // the service message of the same join: same id, counted once
		{"join:" + g + ":222:1772326810", "join", "222", "Bob Li", "", "", "999", "invited", ""},
		{g + ":6", "message", "111", "Ann", "请问 go mod tidy 报错怎么办？", "", "", "", ""},
		{g + ":7", "message", "222", "Bob Li", "先设置 GOPROXY", g + ":6", "", "", ""},
		{g + ":8", "message", "222", "Bob Li", "[photo] 报错截图", "", "", "", ""},
		{"leave:" + g + ":222:1772326870", "leave", "222", "Bob Li", "", "", "", "", ""},
		{"ban:" + g + ":111:1772326880", "ban", "999", "Ops", "", "", "", "", "111"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mapping (-want +got):\n%s", d)
	}
}

// A bot's message and a bot's join say the actor is a bot (from.is_bot).
func TestMapBots(t *testing.T) {
	raw := `{"update_id": 1, "message": {"message_id": 9, "from": {"id": 4242, "is_bot": true, "first_name": "Welcome", "username": "welcome_bot"},
	 "chat": {"id": -100, "title": "g", "type": "supergroup"}, "date": 1772326800, "text": "welcome!"}}`
	var u models.Update
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		t.Fatal(err)
	}
	evs := mapUpdate(&u, 777)
	if len(evs) != 1 || !evs[0].ActorBot {
		t.Fatalf("bot message: %+v", evs)
	}
	raw = `{"update_id": 2, "message": {"message_id": 10, "from": {"id": 111, "is_bot": false, "first_name": "Ann"},
	 "chat": {"id": -100, "title": "g", "type": "supergroup"}, "date": 1772326800, "new_chat_members": [{"id": 4243, "is_bot": true, "first_name": "Stats"}, {"id": 112, "is_bot": false, "first_name": "Bo"}]}}`
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		t.Fatal(err)
	}
	evs = mapUpdate(&u, 777)
	if len(evs) != 2 || !evs[0].ActorBot || evs[1].ActorBot {
		t.Fatalf("joins: %+v", evs)
	}
}
