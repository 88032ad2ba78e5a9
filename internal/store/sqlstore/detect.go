package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// UnansweredQuestion is an open question past an SLA.
type UnansweredQuestion struct {
	ID, CommunityID, MemberID int64
	MemberName                string
	TS                        time.Time
	Text, Cue                 string
}

// UnansweredQuestions lists questions asked in [since, before) and not answered.
func (db *DB) UnansweredQuestions(ctx context.Context, ws int64, before, since time.Time) ([]UnansweredQuestion, error) {
	var out []UnansweredQuestion
	err := db.eachRow(ctx, db.q.get("unanswered-questions"), []any{ws, before.UnixMilli(), since.UnixMilli()}, func(r *sql.Rows) error {
		var q UnansweredQuestion
		var ts int64
		err := r.Scan(&q.ID, &q.CommunityID, &q.MemberID, &q.MemberName, &ts, &q.Text, &q.Cue)
		q.TS, q.Text = msTime(ts), shequn.Clip(q.Text, questionText)
		out = append(out, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unanswered questions: %w", err)
	}
	return out, nil
}

// CommunityActivity is a group's messages since a day and its last event.
type CommunityActivity struct {
	Messages int
	Last     time.Time
}

// CommunityActivities returns each community's messages since day (and the
// time of its latest event).
func (db *DB) CommunityActivities(ctx context.Context, ws int64, sinceDay string) (map[int64]CommunityActivity, error) {
	out := map[int64]CommunityActivity{}
	err := db.eachRow(ctx, db.q.get("community-activity"), []any{ws, sinceDay}, func(r *sql.Rows) error {
		var id, last int64
		var a CommunityActivity
		err := r.Scan(&id, &a.Messages, &last)
		a.Last = msTime(last)
		out[id] = a
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("community activity: %w", err)
	}
	return out, nil
}

// RecentCases counts detector cases per community since.
func (db *DB) RecentCases(ctx context.Context, ws int64, since time.Time) (map[int64]int, error) {
	return db.countsBy(ctx, "recent-cases", ws, since.UnixMilli())
}

// HourSignal is messages and complaints over some hours.
type HourSignal struct{ Messages, Negative int }

// HourSignals sums hourly signals per community in [from, to).
func (db *DB) HourSignals(ctx context.Context, ws int64, from, to time.Time) (map[int64]HourSignal, error) {
	out := map[int64]HourSignal{}
	err := db.eachRow(ctx, db.q.get("hour-signals"), []any{ws, from.UnixMilli(), to.UnixMilli()}, func(r *sql.Rows) error {
		var id int64
		var s HourSignal
		err := r.Scan(&id, &s.Messages, &s.Negative)
		out[id] = s
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("hour signals: %w", err)
	}
	return out, nil
}

// DormantMember is a member whose last message in a group was on a day.
type DormantMember struct {
	MemberID, CommunityID int64
	Name, LastDay         string
}

// MembersLastActiveOn lists (member, community) pairs whose last message
// was on day.
func (db *DB) MembersLastActiveOn(ctx context.Context, ws int64, day string) ([]DormantMember, error) {
	var out []DormantMember
	err := db.eachRow(ctx, db.q.get("dormant-members"), []any{ws, day}, func(r *sql.Rows) error {
		var d DormantMember
		err := r.Scan(&d.MemberID, &d.CommunityID, &d.Name, &d.LastDay)
		out = append(out, d)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dormant members: %w", err)
	}
	return out, nil
}

func (db *DB) countsBy(ctx context.Context, query string, args ...any) (map[int64]int, error) {
	out := map[int64]int{}
	err := db.eachRow(ctx, db.q.get(query), args, func(r *sql.Rows) error {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		out[id] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	return out, nil
}

// MemberCounts returns each community's active members.
func (db *DB) MemberCounts(ctx context.Context, ws int64) (map[int64]int, error) {
	return db.countsBy(ctx, "community-member-counts", ws)
}

// PruneHourSignals deletes ws's hourly signals older than before, a day
// of hours to a transaction (a year of a thousand groups is 8.8 million
// rows: one statement would hold the database and grow the WAL).
func (db *DB) PruneHourSignals(ctx context.Context, ws int64, before time.Time) (int64, error) {
	const day = int64(24 * time.Hour / time.Millisecond)
	end := before.UnixMilli()
	var deleted int64
	for {
		var from int64
		if err := db.write.QueryRowContext(ctx, db.q.get("oldest-hour"), ws).Scan(&from); err != nil {
			return deleted, fmt.Errorf("oldest hour: %w", err)
		}
		if from == 0 || from >= end {
			return deleted, nil
		}
		err := db.withTx(ctx, func(tx *sql.Tx) error {
			r, err := tx.ExecContext(ctx, db.q.get("delete-hours"), ws, from, min(from+day, end))
			if err != nil {
				return err
			}
			n, err := r.RowsAffected()
			deleted += n
			return err
		})
		if err != nil {
			return deleted, fmt.Errorf("prune hour signals: %w", err)
		}
	}
}
