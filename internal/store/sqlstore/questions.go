package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/shequn/shequn"
)

// QuestionRow is a detected question to store with its batch.
// Its text and platform id are read from its event.
type QuestionRow struct {
	CommunityID, MemberID, EventID int64
	TS                             int64
	Cue                            string
	ToMemberID                     int64
}

// AnswerRow attributes an answer to the question asked by event QuestionEventID.
type AnswerRow struct {
	QuestionEventID int64
	EventID         int64
	MemberID        int64
	TS              int64
	How             string
}

// HourRow adds to a community's hourly signals.
type HourRow struct {
	CommunityID                   int64
	Hour                          int64
	Messages, Negative, Questions int
}

// AddQuestions stores questions; an event already stored as one is skipped.
func (t *IngestTx) AddQuestions(ctx context.Context, qs []QuestionRow) error {
	return execRows(ctx, t, "insert-question", qs, 200, func(a []any, q QuestionRow) []any {
		return append(a, t.WS, q.CommunityID, q.MemberID, q.EventID, q.TS, q.Cue, q.ToMemberID)
	})
}

// AnswerQuestions records first answers; a question already answered keeps
// its first answer, and so does one answered twice in as.
func (t *IngestTx) AnswerQuestions(ctx context.Context, as []AnswerRow) error {
	first := make([]AnswerRow, 0, len(as))
	seen := make(map[int64]bool, len(as))
	for _, a := range as {
		if !seen[a.QuestionEventID] {
			seen[a.QuestionEventID] = true
			first = append(first, a)
		}
	}
	return execRows(ctx, t, "answer-questions", first, 200, func(v []any, a AnswerRow) []any {
		return append(v, t.WS, a.QuestionEventID, a.EventID, a.MemberID, a.TS, a.How)
	})
}

// AddCommunityHours adds hourly signals.
func (t *IngestTx) AddCommunityHours(ctx context.Context, rows []HourRow) error {
	return execRows(ctx, t, "add-community-hours", rows, 200, func(a []any, r HourRow) []any {
		return append(a, t.WS, r.CommunityID, r.Hour, r.Messages, r.Negative, r.Questions)
	})
}

// questionText is how many characters of a question's text are shown (the
// queries read one more, so that shequn.Clip can tell a clipped text).
const questionText = 500

// OpenQuestion is an unanswered question, for the tracker to watch again.
type OpenQuestion struct {
	EventID               int64
	SourceID              string
	CommunityID, MemberID int64
	MemberName            string
	TS                    time.Time
	Text, Cue             string
	ToMemberID            int64
}

// OpenQuestions lists questions asked since and not answered, oldest first.
func (db *DB) OpenQuestions(ctx context.Context, ws int64, since time.Time) ([]OpenQuestion, error) {
	var out []OpenQuestion
	err := db.eachRow(ctx, db.q.get("open-questions"), []any{ws, since.UnixMilli()}, func(r *sql.Rows) error {
		var q OpenQuestion
		var ts int64
		err := r.Scan(&q.EventID, &q.SourceID, &q.CommunityID, &q.MemberID, &q.MemberName, &ts, &q.Text, &q.Cue, &q.ToMemberID)
		q.TS, q.Text = msTime(ts), shequn.Clip(q.Text, questionText)
		out = append(out, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open questions: %w", err)
	}
	return out, nil
}

// FindQuestions lists questions, newest first.
func (db *DB) FindQuestions(ctx context.Context, ws int64, f shequn.QuestionFilter) ([]*shequn.Question, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []*shequn.Question
	args := []any{ws, f.CommunityID, f.CommunityID, f.Since.UnixMilli(), f.Status, f.Status, f.Status, f.Limit}
	err := db.eachRow(ctx, db.q.get("find-questions"), args, func(r *sql.Rows) error {
		var q shequn.Question
		var ts, answered int64
		err := r.Scan(&q.ID, &q.WorkspaceID, &q.CommunityID, &q.Community, &q.MemberID, &q.MemberName, &q.EventID, &q.SourceID, &ts, &q.Text, &q.Cue,
			&q.ToMemberID, &q.AnswerEventID, &q.AnswerSourceID, &q.AnswerMemberID, &answered, &q.How, &q.AnswerMemberName)
		q.TS, q.Text = msTime(ts), shequn.Clip(q.Text, questionText)
		if answered > 0 {
			at := msTime(answered)
			q.AnsweredAt = &at
		}
		out = append(out, &q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find questions: %w", err)
	}
	return out, nil
}

// QuestionStats counts questions asked since (community 0: all) and the
// median time to their first answer.
// The kept figures answer when their window starts within an hour of
// since (a month of a thousand groups' questions, counted live: 150 ms).
func (db *DB) QuestionStats(ctx context.Context, ws, community int64, since time.Time) (shequn.QuestionStats, error) {
	kept, err := db.questionsKept(ctx, ws, since)
	if err != nil {
		return shequn.QuestionStats{}, err
	}
	if kept {
		return db.keptQuestionStats(ctx, ws, community)
	}
	var s shequn.QuestionStats
	if err := db.read.QueryRowContext(ctx, db.q.get("count-questions"), ws, community, community, since.UnixMilli()).Scan(&s.Asked); err != nil {
		return s, fmt.Errorf("count questions: %w", err)
	}
	var delays []int64
	err = db.eachRow(ctx, db.q.get("question-delays"), []any{ws, community, community, since.UnixMilli()}, func(r *sql.Rows) error {
		var d int64
		err := r.Scan(&d)
		delays = append(delays, d)
		return err
	})
	if err != nil {
		return s, fmt.Errorf("question delays: %w", err)
	}
	s.Answered = len(delays)
	if s.Asked > 0 {
		s.AnswerRate = float64(s.Answered) / float64(s.Asked)
	}
	if len(delays) > 0 {
		s.MedianAnswer = time.Duration(delays[len(delays)/2]) * time.Millisecond
	}
	return s, nil
}

// keptQuestionsWithin is how far apart the start of a request's window and
// that of the kept question figures may be for the kept ones to answer it
// (they are refreshed within a minute of new events, else hourly).
const keptQuestionsWithin = time.Hour

// QuestionStatsByCommunity gives every community's answer figures since
// a time, and the workspace's (key 0): the kept ones when their window
// starts within keptQuestionsWithin of since, else counted live.
func (db *DB) QuestionStatsByCommunity(ctx context.Context, ws int64, since time.Time) (map[int64]shequn.QuestionStats, error) {
	kept, err := db.questionsKept(ctx, ws, since)
	if err != nil {
		return nil, err
	}
	if !kept {
		return db.liveQuestionStats(ctx, ws, since)
	}
	out := map[int64]shequn.QuestionStats{}
	err = db.eachRow(ctx, db.q.get("kept-question-figures"), []any{ws}, func(r *sql.Rows) error {
		c, s, err := scanQuestionFigures(r)
		out[c] = s
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("question figures: %w", err)
	}
	return out, nil
}

// questionsKept reports whether the kept question figures answer a
// window starting at since.
func (db *DB) questionsKept(ctx context.Context, ws int64, since time.Time) (bool, error) {
	var kept int64
	err := db.read.QueryRowContext(ctx, db.q.get("question-window"), ws).Scan(&kept)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("question window: %w", err)
	}
	return since.Sub(msTime(kept)).Abs() <= keptQuestionsWithin, nil
}

// keptQuestionStats are one community's kept figures (0: the
// workspace's); none kept: nothing asked.
func (db *DB) keptQuestionStats(ctx context.Context, ws, community int64) (shequn.QuestionStats, error) {
	_, s, err := scanQuestionFigures(db.read.QueryRowContext(ctx, db.q.get("kept-question-figure"), ws, community))
	if err == sql.ErrNoRows {
		return shequn.QuestionStats{}, nil
	}
	if err != nil {
		return s, fmt.Errorf("question figures: %w", err)
	}
	return s, nil
}

func scanQuestionFigures(r interface{ Scan(...any) error }) (int64, shequn.QuestionStats, error) {
	var c, median int64
	var s shequn.QuestionStats
	if err := r.Scan(&c, &s.Asked, &s.Answered, &median); err != nil {
		return 0, s, err
	}
	s.MedianAnswer = time.Duration(median) * time.Millisecond
	if s.Asked > 0 {
		s.AnswerRate = float64(s.Answered) / float64(s.Asked)
	}
	return c, s, nil
}

// RefreshQuestionFigures keeps every community's question figures since
// a time (and the workspace's) for QuestionStatsByCommunity.
func (db *DB) RefreshQuestionFigures(ctx context.Context, ws int64, since, at time.Time) error {
	figs, err := db.liveQuestionStats(ctx, ws, since)
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q.get("delete-question-figures"), ws); err != nil {
			return fmt.Errorf("question figures: %w", err)
		}
		for c, s := range figs {
			if _, err := tx.ExecContext(ctx, db.q.get("save-question-figures"), ws, c, s.Asked, s.Answered, s.MedianAnswer.Milliseconds()); err != nil {
				return fmt.Errorf("question figures: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.q.get("save-question-window"), ws, since.UnixMilli(), at.UnixMilli()); err != nil {
			return fmt.Errorf("question window: %w", err)
		}
		return nil
	})
}

// liveQuestionStats counts the figures in two passes over the questions
// of the window (instead of two queries per community).
func (db *DB) liveQuestionStats(ctx context.Context, ws int64, since time.Time) (map[int64]shequn.QuestionStats, error) {
	out := map[int64]shequn.QuestionStats{}
	err := db.eachRow(ctx, db.q.get("question-figures"), []any{ws, since.UnixMilli()}, func(r *sql.Rows) error {
		var c, answered int64
		if err := r.Scan(&c, &answered); err != nil {
			return err
		}
		for _, k := range []int64{c, 0} {
			s := out[k]
			s.Asked++
			if answered > 0 {
				s.Answered++
			}
			out[k] = s
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("question figures: %w", err)
	}
	delays := map[int64][]int64{}
	err = db.eachRow(ctx, db.q.get("question-delays-by-community"), []any{ws, since.UnixMilli()}, func(r *sql.Rows) error {
		var c, d int64
		err := r.Scan(&c, &d)
		delays[c] = append(delays[c], d)
		delays[0] = append(delays[0], d)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("question delays: %w", err)
	}
	slices.Sort(delays[0])
	for k, s := range out {
		if s.Asked > 0 {
			s.AnswerRate = float64(s.Answered) / float64(s.Asked)
		}
		if ds := delays[k]; len(ds) > 0 {
			s.MedianAnswer = time.Duration(ds[len(ds)/2]) * time.Millisecond
		}
		out[k] = s
	}
	return out, nil
}

// CountOpenQuestions counts the unanswered questions asked from from to
// to, up to limit.
func (db *DB) CountOpenQuestions(ctx context.Context, ws int64, from, to time.Time, limit int) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-open-questions"), ws, from.UnixMilli(), to.UnixMilli(), limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("count open questions: %w", err)
	}
	return n, nil
}
