package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/sim"
)

func collect(t *testing.T, cfg sim.Config) []shequn.Event {
	t.Helper()
	var out []shequn.Event
	if err := sim.Run(cfg, func(e shequn.Event) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

var end = time.Date(2026, 6, 30, 15, 0, 0, 0, time.UTC)

func TestDeterministic(t *testing.T) {
	cfg := sim.Config{Seed: 42, Communities: 5, Members: 300, Days: 20, End: end}
	a, b := collect(t, cfg), collect(t, cfg)
	if len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("the same seed must give the same events")
	}
	cfg.Seed = 43
	if c := collect(t, cfg); fmt.Sprint(a) == fmt.Sprint(c) {
		t.Fatal("another seed gave the same events")
	}
}

func TestRealisticShape(t *testing.T) {
	evs := collect(t, sim.Config{Seed: 1, Communities: 20, Members: 2000, Days: 60, End: end, Location: time.UTC})
	perActor := map[string]int{}
	perGroup := map[string]int{}
	kinds := map[shequn.EventKind]int{}
	var questions, replies, zh, en, spam, invited, chatReplies, reactionsOn int
	asked := map[string]bool{}
	for _, e := range evs {
		if _, err := shequn.ParseEvent(shequn.EventInput{ID: e.SourceID, Platform: e.Platform, Community: e.Community, Actor: e.Actor,
			Kind: string(e.Kind), TS: e.TS.Format(time.RFC3339), Text: e.Text, Target: e.Target}); err != nil {
			t.Fatalf("simulated event is invalid: %v", err)
		}
		if e.TS.After(end) {
			t.Fatalf("event after the end: %v", e.TS)
		}
		kinds[e.Kind]++
		if e.Kind == shequn.EventReaction && e.ReplyTo != "" {
			reactionsOn++
		}
		if e.Kind != shequn.EventMessage {
			if e.Kind == shequn.EventJoin && e.Inviter != "" {
				invited++
			}
			continue
		}
		perActor[e.Platform+e.Actor]++
		perGroup[e.Community]++
		switch {
		case strings.ContainsAny(e.Text, "?？") || strings.Contains(e.Text, "吗"):
			questions++
			asked[e.SourceID] = true
		case strings.Contains(e.Text, "微信") || strings.Contains(e.Text, "t.me") || strings.Contains(e.Text, "威信") || strings.Contains(e.Text, "扣扣") || strings.Contains(e.Text, "bit.ly"):
			spam++
		}
		switch {
		case asked[e.ReplyTo]:
			replies++
		case e.ReplyTo != "":
			chatReplies++
		}
		if strings.ContainsFunc(e.Text, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			zh++
		} else {
			en++
		}
	}
	counts := make([]int, 0, len(perActor))
	total := 0
	for _, n := range perActor {
		counts = append(counts, n)
		total += n
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	top := 0
	for _, n := range counts[:len(counts)/10] {
		top += n
	}
	groups := make([]int, 0, len(perGroup))
	for _, n := range perGroup {
		groups = append(groups, n)
	}
	slices.Sort(groups)
	checks := []struct {
		name string
		ok   bool
	}{
		{fmt.Sprintf("top 10%% of writers write most (%d of %d)", top, total), top*2 > total},
		{fmt.Sprintf("lively and quiet groups (%d vs %d)", groups[len(groups)-1], groups[0]), groups[len(groups)-1] > 10*max(1, groups[0])},
		{fmt.Sprintf("questions (%d)", questions), questions > total/20},
		{fmt.Sprintf("answers by reply (%d)", replies), replies > questions/5 && replies < questions},
		{fmt.Sprintf("chat replies (%d)", chatReplies), chatReplies > total/20 && chatReplies < total/3},
		{fmt.Sprintf("reactions name their message (%d of %d)", reactionsOn, kinds[shequn.EventReaction]), reactionsOn*10 > kinds[shequn.EventReaction]*9},
		{fmt.Sprintf("some spam (%d)", spam), spam > 5},
		{fmt.Sprintf("kicks (%d)", kinds[shequn.EventKick]), kinds[shequn.EventKick] > 5},
		{fmt.Sprintf("leaves (%d)", kinds[shequn.EventLeave]), kinds[shequn.EventLeave] > 20},
		{fmt.Sprintf("joins with inviters (%d of %d)", invited, kinds[shequn.EventJoin]), invited > 50},
		{fmt.Sprintf("reactions (%d)", kinds[shequn.EventReaction]), kinds[shequn.EventReaction] > 100},
		{fmt.Sprintf("Chinese and English (%d/%d)", zh, en), zh > total/5 && en > total/20},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: no", c.name)
		}
	}
}

func TestMaxEventsAndBadConfig(t *testing.T) {
	if n := len(collect(t, sim.Config{Seed: 1, Communities: 3, Members: 100, Days: 30, End: end, MaxEvents: 77})); n != 77 {
		t.Fatalf("MaxEvents 77 gave %d", n)
	}
	if err := sim.Run(sim.Config{Communities: 0, Members: 1, Days: 1}, func(shequn.Event) error { return nil }); shequn.ErrorCode(err) != shequn.EINVALID {
		t.Fatalf("bad config: %v", err)
	}
}
