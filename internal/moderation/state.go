package moderation

import (
	"fmt"
	"hash/fnv"
	"math/bits"
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

func (d *floodDetector) check(m *Message) Verdict {
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

// prune drops idle members every few thousand messages to bound memory.
func (d *floodDetector) prune(now time.Time) {
	d.seen++
	if d.seen%4096 != 0 {
		return
	}
	for k, ts := range d.recent {
		if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= d.window {
			delete(d.recent, k)
		}
	}
}

// duplicateDetector flags the same or nearly the same text (simhash within
// 3 bits) sent by one member to Groups different communities within Window.
type duplicateDetector struct {
	groups int
	window time.Duration
	mu     sync.Mutex
	recent map[string][]sent
	seen   int
}

type sent struct {
	hash      uint64
	community string
	at        time.Time
}

func newDuplicateDetector(groups int, window time.Duration) *duplicateDetector {
	return &duplicateDetector{groups: groups, window: window, recent: map[string][]sent{}}
}

func (d *duplicateDetector) check(m *Message, t *Text) Verdict {
	v := Verdict{Detector: DetDuplicate}
	if d.groups <= 1 || m.Member == "" || len([]rune(t.Compact)) < 8 {
		return v
	}
	h := simhash(t.Compact)
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
		if bits.OnesCount64(s.hash^h) <= 3 {
			groups[s.community] = true
		}
	}
	d.recent[m.Member] = append(kept, sent{h, m.Community, m.TS})
	d.prune(m.TS)
	if len(groups) >= d.groups {
		v.Spam, v.Score = true, 1
		v.Details = fmt.Sprintf("same text in %d groups within %v", len(groups), d.window)
	}
	return v
}

func (d *duplicateDetector) prune(now time.Time) {
	d.seen++
	if d.seen%4096 != 0 {
		return
	}
	for k, l := range d.recent {
		if len(l) == 0 || now.Sub(l[len(l)-1].at) >= d.window {
			delete(d.recent, k)
		}
	}
}

// simhash is a 64-bit fingerprint over character 3-grams.
func simhash(s string) uint64 {
	rs := []rune(s)
	var w [64]int
	for i := 0; i+3 <= len(rs); i++ {
		h := fnv.New64a()
		h.Write([]byte(string(rs[i : i+3])))
		x := h.Sum64()
		for b := 0; b < 64; b++ {
			if x&(1<<b) != 0 {
				w[b]++
			} else {
				w[b]--
			}
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if w[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}
