package httpapi

import (
	"strings"
	"testing"

	"github.com/shequn/shequn"
)

func TestDecodeJSONRefusesWhatItCannotKeep(t *testing.T) {
	type body struct {
		Events []shequn.EventInput `json:"events"`
		N      int                 `json:"n"`
	}
	cases := []struct {
		name, in, want string
	}{
		{"invalid UTF-8 names the field", `{"events":[{"id":"a"},{"id":"b","text":"caf` + "\xff" + `"}]}`, "events[1].text: not valid UTF-8"},
		{"invalid UTF-8 in an id", `{"events":[{"id":"` + "\xc3\x28" + `"}]}`, "events[0].id: not valid UTF-8"},
		{"invalid UTF-8 after a nested object", `{"events":[{"id":"a","text":"x"}],"n":1,"x":"` + "\xfe" + `"}`, "x: not valid UTF-8"},
		{"trailing garbage", `{"n":1} garbage`, "trailing data after the object"},
		{"trailing second object", `{"n":1}{"n":2}`, "trailing data after the object"},
		{"wrong type in words", `{"n":"three"}`, "n must be a whole number, not string"},
		{"list expected", `{"events":{}}`, "events must be a list, not object"},
		{"empty", ``, "the body is empty"},
		{"cut short", `{"events":[`, "ends in the middle"},
		{"syntax", `{"n":1,,}`, "bad JSON at byte"},
		{"lone surrogate escape", `{"events":[{"id":"a\ud800"}]}`, "events[0].id: not valid UTF-8"},
		{"reversed surrogates", `{"events":[{"id":"\udc00\ud800"}]}`, "events[0].id: not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b body
			err := decodeJSON([]byte(c.in), &b)
			if shequn.ErrorCode(err) != shequn.EINVALID || !strings.Contains(shequn.ErrorMessage(err), c.want) {
				t.Fatalf("err = %v, want EINVALID containing %q", err, c.want)
			}
			if strings.Contains(shequn.ErrorMessage(err), "int") && !strings.Contains(c.want, "int") {
				t.Fatalf("message names a Go type: %v", err)
			}
		})
	}
	var b body
	if err := decodeJSON([]byte("{\"n\": 2}  \n\t "), &b); err != nil || b.N != 2 {
		t.Fatalf("trailing white space: %v", err)
	}
}

// FuzzDecodeEvents: whatever the body, decoding and validating events
// never panics, and an accepted event's text fields are valid UTF-8 that
// survived unchanged (no U+FFFD substitution).
func FuzzDecodeEvents(f *testing.F) {
	f.Add([]byte(`{"events":[{"id":"m1","platform":"wecom","community":"g","actor":"u","kind":"message","ts":"2026-03-02T10:00:00Z","text":"大家好"}]}`))
	f.Add([]byte(`{"events":[{"id":"` + "\xff" + `"}]}`))
	f.Add([]byte(`{"events":[]} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b eventsBody
		if err := decodeJSON(data, &b); err != nil {
			if shequn.ErrorCode(err) != shequn.EINVALID {
				t.Fatalf("decode error with code %q: %v", shequn.ErrorCode(err), err)
			}
			return
		}
		raw := strings.ToLower(string(data))
		mayHoldReplacement := strings.Contains(raw, "\ufffd") || strings.Contains(raw, "\\ufffd")
		for _, in := range b.Events {
			for _, v := range []string{in.ID, in.Platform, in.Community, in.CommunityName, in.Actor, in.ActorName, in.Text, in.ReplyTo, in.Target, in.Inviter} {
				if strings.ContainsRune(v, '\uFFFD') && !mayHoldReplacement {
					t.Fatalf("decoded %q holds U+FFFD that the body did not", v)
				}
			}
			shequn.ParseEvent(in)
		}
	})
}
