package sqlstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
)

func TestReasonsRoundTrip(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	c := shequn.DefaultTierCriteria()
	acts := map[string]shequn.Activity{
		"core":     {ActiveMember: true, FirstJoined: ago(200), ActiveDays: 20, Messages: 120, EverActive: true, LastActive: ago(0)},
		"churned":  {ActiveMember: false, EverActive: true, LastActive: ago(40)},
		"newcomer": {ActiveMember: true, FirstJoined: ago(2)},
		"dormant":  {ActiveMember: true, FirstJoined: ago(300), EverActive: true, LastActive: ago(90)},
		"lurker":   {ActiveMember: true, FirstJoined: ago(300)},
	}
	for name, a := range acts {
		t.Run(name, func(t *testing.T) {
			_, rs := shequn.ComputeTier(c, a, now)
			enc := encodeReasons(rs)
			if !strings.HasPrefix(enc, reasonsCompact) {
				t.Fatalf("reasons kept as %q: a criterion is missing from shequn.ReasonCriteria", enc)
			}
			js, _ := json.Marshal(rs)
			if len(enc)*3 > len(js) {
				t.Errorf("compact form %d bytes, JSON %d: want under a third", len(enc), len(js))
			}
			if got := decodeReasons(enc); !reflect.DeepEqual(got, rs) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, rs)
			}
		})
	}
	others := []struct {
		name string
		rs   []shequn.Reason
	}{
		{"none", nil},
		{"unknown criterion", []shequn.Reason{{Criterion: "karma", Want: "≥ 1", Got: "0"}}},
		{"separator in a figure", []shequn.Reason{{Criterion: "messages ever", Want: "≥ 1,000", Got: "2;3", Met: true}}},
	}
	for _, tt := range others {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeReasons(encodeReasons(tt.rs)); !reflect.DeepEqual(got, tt.rs) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, tt.rs)
			}
		})
	}
	old := `[{"criterion":"messages ever","want":"≥ 1","got":"0","met":false}]`
	if got := decodeReasons(old); len(got) != 1 || got[0].Criterion != "messages ever" || got[0].Want != "≥ 1" {
		t.Fatalf("a row written as JSON reads as %+v", got)
	}
}
