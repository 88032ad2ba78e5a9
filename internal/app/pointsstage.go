package app

import (
	"context"
	"hash/fnv"
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
	db     *sqlstore.DB
	mu     sync.Mutex
	day    string                     // the newest day seen; older memory is dropped
	earned map[string]int64           // member|day → points earned that day
	said   map[string]map[uint64]bool // member|day → texts already paid for
}

func newPointsStage(db *sqlstore.DB) *pointsStage {
	return &pointsStage{db: db, earned: map[string]int64{}, said: map[string]map[uint64]bool{}}
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
		if s.said[c.key][c.hash] || said[c.key+"|"+strconv.FormatUint(c.hash, 16)] != 0 {
			continue // repeating oneself earns nothing
		}
		amount := int64(rule.Message)
		if it.ReplyTo != "" && rule.Reply > 0 {
			amount = int64(rule.Reply)
		}
		if rule.DailyCap > 0 {
			amount = min(amount, int64(rule.DailyCap)-s.earned[c.key]-earned[c.key])
		}
		if amount <= 0 {
			continue
		}
		earned[c.key] += amount
		said[c.key+"|"+strconv.FormatUint(c.hash, 16)] = c.hash
		it.Points = amount // kept on the member's day by the rollup
		es = append(es, sqlstore.Earning{MemberID: it.MemberID, CommunityID: it.CommunityID, Amount: amount, Periods: []string{c.week, c.month}})
	}
	if err := tx.AddChatPoints(ctx, es); err != nil {
		return err
	}
	b.AfterCommit(func() { s.remember(earned, said) })
	return nil
}

// candidate is a message that may earn points.
type candidate struct {
	it               *pipeline.Item
	key              string // workspace|member|day
	day, week, month string
	hash             uint64
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

// loadDayTotals fills s.earned with the database's day totals of the
// candidates' members that it does not hold yet, one query per day.
func (s *pointsStage) loadDayTotals(ctx context.Context, tx *sqlstore.PointsTx, cands []candidate) error {
	missing := map[string][]int64{} // day → members
	seen := map[string]bool{}
	for _, c := range cands {
		if c.day > s.day {
			s.day, s.earned, s.said = c.day, map[string]int64{}, map[string]map[uint64]bool{} // a new day: forget the old ones
		}
	}
	for _, c := range cands {
		if _, ok := s.earned[c.key]; ok || seen[c.key] {
			continue
		}
		seen[c.key] = true
		missing[c.day] = append(missing[c.day], c.it.MemberID)
	}
	for day, members := range missing {
		totals, err := tx.DayPoints(ctx, day, members)
		if err != nil {
			return err
		}
		for _, m := range members {
			s.earned[strconv.FormatInt(tx.WS, 10)+"|"+strconv.FormatInt(m, 10)+"|"+day] = totals[m] // the database's figure, not this batch's
		}
	}
	return nil
}

func (s *pointsStage) remember(earned map[string]int64, said map[string]uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, n := range earned {
		s.earned[k] += n
	}
	for kh, h := range said {
		k := kh[:strings.LastIndexByte(kh, '|')]
		if s.said[k] == nil {
			s.said[k] = map[uint64]bool{}
		}
		s.said[k][h] = true
	}
}

func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(s)))
	return h.Sum64()
}
