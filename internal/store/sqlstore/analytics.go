package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shequn/shequn"
)

// Analytics reads the rollups (member_days, community_days), memberships
// and questions; never the events. Staff are left out of every figure
// except joins and leaves of a whole group or platform.

// scope is the WHERE fragment for a filter over a table aliased a, whose
// community_id and member_id name a membership.
func scope(ws int64, f shequn.AnalyticsFilter, a string) (string, []any) {
	var b strings.Builder
	where, args := groupScope(ws, f, a)
	b.WriteString(where)
	if f.JoinSource != "" {
		b.WriteString(" AND EXISTS (SELECT 1 FROM memberships s WHERE s.workspace_id = " + a + ".workspace_id AND s.community_id = " +
			a + ".community_id AND s.member_id = " + a + ".member_id AND s.join_source = ?)")
		args = append(args, f.JoinSource)
	}
	b.WriteString(" AND " + a + ".member_id NOT IN (SELECT id FROM members WHERE workspace_id = ? AND staff <> 0)")
	args = append(args, ws)
	if f.Members != nil { // a segment: its members only
		where, margs := memberWhere(ws, *f.Members, false)
		b.WriteString(" AND " + a + ".member_id IN (SELECT m.id FROM members m WHERE " + where + ")")
		args = append(args, margs...)
	}
	return b.String(), args
}

// groupScope is the WHERE fragment for the filter's groups (one group, a
// platform's, the benchmark groups or the others) over a table aliased a.
func groupScope(ws int64, f shequn.AnalyticsFilter, a string) (string, []any) {
	var b strings.Builder
	var args []any
	if f.CommunityID != 0 {
		b.WriteString(" AND " + a + ".community_id = ?")
		args = append(args, f.CommunityID)
	}
	if f.Platform != "" {
		b.WriteString(" AND " + a + ".community_id IN (SELECT id FROM communities WHERE workspace_id = ? AND platform = ?)")
		args = append(args, ws, f.Platform)
	}
	switch f.Benchmark {
	case shequn.BenchmarkOnly:
		b.WriteString(" AND " + a + ".community_id IN (SELECT id FROM communities WHERE workspace_id = ? AND benchmark <> 0)")
		args = append(args, ws)
	case shequn.BenchmarkRest:
		b.WriteString(" AND " + a + ".community_id NOT IN (SELECT id FROM communities WHERE workspace_id = ? AND benchmark <> 0)")
		args = append(args, ws)
	}
	return b.String(), args
}

// memberDays names member_days for a filter: one group's days are read
// from the index by group (SQLite's planner, without statistics, keeps
// to the primary key by day otherwise).
func memberDays(f shequn.AnalyticsFilter) string {
	if f.CommunityID != 0 {
		return "member_days d INDEXED BY member_days_community"
	}
	return "member_days d"
}

// byGroup writes a time column for a filter: for one group, as +col so
// that SQLite's planner reads the group's rows by its index instead of
// every group's rows in the period by time (it keeps no statistics).
func byGroup(f shequn.AnalyticsFilter, col string) string {
	if f.CommunityID != 0 {
		return "+" + col
	}
	return col
}

// PosterTotal is a member's activity over a period.
type PosterTotal struct {
	CommunityID                               int64 // 0 when summed over groups
	MemberID                                  int64
	Messages, Reactions, Replies, Chars, Days int
	Questions, Answers                        int
}

// PosterTotals returns every member's activity over win, summed over the
// filter's groups (byGroup: one row per group and member).
func (db *DB) PosterTotals(ctx context.Context, ws int64, f shequn.AnalyticsFilter, win shequn.DayRange, byGroup bool) ([]PosterTotal, error) {
	where, args := scope(ws, f, "d")
	cols, group := "0, d.member_id", "d.member_id"
	if byGroup {
		cols, group = "d.community_id, d.member_id", "d.community_id, d.member_id"
	}
	q := "SELECT " + cols + ", sum(d.messages), sum(d.reactions), sum(d.replies), sum(d.chars), count(DISTINCT d.day), sum(d.questions), sum(d.answers) FROM " + memberDays(f) +
		" WHERE d.workspace_id = ? AND d.day >= ? AND d.day <= ?" + where + " GROUP BY " + group
	var out []PosterTotal
	err := db.built(ctx, q, append([]any{ws, win.From, win.To}, args...), func(rs *sql.Rows) error {
		var p PosterTotal
		if err := rs.Scan(&p.CommunityID, &p.MemberID, &p.Messages, &p.Reactions, &p.Replies, &p.Chars, &p.Days, &p.Questions, &p.Answers); err != nil {
			return err
		}
		if p.Messages+p.Reactions > 0 {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// DailyActive returns, per day of win with activity, the members active
// that day and their messages.
func (db *DB) DailyActive(ctx context.Context, ws int64, f shequn.AnalyticsFilter, win shequn.DayRange) ([]shequn.DailyCount, error) {
	where, args := scope(ws, f, "d")
	q := "SELECT d.day, count(DISTINCT d.member_id), sum(d.messages) FROM " + memberDays(f) +
		" WHERE d.workspace_id = ? AND d.day >= ? AND d.day <= ? AND d.messages + d.reactions > 0" + where + " GROUP BY d.day ORDER BY d.day"
	var out []shequn.DailyCount
	err := db.built(ctx, q, append([]any{ws, win.From, win.To}, args...), func(rs *sql.Rows) error {
		var d shequn.DailyCount
		if err := rs.Scan(&d.Day, &d.Active, &d.Messages); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// GroupFlow is a group's joins, leaves and messages per day.
type GroupFlow struct {
	CommunityID             int64
	Day                     string
	Joins, Leaves, Messages int
}

// GroupFlows returns the daily rollup of the filter's groups over win. A
// join source filter is not applied here (see SourceFlow).
func (db *DB) GroupFlows(ctx context.Context, ws int64, f shequn.AnalyticsFilter, win shequn.DayRange) ([]GroupFlow, error) {
	where, fargs := groupScope(ws, f, "c")
	q := "SELECT c.community_id, c.day, c.joins, c.leaves, c.messages FROM community_days c WHERE c.workspace_id = ? AND c.day >= ? AND c.day <= ?" + where
	args := append([]any{ws, win.From, win.To}, fargs...)
	var out []GroupFlow
	err := db.built(ctx, q, args, func(rs *sql.Rows) error {
		var g GroupFlow
		if err := rs.Scan(&g.CommunityID, &g.Day, &g.Joins, &g.Leaves, &g.Messages); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

// SourceFlow counts the memberships (of a join source, of a segment's
// members) that joined, and that left, between from and to (ms, to
// exclusive): a membership keeps its latest join and leave only.
func (db *DB) SourceFlow(ctx context.Context, ws int64, f shequn.AnalyticsFilter, from, to int64) (joins, leaves int, err error) {
	where, args := scope(ws, shequn.AnalyticsFilter{CommunityID: f.CommunityID, Platform: f.Platform, Benchmark: f.Benchmark, Members: f.Members}, "m")
	all := []any{from, to, from, to, ws}
	if f.JoinSource != "" {
		where = " AND m.join_source = ?" + where
		all = append(all, f.JoinSource)
	}
	q := "SELECT coalesce(sum(CASE WHEN m.joined_at >= ? AND m.joined_at < ? THEN 1 ELSE 0 END), 0)," +
		" coalesce(sum(CASE WHEN m.left_at >= ? AND m.left_at < ? THEN 1 ELSE 0 END), 0)" +
		" FROM memberships m WHERE m.workspace_id = ?" + where
	all = append(all, args...)
	err = db.read.QueryRowContext(ctx, rebind(db.Dialect, q), all...).Scan(&joins, &leaves)
	if err != nil {
		return 0, 0, fmt.Errorf("source flow: %w", err)
	}
	return joins, leaves, nil
}

// GroupMembers counts, per group, the active memberships of people who
// are not staff.
func (db *DB) GroupMembers(ctx context.Context, ws int64, f shequn.AnalyticsFilter) (map[int64]int, error) {
	where, args := scope(ws, f, "m")
	q := "SELECT m.community_id, count(*) FROM memberships m WHERE m.workspace_id = ? AND m.status = 'active'" + where + " GROUP BY m.community_id"
	out := map[int64]int{}
	err := db.built(ctx, q, append([]any{ws}, args...), func(rs *sql.Rows) error {
		var c int64
		var n int
		if err := rs.Scan(&c, &n); err != nil {
			return err
		}
		out[c] = n
		return nil
	})
	return out, err
}

// QuestionWait is a question: its group, when it was asked and, when
// answered, after how many milliseconds (-1 when not).
type QuestionWait struct {
	CommunityID int64
	Wait        int64
}

// QuestionWaits returns the questions asked between from and to (ms, to
// exclusive) by members who are not staff.
func (db *DB) QuestionWaits(ctx context.Context, ws int64, f shequn.AnalyticsFilter, from, to int64) ([]QuestionWait, error) {
	where, args := scope(ws, f, "q")
	ts := byGroup(f, "q.ts")
	query := "SELECT q.community_id, CASE WHEN q.answered_at > 0 THEN q.answered_at - q.ts ELSE -1 END FROM questions q WHERE q.workspace_id = ? AND " +
		ts + " >= ? AND " + ts + " < ?" + where
	var out []QuestionWait
	err := db.built(ctx, query, append([]any{ws, from, to}, args...), func(rs *sql.Rows) error {
		var w QuestionWait
		if err := rs.Scan(&w.CommunityID, &w.Wait); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
}

// Joiner is a membership that joined in a cohort's period.
type Joiner struct {
	ID, CommunityID, MemberID int64
	JoinedAt                  int64
	LeftAt, FirstMessageAt    int64    // 0 when none
	Source                    string   // join source
	Days                      []string // the days it was active from its join on
}

// Joiners returns the memberships whose (latest) join is between from and
// to (ms, to exclusive), with the days each was active since fromDay
// (none when fromDay is empty).
func (db *DB) Joiners(ctx context.Context, ws int64, f shequn.AnalyticsFilter, from, to int64, fromDay string) ([]Joiner, error) {
	where, args := scope(ws, f, "m")
	joined := byGroup(f, "m.joined_at")
	q := "SELECT m.id, m.community_id, m.member_id, m.joined_at, coalesce(m.left_at, 0), coalesce(m.first_message_at, 0), m.join_source FROM memberships m" +
		" WHERE m.workspace_id = ? AND " + joined + " >= ? AND " + joined + " < ?" + where + " ORDER BY m.id"
	base := append([]any{ws, from, to}, args...)
	var out []Joiner
	at := map[int64]int{}
	err := db.built(ctx, q, base, func(rs *sql.Rows) error {
		var j Joiner
		if err := rs.Scan(&j.ID, &j.CommunityID, &j.MemberID, &j.JoinedAt, &j.LeftAt, &j.FirstMessageAt, &j.Source); err != nil {
			return err
		}
		at[j.ID] = len(out)
		out = append(out, j)
		return nil
	})
	if err != nil || len(out) == 0 || fromDay == "" {
		return out, err
	}
	// the days since fromDay, each matched to its membership by the unique
	// key (CROSS JOIN keeps SQLite walking the days, one group's from its
	// index: starting from the joiners, it would read each one's whole
	// group from the group index)
	q = "SELECT m.id, d.day FROM " + memberDays(f) + " CROSS JOIN memberships m WHERE d.workspace_id = ? AND d.day >= ?" +
		" AND m.workspace_id = d.workspace_id AND m.community_id = d.community_id AND m.member_id = d.member_id" +
		" AND m.joined_at >= ? AND m.joined_at < ?" + where
	err = db.built(ctx, q, append([]any{ws, fromDay, from, to}, args...), func(rs *sql.Rows) error {
		var id int64
		var day string
		if err := rs.Scan(&id, &day); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			out[i].Days = append(out[i].Days, day)
		}
		return nil
	})
	return out, err
}

// GroupCases counts, per group, the moderation cases opened between from
// and to (ms, to exclusive).
func (db *DB) GroupCases(ctx context.Context, ws int64, from, to int64) (map[int64]int, error) {
	q := "SELECT community_id, count(*) FROM moderation_cases WHERE workspace_id = ? AND created_at >= ? AND created_at < ? GROUP BY community_id"
	out := map[int64]int{}
	err := db.built(ctx, q, []any{ws, from, to}, func(rs *sql.Rows) error {
		var c int64
		var n int
		if err := rs.Scan(&c, &n); err != nil {
			return err
		}
		out[c] = n
		return nil
	})
	return out, err
}

// SetStaff marks a member as staff (or a bot) or as a member again.
func (db *DB) SetStaff(ctx context.Context, ws, member int64, staff bool) error {
	v := 0
	if staff {
		v = 1
	}
	res, err := db.write.ExecContext(ctx, rebind(db.Dialect, "UPDATE members SET staff = ? WHERE workspace_id = ? AND id = ?"), v, ws, member)
	if err != nil {
		return fmt.Errorf("set staff: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "member %d not found", member)
	}
	return nil
}

// built runs a read query built here, rebound for the dialect, and calls
// fn for every row.
func (db *DB) built(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	if err := db.eachRow(ctx, rebind(db.Dialect, q), args, fn); err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	return nil
}

// FirstDays returns, per group, the first day it had any activity.
func (db *DB) FirstDays(ctx context.Context, ws int64) (map[int64]string, error) {
	out := map[int64]string{}
	err := db.built(ctx, "SELECT community_id, min(day) FROM community_days WHERE workspace_id = ? GROUP BY community_id", []any{ws}, func(rs *sql.Rows) error {
		var c int64
		var d string
		if err := rs.Scan(&c, &d); err != nil {
			return err
		}
		out[c] = d
		return nil
	})
	return out, err
}

// ActiveDays returns, per day of win, the members (not staff) active that
// day in the filter's groups.
func (db *DB) ActiveDays(ctx context.Context, ws int64, f shequn.AnalyticsFilter, win shequn.DayRange) (map[string][]int64, error) {
	where, args := scope(ws, f, "d")
	q := "SELECT DISTINCT d.day, d.member_id FROM " + memberDays(f) + " WHERE d.workspace_id = ? AND d.day >= ? AND d.day <= ?" +
		" AND d.messages + d.reactions > 0" + where
	out := map[string][]int64{}
	err := db.built(ctx, q, append([]any{ws, win.From, win.To}, args...), func(rs *sql.Rows) error {
		var day string
		var m int64
		if err := rs.Scan(&day, &m); err != nil {
			return err
		}
		out[day] = append(out[day], m)
		return nil
	})
	return out, err
}

// Inviters returns, per inviter, the memberships whose (latest) join
// between from and to (ms, to exclusive) names them, and how many of those
// are still active; most invited first.
func (db *DB) Inviters(ctx context.Context, ws int64, f shequn.AnalyticsFilter, from, to int64) ([]shequn.InviterRow, error) {
	where, args := scope(ws, f, "m")
	q := "SELECT m.invited_by, coalesce(p.display_name, ''), count(*), sum(CASE WHEN m.status = 'active' THEN 1 ELSE 0 END)" +
		" FROM memberships m LEFT JOIN members p ON p.workspace_id = m.workspace_id AND p.id = m.invited_by" +
		" WHERE m.workspace_id = ? AND " + byGroup(f, "m.invited_by") + " IS NOT NULL AND " + byGroup(f, "m.joined_at") + " >= ? AND " + byGroup(f, "m.joined_at") + " < ?" + where +
		" GROUP BY m.invited_by, p.display_name ORDER BY count(*) DESC, m.invited_by"
	var out []shequn.InviterRow
	err := db.built(ctx, q, append([]any{ws, from, to}, args...), func(rs *sql.Rows) error {
		var r shequn.InviterRow
		if err := rs.Scan(&r.ID, &r.Name, &r.Invited, &r.Stayed); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// MarkStaff flags these members as staff (bots, as their platform says).
func (t *IngestTx) MarkStaff(ctx context.Context, members []int64) error {
	args := []any{t.WS}
	for _, m := range members {
		args = append(args, m)
	}
	st, err := t.stmtIn(ctx, "mark-staff", len(members))
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("mark staff: %w", err)
	}
	return nil
}

// JoinSources returns how many memberships came through each join source
// (channel codes included), most first, at most 100.
func (db *DB) JoinSources(ctx context.Context, ws int64) ([]shequn.SourceCount, error) {
	var out []shequn.SourceCount
	err := db.eachRow(ctx, db.q.get("join-sources"), []any{ws}, func(rs *sql.Rows) error {
		var s shequn.SourceCount
		if err := rs.Scan(&s.Source, &s.Members); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("join sources: %w", err)
	}
	return out, nil
}
