package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// rebuildChunk is how many events the rebuild reads per transaction.
const rebuildChunk = 20000

// dayKey names a member's day in a group.
type dayKey struct {
	c, m int64
	d    string
}

// dayCounts are the analytics counters the rebuild recomputes.
type dayCounts struct{ replies, chars, questions, answers int }

// RebuildAnalytics recomputes the analytics counters of ws's member days
// (replies, characters, questions, answers) from the event log and the
// questions, days read in loc. Events stored after it starts are left to
// the pipeline, which counts them as they come; it returns the events read.
func (db *DB) RebuildAnalytics(ctx context.Context, ws int64, loc *time.Location) (int, error) {
	var top int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM events").Scan(&top); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, rebind(db.Dialect, "UPDATE member_days SET replies = 0, chars = 0, questions = 0, answers = 0 WHERE workspace_id = ?"), ws); err != nil {
			return err
		}
		// message stats in the same transaction as top: what comes after is
		// the pipeline's to count
		if _, err := tx.ExecContext(ctx, db.q.get("delete-message-stats"), ws); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q.get("rebuild-message-stats"), ws, top)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("rebuild analytics: %w", err)
	}
	read := 0
	for after := int64(0); after < top; after += rebuildChunk {
		counts := map[dayKey]*dayCounts{}
		n, err := db.rebuildEvents(ctx, ws, loc, after, min(after+rebuildChunk, top), counts)
		if err != nil {
			return read, err
		}
		read += n
		if err := db.rebuildQuestions(ctx, ws, loc, after, min(after+rebuildChunk, top), counts); err != nil {
			return read, err
		}
		if err := db.addDayCounts(ctx, ws, counts); err != nil {
			return read, err
		}
	}
	return read, nil
}

// rebuildEvents counts the messages with ids in (from, to].
func (db *DB) rebuildEvents(ctx context.Context, ws int64, loc *time.Location, from, to int64, counts map[dayKey]*dayCounts) (int, error) {
	n := 0
	q := "SELECT community_id, member_id, ts, text, reply_to FROM events WHERE id > ? AND id <= ? AND workspace_id = ? AND kind = 'message'"
	err := db.built(ctx, q, []any{from, to, ws}, func(rs *sql.Rows) error {
		var k dayKey
		var ts int64
		var text, reply string
		if err := rs.Scan(&k.c, &k.m, &ts, &text, &reply); err != nil {
			return err
		}
		k.d = shequn.Day(time.UnixMilli(ts), loc)
		c := dayOf(counts, k)
		c.chars += utf8.RuneCountInString(text)
		if reply != "" {
			c.replies++
		}
		n++
		return nil
	})
	return n, err
}

// rebuildQuestions counts the questions asked, and the answers given, by
// the events with ids in (from, to].
func (db *DB) rebuildQuestions(ctx context.Context, ws int64, loc *time.Location, from, to int64, counts map[dayKey]*dayCounts) error {
	q := "SELECT community_id, member_id, ts FROM questions WHERE workspace_id = ? AND event_id > ? AND event_id <= ?"
	err := db.built(ctx, q, []any{ws, from, to}, func(rs *sql.Rows) error {
		var k dayKey
		var ts int64
		if err := rs.Scan(&k.c, &k.m, &ts); err != nil {
			return err
		}
		k.d = shequn.Day(time.UnixMilli(ts), loc)
		dayOf(counts, k).questions++
		return nil
	})
	if err != nil {
		return err
	}
	q = "SELECT community_id, answer_member_id, answered_at FROM questions WHERE workspace_id = ? AND answer_event_id > ? AND answer_event_id <= ?"
	return db.built(ctx, q, []any{ws, from, to}, func(rs *sql.Rows) error {
		var k dayKey
		var ts int64
		if err := rs.Scan(&k.c, &k.m, &ts); err != nil {
			return err
		}
		k.d = shequn.Day(time.UnixMilli(ts), loc)
		dayOf(counts, k).answers++
		return nil
	})
}

func dayOf(counts map[dayKey]*dayCounts, k dayKey) *dayCounts {
	c := counts[k]
	if c == nil {
		c = &dayCounts{}
		counts[k] = c
	}
	return c
}

// addDayCounts adds the counters to their member days in one transaction.
func (db *DB) addDayCounts(ctx context.Context, ws int64, counts map[dayKey]*dayCounts) error {
	q := rebind(db.Dialect, "UPDATE member_days SET replies = replies + ?, chars = chars + ?, questions = questions + ?, answers = answers + ?"+
		" WHERE workspace_id = ? AND day = ? AND member_id = ? AND community_id = ?")
	return db.withTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		for k, c := range counts {
			if _, err := st.ExecContext(ctx, c.replies, c.chars, c.questions, c.answers, ws, k.d, k.m, k.c); err != nil {
				return fmt.Errorf("rebuild analytics: %w", err)
			}
		}
		return nil
	})
}
