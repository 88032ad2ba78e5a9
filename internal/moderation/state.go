package moderation

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// floodDetector flags a member who sends Count messages within Window in
// one community.
type floodDetector struct {
	count  int
	window time.Duration
	mu     sync.Mutex
	recent map[string][]time.Time
	seen   int
}

func newFloodDetector(count int, window time.Duration) *floodDetector {
	return &floodDetector{count: count, window: window, recent: map[string][]time.Time{}}
}

func (*floodDetector) Name() string { return DetFlood }

func (d *floodDetector) Check(m *Message, _ *Text, _ []Verdict) Verdict {
	v := Verdict{Detector: DetFlood}
	if d.count <= 0 || m.Member == "" || m.TS.IsZero() {
		return v
	}
	key := m.Community + "\x00" + m.Member
	d.mu.Lock()
	defer d.mu.Unlock()
	ts := append(d.recent[key], m.TS)
	cut := 0
	for cut < len(ts) && m.TS.Sub(ts[cut]) >= d.window {
		cut++
	}
	ts = ts[cut:]
	d.recent[key] = ts
	d.prune(m.TS)
	if len(ts) >= d.count {
		v.Spam, v.Score = true, 1
		v.Details = fmt.Sprintf("%d messages in %v", len(ts), d.window)
	}
	return v
}

func (d *floodDetector) prune(now time.Time) {
	pruneIdle(d.recent, &d.seen, now, d.window, func(t time.Time) time.Time { return t })
}

// pruneIdle drops, every few thousand messages, the keys whose latest entry
// is older than window, so that memory stays bounded.
func pruneIdle[V any](recent map[string][]V, seen *int, now time.Time, window time.Duration, at func(V) time.Time) {
	*seen++
	if *seen%4096 != 0 {
		return
	}
	for k, l := range recent {
		if len(l) == 0 || now.Sub(at(l[len(l)-1])) >= window {
			delete(recent, k)
		}
	}
}

// duplicateDetector flags the same or nearly the same text (character
// trigram Jaccard similarity of 0.6 or more) sent by one member to Groups
// different communities within Window.
type duplicateDetector struct {
	groups int
	window time.Duration
	mu     sync.Mutex
	recent map[string][]sent
	seen   int
}

type sent struct {
	grams     []uint64 // sorted trigram hashes
	community string
	at        time.Time
}

func newDuplicateDetector(groups int, window time.Duration) *duplicateDetector {
	return &duplicateDetector{groups: groups, window: window, recent: map[string][]sent{}}
}

func (*duplicateDetector) Name() string { return DetDuplicate }

func (d *duplicateDetector) Check(m *Message, t *Text, _ []Verdict) Verdict {
	v := Verdict{Detector: DetDuplicate}
	if d.groups <= 1 || m.Member == "" || len([]rune(t.Compact)) < 8 {
		return v
	}
	g := trigrams(t.Compact)
	d.mu.Lock()
	defer d.mu.Unlock()
	list := d.recent[m.Member]
	kept := list[:0]
	groups := map[string]bool{m.Community: true}
	for _, s := range list {
		if m.TS.Sub(s.at) >= d.window {
			continue
		}
		kept = append(kept, s)
		if jaccard(s.grams, g) >= 0.6 {
			groups[s.community] = true
		}
	}
	d.recent[m.Member] = append(kept, sent{g, m.Community, m.TS})
	d.prune(m.TS)
	if len(groups) >= d.groups {
		v.Spam, v.Score = true, 1
		v.Details = fmt.Sprintf("same text in %d groups within %v", len(groups), d.window)
	}
	return v
}

func (d *duplicateDetector) prune(now time.Time) {
	pruneIdle(d.recent, &d.seen, now, d.window, func(s sent) time.Time { return s.at })
}

// trigrams returns the sorted distinct hashes of s's character trigrams.
func trigrams(s string) []uint64 {
	rs := []rune(s)
	if len(rs) < 3 {
		return nil
	}
	out := make([]uint64, 0, len(rs)-2)
	for i := 0; i+3 <= len(rs); i++ {
		out = append(out, mixRune(mixRune(mixRune(fnvOffset, rs[i]), rs[i+1]), rs[i+2]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard is |a ∩ b| / |a ∪ b| of two sorted sets.
func jaccard(a, b []uint64) float64 {
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - both
	if union == 0 {
		return 0
	}
	return float64(both) / float64(union)
}
