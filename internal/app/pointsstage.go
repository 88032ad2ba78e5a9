package app

import (
	"context"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// pointsStage awards points for chat by the workspace's points rule: a
// minimum length, no points for repeating oneself the same day, a daily cap,
// nothing for moderated messages or bot commands. A message's points are
// kept on the member's day in its group (no ledger entry per message: the
// event store already counts each message once), added to the balance and
// to the week and month totals.
type pointsStage struct {
	db   *sqlstore.DB
	mu   sync.Mutex
	days map[string]*dayMemory // the newest pointsDaysKept days seen, by day
}

// dayMemory is what the stage remembers of one day: points earned and the
// texts already paid for, by workspace|member|day.
type dayMemory struct {
	earned map[string]int64
	said   map[string]map[uint64]bool
}

// pointsDaysKept is how many of the newest days the stage remembers: events
// of a day arrive after events of the next one (groups deliver on their own,
// a batch cuts across them), and a forgotten day would pay a repeated text
// again, so that the points would depend on where batches happen to end.
const pointsDaysKept = 3

func newPointsStage(db *sqlstore.DB) *pointsStage {
	return &pointsStage{db: db, days: map[string]*dayMemory{}}
}

// memory returns the day's memory, nil when the day is older than those
// kept; a new day makes the oldest one forgotten.
func (s *pointsStage) memory(day string) *dayMemory {
	if m, ok := s.days[day]; ok {
		return m
	}
	days := make([]string, 0, len(s.days)+1)
	for d := range s.days {
		days = append(days, d)
	}
	days = append(days, day)
	slices.Sort(days)
	if len(days) > pointsDaysKept {
		for _, d := range days[:len(days)-pointsDaysKept] {
			delete(s.days, d)
		}
		if day < days[len(days)-pointsDaysKept] {
			return nil
		}
	}
	m := &dayMemory{earned: map[string]int64{}, said: map[string]map[uint64]bool{}}
	s.days[day] = m
	return m
}

func (*pointsStage) Name() string { return "points" }

func (s *pointsStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	if b.History {
		return nil
	}
	rule, err := s.db.FindPointsRule(ctx, b.Workspace.ID)
	if err != nil || (rule.Message <= 0 && rule.Reply <= 0) {
		return err
	}
	tx := b.Tx.Points()
	loc := b.Workspace.Location()
	s.mu.Lock()
	defer s.mu.Unlock()
	cands := s.candidates(b, rule, loc)
	if err := s.loadDayTotals(ctx, tx, cands); err != nil {
		return err
	}
	earned := map[string]int64{}
	said := map[string]uint64{}
	var es []sqlstore.Earning
	for _, c := range cands {
		it := c.it
		if s.paid(c) || said[c.key+"|"+strconv.FormatUint(c.hash, 16)] != 0 {
			continue // repeating oneself earns nothing
		}
		amount := int64(rule.Message)
		if it.ReplyTo != "" && rule.Reply > 0 {
			amount = int64(rule.Reply)
		}
		if rule.DailyCap > 0 {
			amount = min(amount, int64(rule.DailyCap)-c.before-earned[c.key])
		}
		if amount <= 0 {
			continue
		}
		earned[c.key] += amount
		said[c.key+"|"+strconv.FormatUint(c.hash, 16)] = c.hash
		it.Points = amount // kept on the member's day by the rollup
		es = append(es, sqlstore.Earning{MemberID: it.MemberID, CommunityID: it.CommunityID, Amount: amount, Periods: []string{c.week, c.month}, Day: it.Day})
	}
	if err := tx.AddChatPoints(ctx, es); err != nil {
		return err
	}
	b.AfterCommit(func() { s.remember(cands, earned, said) })
	return nil
}

// candidate is a message that may earn points.
type candidate struct {
	it               *pipeline.Item
	key              string // workspace|member|day
	day, week, month string
	hash             uint64
	before           int64 // earned that day before this batch
}

// candidates are the batch's messages that the rule may pay for.
func (s *pointsStage) candidates(b *pipeline.Batch, rule shequn.PointsRule, loc *time.Location) []candidate {
	var out []candidate
	for _, it := range b.Items {
		if it.Kind != shequn.EventMessage || it.Moderated || it.Flagged || it.Command {
			continue
		}
		text := strings.TrimSpace(it.Text)
		if utf8.RuneCountInString(text) < rule.MinLength {
			continue
		}
		day, week, month := shequn.Periods(it.TS, loc)
		k := strconv.FormatInt(b.Workspace.ID, 10) + "|" + strconv.FormatInt(it.MemberID, 10) + "|" + day
		out = append(out, candidate{it: it, key: k, day: day, week: week, month: month, hash: textHash(text)})
	}
	return out
}

// loadDayTotals sets each candidate's points earned that day before the
// batch: from memory, or from the database (one query per day) for a
// member the stage does not remember.
func (s *pointsStage) loadDayTotals(ctx context.Context, tx *sqlstore.PointsTx, cands []candidate) error {
	for _, c := range cands {
		s.memory(c.day) // newer days first make older ones forgotten
	}
	missing := map[string][]int64{} // day → members
	seen := map[string]bool{}
	for _, c := range cands {
		if m := s.days[c.day]; m != nil {
			if _, ok := m.earned[c.key]; ok || seen[c.key] {
				continue
			}
		}
		if !seen[c.key] {
			seen[c.key] = true
			missing[c.day] = append(missing[c.day], c.it.MemberID)
		}
	}
	loaded := map[string]int64{}
	for day, members := range missing {
		totals, err := tx.DayPoints(ctx, day, members)
		if err != nil {
			return err
		}
		for _, m := range members {
			k := strconv.FormatInt(tx.WS, 10) + "|" + strconv.FormatInt(m, 10) + "|" + day
			loaded[k] = totals[m] // the database's figure, not this batch's
			if dm := s.days[day]; dm != nil {
				dm.earned[k] = totals[m]
			}
		}
	}
	for i, c := range cands {
		if n, ok := loaded[c.key]; ok {
			cands[i].before = n
		} else if m := s.days[c.day]; m != nil {
			cands[i].before = m.earned[c.key]
		}
	}
	return nil
}

// paid reports whether an earlier batch paid the member for this text that
// day.
func (s *pointsStage) paid(c candidate) bool {
	m := s.days[c.day]
	return m != nil && m.said[c.key][c.hash]
}

// remember adds a committed batch's earnings and paid texts to the days
// still remembered.
func (s *pointsStage) remember(cands []candidate, earned map[string]int64, said map[string]uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dayOf := make(map[string]string, len(cands))
	for _, c := range cands {
		dayOf[c.key] = c.day
	}
	for k, n := range earned {
		if m := s.days[dayOf[k]]; m != nil {
			m.earned[k] += n
		}
	}
	for kh, h := range said {
		k := kh[:strings.LastIndexByte(kh, '|')]
		m := s.days[dayOf[k]]
		if m == nil {
			continue
		}
		if m.said[k] == nil {
			m.said[k] = map[uint64]bool{}
		}
		m.said[k][h] = true
	}
}

func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(s)))
	return h.Sum64()
}
