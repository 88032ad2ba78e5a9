package app

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// pointsStage awards points for chat by the workspace's points rule: a
// minimum length, no points for repeating oneself the same day, a daily cap,
// nothing for moderated messages or bot commands.
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
	earned := map[string]int64{}
	said := map[string]uint64{}
	var es []sqlstore.Earning
	s.mu.Lock()
	defer s.mu.Unlock()
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
		h := textHash(text)
		if s.said[k][h] || said[k+"|"+strconv.FormatUint(h, 16)] != 0 {
			continue // repeating oneself earns nothing
		}
		soFar, err := s.dayTotal(ctx, tx, k, day, it.MemberID)
		if err != nil {
			return err
		}
		amount := int64(rule.Message)
		if it.ReplyTo != "" && rule.Reply > 0 {
			amount = int64(rule.Reply)
		}
		if rule.DailyCap > 0 {
			amount = min(amount, int64(rule.DailyCap)-soFar-earned[k])
		}
		if amount <= 0 {
			continue
		}
		earned[k] += amount
		said[k+"|"+strconv.FormatUint(h, 16)] = h
		es = append(es, sqlstore.Earning{MemberID: it.MemberID, CommunityID: it.CommunityID, Amount: amount, Reason: "message",
			Key: "earn:" + it.Platform + ":" + it.SourceID, Periods: []string{day, week, month}})
	}
	if err := tx.PostEarnings(ctx, es); err != nil {
		return err
	}
	b.AfterCommit(func() { s.remember(earned, said) })
	return nil
}

// dayTotal is what a member earned on day before this batch (cached).
func (s *pointsStage) dayTotal(ctx context.Context, tx *sqlstore.PointsTx, k, day string, member int64) (int64, error) {
	if day > s.day {
		s.day, s.earned, s.said = day, map[string]int64{}, map[string]map[uint64]bool{} // a new day: forget the old ones
	}
	if n, ok := s.earned[k]; ok {
		return n, nil
	}
	n, err := tx.PeriodPoints(ctx, day, 0, member)
	if err != nil {
		return 0, err
	}
	s.earned[k] = n // the database's figure, not this batch's
	return n, nil
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
