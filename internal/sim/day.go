package sim

import (
	"math"
	"sort"
	"time"

	"github.com/shequn/shequn"
)

type planned struct {
	at time.Time
	c  *community
	fn func() error
}

// day simulates one day: growth, messages, questions and answers, reactions,
// spam, leaves. Events of the day are emitted in time order.
func (s *Sim) day(day time.Time, d int) error {
	var plan []planned
	for _, c := range s.comms {
		plan = s.planGroup(plan, c, day, d)
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].at.Before(plan[j].at) })
	for _, p := range plan {
		if p.at.After(s.cfg.End) {
			break // the simulated day ends now
		}
		if err := p.fn(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sim) planGroup(plan []planned, c *community, day time.Time, d int) []planned {
	weekday := 1.0
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		weekday = 0.7
	}
	// growth: newcomers, some invited by an active member
	for j := s.poisson(c.lively / 25); j > 0; j-- {
		mi, at := s.rng.IntN(len(s.members)), s.clock(day)
		if s.members[mi].spammer {
			continue
		}
		inviter := -1
		if s.rng.Float64() < 0.6 {
			inviter = s.pick(c)
		}
		plan = append(plan, planned{at, c, func() error { return s.join(c, mi, at, inviter) }})
	}
	n := s.poisson(c.lively * weekday)
	for j := 0; j < n; j++ {
		at := s.clock(day)
		plan = append(plan, planned{at, c, func() error { return s.message(c, at) }})
	}
	if s.rng.Float64() < 0.05 && d > 0 {
		plan = s.planSpam(plan, c, day)
	}
	for j := s.poisson(c.lively / 60); j > 0; j-- {
		at := s.clock(day)
		plan = append(plan, planned{at, c, func() error { return s.leave(c, at) }})
	}
	return plan
}

func (s *Sim) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+s.rng.NormFloat64()*math.Sqrt(lambda))))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= s.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// message writes chat, a question, an answer to a pending question, or a reaction.
func (s *Sim) message(c *community, at time.Time) error {
	mi := s.pick(c)
	if mi < 0 {
		return nil
	}
	zh := c.zh
	r := s.rng.Float64()
	switch {
	case r < 0.12:
		e := s.base(c, mi, shequn.EventReaction, at)
		e.Text = "👍"
		e.ReplyTo = c.last
		return s.send(&e)
	case r < 0.22:
		e := s.base(c, mi, shequn.EventMessage, at)
		e.Text = s.oneOf(pick(zh, zhQuestions, enQuestions))
		if err := s.send(&e); err != nil {
			return err
		}
		c.pending = append(c.pending, pendingQ{id: e.SourceID, asker: mi, at: at})
		return nil
	case len(c.pending) > 0 && r < 0.40:
		return s.answer(c, mi, at, zh)
	}
	e := s.base(c, mi, shequn.EventMessage, at)
	e.Text = s.oneOf(pick(zh, zhChat, enChat))
	if c.chats++; c.chats%5 == 0 {
		e.ReplyTo = c.last
	}
	if err := s.send(&e); err != nil {
		return err
	}
	c.last = e.SourceID
	return nil
}

func (s *Sim) answer(c *community, mi int, at time.Time, zh bool) error {
	q := c.pending[0]
	c.pending = c.pending[1:]
	if q.asker == mi || at.Sub(q.at) > 36*time.Hour {
		return nil // nobody else answered in time: it stays unanswered
	}
	e := s.base(c, mi, shequn.EventMessage, at)
	e.Text = s.oneOf(pick(zh, zhAnswers, enAnswers))
	if s.rng.Float64() < 0.7 {
		e.ReplyTo = q.id
	}
	return s.send(&e)
}

func (s *Sim) planSpam(plan []planned, c *community, day time.Time) []planned {
	spammer := -1
	for tries := 0; tries < 50 && spammer < 0; tries++ {
		if mi := s.rng.IntN(len(s.members)); s.members[mi].spammer {
			spammer = mi
		}
	}
	if spammer < 0 {
		return plan
	}
	at := s.clock(day)
	return append(plan, planned{at, c, func() error {
		if err := s.join(c, spammer, at, -1); err != nil {
			return err
		}
		e := s.base(c, spammer, shequn.EventMessage, at.Add(2*time.Minute))
		e.Text = s.oneOf(spamTexts)
		if err := s.send(&e); err != nil {
			return err
		}
		admin := s.pick(c)
		if admin < 0 || admin == spammer {
			return nil
		}
		k := s.base(c, admin, shequn.EventKick, at.Add(time.Duration(5+s.rng.IntN(120))*time.Minute))
		k.Target, k.TargetName = s.extID(spammer, c.platform), s.members[spammer].name
		s.remove(c, spammer)
		return s.send(&k)
	}})
}

// leave removes a member, lurkers more often than writers.
func (s *Sim) leave(c *community, at time.Time) error {
	if len(c.members) < 5 {
		return nil
	}
	mi := c.members[s.rng.IntN(len(c.members))]
	if s.members[mi].weight > 3 && s.rng.Float64() < 0.8 {
		return nil // core members rarely leave
	}
	s.remove(c, mi)
	e := s.base(c, mi, shequn.EventLeave, at)
	return s.send(&e)
}

func pick[T any](zh bool, a, b T) T {
	if zh {
		return a
	}
	return b
}
