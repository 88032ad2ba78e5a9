package pipeline

import (
	"slices"
	"sync"
)

// cache remembers ids the store has already given out, so that a busy
// stream resolves identities and memberships without a query. Entries made
// inside a batch are staged and published only after the batch commits.
type cache struct {
	mu          sync.RWMutex
	limit       int
	communities map[string]named
	identities  map[string]named
	memberships map[[3]int64]struct{}
	// memberDays holds, for the newest days seen, the (community, member)
	// pairs whose daily rollup row exists: rows are never deleted, so a
	// pair found here needs no "was it new?" answer from the store.
	memberDays map[string]map[[2]int64]struct{}
}

// memberDaysKept is how many of the newest days memberDays remembers.
const memberDaysKept = 3

type named struct {
	id   int64
	name string
}

func newCache(limit int) *cache {
	c := &cache{limit: limit}
	c.reset()
	return c
}

func (c *cache) reset() {
	c.communities = map[string]named{}
	c.identities = map[string]named{}
	c.memberships = map[[3]int64]struct{}{}
	c.memberDays = map[string]map[[2]int64]struct{}{}
}

// knownMemberDay reports whether the rollup row of member m in community
// cm on day exists.
func (c *cache) knownMemberDay(day string, cm, m int64) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.memberDays[day][[2]int64{cm, m}]
	return ok
}

// rememberMemberDays records rows that now exist (after commit), keeping
// only the newest memberDaysKept days.
func (c *cache) rememberMemberDays(rows map[string][][2]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for day, pairs := range rows {
		set := c.memberDays[day]
		if set == nil {
			set = map[[2]int64]struct{}{}
			c.memberDays[day] = set
		}
		for _, p := range pairs {
			set[p] = struct{}{}
		}
	}
	if len(c.memberDays) <= memberDaysKept {
		return
	}
	days := make([]string, 0, len(c.memberDays))
	for d := range c.memberDays {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days[:len(days)-memberDaysKept] {
		delete(c.memberDays, d)
	}
}

// staged is a batch's view of communities and identities: reads fall
// through to the shared cache. (Memberships are published by the
// membership stage after commit.)
type staged struct {
	c           *cache
	communities map[string]named
	identities  map[string]named
}

func (c *cache) stage() *staged {
	return &staged{c: c, communities: map[string]named{}, identities: map[string]named{}}
}

func (s *staged) community(k string) (named, bool) {
	if v, ok := s.communities[k]; ok {
		return v, true
	}
	s.c.mu.RLock()
	defer s.c.mu.RUnlock()
	v, ok := s.c.communities[k]
	return v, ok
}

func (s *staged) identity(k string) (named, bool) {
	if v, ok := s.identities[k]; ok {
		return v, true
	}
	s.c.mu.RLock()
	defer s.c.mu.RUnlock()
	v, ok := s.c.identities[k]
	return v, ok
}

// publish merges the batch's entries; a cache past its limit starts over.
func (s *staged) publish() {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.identities)+len(c.memberships) > c.limit {
		c.reset()
	}
	for k, v := range s.communities {
		c.communities[k] = v
	}
	for k, v := range s.identities {
		c.identities[k] = v
	}
}
