// Package sim generates realistic, seeded, deterministic community activity:
// heavy-tailed writers (a few core members write most), lurkers, joins with
// inviters, leaves, questions with and without answers, some spam, quiet
// groups and lively ones, in Chinese and English.
package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// Config sizes a simulation.
type Config struct {
	Seed        uint64
	Communities int
	Members     int
	Days        int
	// End is the last simulated day (events stop at End).
	End time.Time
	// Location is the zone of daily rhythms.
	Location *time.Location
	// MaxEvents stops the stream early when > 0.
	MaxEvents int
	// Scale multiplies message volume (1 = default).
	Scale float64
	// Sources are channel codes (live codes, posters, landing pages) that
	// 70% of the joins nobody invited carry as their source.
	Sources []string
}

type member struct {
	weight   float64 // 0 for lurkers
	zh       bool
	name     string
	spammer  bool
	platform map[string]string // platform → external id
}

type community struct {
	id, name, platform string
	zh                 bool
	lively             float64 // mean messages per day
	members            []int   // current member indices
	cum                []float64
	dirty              bool
	pending            []pendingQ
	// last is the group's latest chat message, which reactions and every
	// fifth chat message (chats counts them) answer
	last  string
	chats int
}

type pendingQ struct {
	id    string
	asker int
	at    time.Time
}

// Sim is one simulation run.
type Sim struct {
	cfg     Config
	rng     *rand.Rand
	members []member
	comms   []*community
	seq     int
	emitted int
	emit    func(shequn.Event) error
}

// Platforms used by the simulator, in rough proportion of Chinese operators.
var platforms = []string{"wecom", "wecom", "wecom", "qq", "telegram", "matrix", "discord"}

// Run generates the whole stream in time order and passes each event to emit.
func Run(cfg Config, emit func(shequn.Event) error) error {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Scale == 0 {
		cfg.Scale = 1
	}
	if cfg.Communities < 1 || cfg.Members < 1 || cfg.Days < 1 {
		return shequn.Errorf(shequn.EINVALID, "simulate: communities, members and days must be at least 1")
	}
	s := &Sim{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed)), emit: emit}
	s.setup()
	start := dayStart(cfg.End, cfg.Location).AddDate(0, 0, -(cfg.Days - 1))
	if err := s.seedMembers(start); err != nil {
		return stop(err)
	}
	for d := 0; d < cfg.Days; d++ {
		if err := s.day(start.AddDate(0, 0, d), d); err != nil {
			return stop(err)
		}
	}
	return nil
}

// errEnough ends a stream that reached MaxEvents.
var errEnough = fmt.Errorf("enough events")

func stop(err error) error {
	if err == errEnough {
		return nil
	}
	return err
}

func dayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func (s *Sim) setup() {
	s.members = make([]member, s.cfg.Members)
	for i := range s.members {
		m := &s.members[i]
		m.zh = s.rng.Float64() < 0.75
		switch r := s.rng.Float64(); {
		case r < 0.45:
			m.weight = 0 // lurker 潜水
		default:
			m.weight = math.Min(60, 1/math.Pow(1-s.rng.Float64(), 1/1.3)) // Pareto, heavy tail
		}
		m.spammer = s.rng.Float64() < 0.01
		names := enNames
		if m.zh {
			names = zhNames
		}
		m.name = names[s.rng.IntN(len(names))] + strconv.Itoa(i)
		m.platform = map[string]string{}
	}
	s.comms = make([]*community, s.cfg.Communities)
	for i := range s.comms {
		c := &community{platform: platforms[s.rng.IntN(len(platforms))], zh: i%4 != 3} // every fourth group speaks English
		c.id = fmt.Sprintf("%s-g%03d", c.platform, i+1)
		names := enGroupNames
		if c.zh {
			names = zhGroupNames
		}
		c.name = fmt.Sprintf("%s %d", names[s.rng.IntN(len(names))], i+1)
		c.lively = math.Exp(s.rng.NormFloat64()*1.0+3.6) * s.cfg.Scale // lognormal: quiet to lively
		s.comms[i] = c
	}
}

func (s *Sim) extID(mi int, platform string) string {
	m := &s.members[mi]
	if id, ok := m.platform[platform]; ok {
		return id
	}
	id := platform + "-u" + strconv.Itoa(mi+1)
	m.platform[platform] = id
	return id
}

func (s *Sim) send(e *shequn.Event) error {
	if s.cfg.MaxEvents > 0 && s.emitted >= s.cfg.MaxEvents {
		return errEnough
	}
	s.seq++
	e.SourceID = "sim-" + strconv.FormatUint(s.cfg.Seed, 10) + "-" + strconv.Itoa(s.seq)
	s.emitted++
	return s.emit(*e)
}

func (s *Sim) base(c *community, mi int, kind shequn.EventKind, at time.Time) shequn.Event {
	return shequn.Event{
		Platform: c.platform, Community: c.id, CommunityName: c.name,
		Actor: s.extID(mi, c.platform), ActorName: s.members[mi].name, Kind: kind, TS: at.UTC(),
	}
}

// seedMembers places ~60% of members in 1-3 groups before the window opens.
func (s *Sim) seedMembers(start time.Time) error {
	for mi := range s.members {
		if s.members[mi].spammer || s.rng.Float64() > 0.6 {
			continue
		}
		n := 1 + s.rng.IntN(3)
		for k := 0; k < n; k++ {
			c := s.comms[s.rng.IntN(len(s.comms))]
			at := start.Add(-time.Duration(1+s.rng.IntN(200)) * 24 * time.Hour)
			if err := s.join(c, mi, at, -1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Sim) join(c *community, mi int, at time.Time, inviter int) error {
	for _, x := range c.members {
		if x == mi {
			return nil
		}
	}
	e := s.base(c, mi, shequn.EventJoin, at)
	if inviter >= 0 {
		e.Inviter = s.extID(inviter, c.platform)
	} else if len(s.cfg.Sources) > 0 && s.rng.Float64() < 0.7 {
		e.Source = s.cfg.Sources[s.rng.IntN(len(s.cfg.Sources))]
	}
	c.members = append(c.members, mi)
	c.dirty = true
	return s.send(&e)
}

func (s *Sim) remove(c *community, mi int) {
	for i, x := range c.members {
		if x == mi {
			c.members = append(c.members[:i], c.members[i+1:]...)
			c.dirty = true
			return
		}
	}
}

// pick chooses a writer weighted by activity; -1 when nobody writes.
func (s *Sim) pick(c *community) int {
	if c.dirty {
		c.cum = c.cum[:0]
		total := 0.0
		for _, mi := range c.members {
			total += s.members[mi].weight
			c.cum = append(c.cum, total)
		}
		c.dirty = false
	}
	if len(c.cum) == 0 || c.cum[len(c.cum)-1] == 0 {
		return -1
	}
	r := s.rng.Float64() * c.cum[len(c.cum)-1]
	lo, hi := 0, len(c.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if c.cum[mid] < r {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return c.members[lo]
}

func (s *Sim) fill(tmpl string) string {
	t := tmpl
	if strings.Contains(t, "{t}") {
		topics := enTopics
		if strings.ContainsFunc(t, func(r rune) bool { return r > 0x2e80 }) {
			topics = zhTopics
		}
		t = strings.ReplaceAll(t, "{t}", topics[s.rng.IntN(len(topics))])
	}
	return strings.ReplaceAll(t, "{n}", strconv.Itoa(1+s.rng.IntN(99)))
}

func (s *Sim) oneOf(xs []string) string { return s.fill(xs[s.rng.IntN(len(xs))]) }

// hour draws a time of day with morning and evening peaks.
func (s *Sim) clock(day time.Time) time.Time {
	var h float64
	if s.rng.Float64() < 0.45 {
		h = 9.5 + s.rng.NormFloat64()*1.5
	} else {
		h = 20.5 + s.rng.NormFloat64()*1.8
	}
	h = math.Mod(math.Max(h, 0), 24)
	return day.Add(time.Duration(h * float64(time.Hour))).Add(time.Duration(s.rng.IntN(60)) * time.Second)
}
