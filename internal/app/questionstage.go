package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/questions"
	"github.com/shequn/shequn/internal/sentiment"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// questionStage detects questions, attributes their answers and adds the
// hourly signals (messages, complaints, questions) the detectors read.
// Each workspace has a tracker in memory; after a failed batch, or a
// restart, it is rebuilt from the open questions in the store.
type questionStage struct {
	db       *sqlstore.DB
	mu       sync.Mutex
	trackers map[int64]*questions.Tracker
}

func newQuestionStage(db *sqlstore.DB) *questionStage {
	return &questionStage{db: db, trackers: map[int64]*questions.Tracker{}}
}

func (*questionStage) Name() string { return "questions" }

func (s *questionStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := b.Workspace.ID
	tr, err := s.tracker(ctx, ws, b)
	if err != nil {
		return err
	}
	delete(s.trackers, ws) // taken back only once the batch commits
	b.AfterCommit(func() {
		s.mu.Lock()
		s.trackers[ws] = tr
		s.mu.Unlock()
	})
	var qs []sqlstore.QuestionRow
	var as []sqlstore.AnswerRow
	hours := map[[2]int64]*sqlstore.HourRow{}
	for _, it := range b.Items {
		if it.Kind != shequn.EventMessage || it.Moderated || it.Command {
			continue
		}
		h := hourRow(hours, it)
		h.Messages++
		if _, neg := sentiment.Negative(it.Text); neg {
			h.Negative++
		}
		asked, answered := tr.Observe(trackerMessage(it))
		it.Asked, it.Answered = asked != nil, answered != nil
		if asked != nil {
			h.Questions++
			to, _ := strconv.ParseInt(asked.To, 10, 64)
			qs = append(qs, sqlstore.QuestionRow{CommunityID: it.CommunityID, MemberID: it.MemberID, EventID: it.ID,
				TS: it.TS.UnixMilli(), Cue: string(asked.Cue), ToMemberID: to})
		}
		if answered != nil {
			as = append(as, sqlstore.AnswerRow{QuestionEventID: answered.Ref, EventID: it.ID, MemberID: it.MemberID, TS: it.TS.UnixMilli(), How: answered.Answer.How})
		}
	}
	if err := b.Tx.AddQuestions(ctx, qs); err != nil {
		return err
	}
	if err := b.Tx.AnswerQuestions(ctx, as); err != nil {
		return err
	}
	rows := make([]sqlstore.HourRow, 0, len(hours))
	for _, h := range hours {
		rows = append(rows, *h)
	}
	return b.Tx.AddCommunityHours(ctx, rows)
}

// tracker returns the workspace's tracker, rebuilt from the store when it
// is not in memory.
func (s *questionStage) tracker(ctx context.Context, ws int64, b *pipeline.Batch) (*questions.Tracker, error) {
	if tr, ok := s.trackers[ws]; ok {
		return tr, nil
	}
	tr := questions.NewTracker()
	since := time.UnixMilli(b.Tx.Now()).Add(-tr.Window)
	if len(b.Items) > 0 && b.Items[0].TS.Add(-tr.Window).Before(since) {
		since = b.Items[0].TS.Add(-tr.Window) // imported history: its own past
	}
	open, err := s.db.OpenQuestions(ctx, ws, since)
	if err != nil {
		return nil, err
	}
	for _, o := range open {
		tr.Reopen(&questions.Question{Message: questions.Message{ID: o.SourceID, Community: strconv.FormatInt(o.CommunityID, 10),
			Author: strconv.FormatInt(o.MemberID, 10), AuthorName: o.MemberName, TS: o.TS, Text: o.Text, Ref: o.EventID},
			Cue: questions.Cue(o.Cue), To: idString(o.ToMemberID)})
	}
	return tr, nil
}

func trackerMessage(it *pipeline.Item) questions.Message {
	m := questions.Message{ID: it.Key(), Community: strconv.FormatInt(it.CommunityID, 10), Author: strconv.FormatInt(it.MemberID, 10),
		AuthorName: it.ActorName, TS: it.TS, Text: it.Text, Ref: it.ID}
	if it.ReplyTo != "" {
		m.ReplyTo = it.Platform + ":" + it.ReplyTo
	}
	return m
}

func hourRow(hours map[[2]int64]*sqlstore.HourRow, it *pipeline.Item) *sqlstore.HourRow {
	hour := it.TS.Truncate(time.Hour).UnixMilli()
	k := [2]int64{it.CommunityID, hour}
	h, ok := hours[k]
	if !ok {
		h = &sqlstore.HourRow{CommunityID: it.CommunityID, Hour: hour}
		hours[k] = h
	}
	return h
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
