package pipeline

import "sync"

// cache remembers ids the store has already given out, so that a busy
// stream resolves identities and memberships without a query. Entries made
// inside a batch are staged and published only after the batch commits.
type cache struct {
	mu          sync.RWMutex
	limit       int
	communities map[string]named
	identities  map[string]named
	memberships map[[3]int64]struct{}
}

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
