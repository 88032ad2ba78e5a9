package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/shequn/shequn"
)

// Chat points are kept on the members' days; the week and month totals
// (points_periods) take a day's in once the day is closed (FoldChatPoints),
// and every read of a total adds the days not folded in yet. Earnings of
// other kinds, and chat points of a day already folded, go to the totals
// at once.

// queryer is a transaction or a pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// eachQuery runs a query and calls fn for every row.
func eachQuery(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rs, err := q.QueryContext(ctx, query, args...)
	return each(rs, err, fn)
}

// pointsThrough returns the last day whose chat points the totals hold.
// On PostgreSQL, lock ("SHARE" or "UPDATE") keeps a fold and the batches
// that write chat points apart until the transaction ends; SQLite's one
// writer does that already.
func (db *DB) pointsThrough(ctx context.Context, q queryer, ws int64, lock string) (string, error) {
	query := db.q.get("points-through")
	if lock != "" && db.Dialect == Postgres {
		query += " FOR " + lock
	}
	var through string
	err := q.QueryRowContext(ctx, query, ws).Scan(&through)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("points through: %w", err)
	}
	return through, nil
}

// FoldChatPoints adds the chat points of the days after the last folded
// one, up to and including through (a closed day), to the week and month
// totals, a week of days per transaction.
func (db *DB) FoldChatPoints(ctx context.Context, ws int64, through string) error {
	for {
		more := false
		err := db.withTx(ctx, func(tx *sql.Tx) error {
			var err error
			more, err = db.foldDays(ctx, tx, ws, through, 7)
			return err
		})
		if err != nil || !more {
			return err
		}
	}
}

// foldDays folds up to n days and reports whether days are left.
func (db *DB) foldDays(ctx context.Context, tx *sql.Tx, ws int64, through string, n int) (bool, error) {
	from, err := db.pointsThrough(ctx, tx, ws, "UPDATE")
	if err != nil || from >= through {
		return false, err
	}
	var days []string
	err = eachQuery(ctx, tx, db.q.get("chat-days-after"), []any{ws, from, through, n}, func(r *sql.Rows) error {
		var d string
		err := r.Scan(&d)
		days = append(days, d)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("fold chat points: %w", err)
	}
	for _, d := range days {
		if err := db.foldDay(ctx, tx, ws, d); err != nil {
			return false, err
		}
	}
	last := through
	if len(days) == n {
		last = days[n-1]
	}
	if _, err := tx.ExecContext(ctx, db.q.get("set-points-through"), last, ws); err != nil {
		return false, fmt.Errorf("fold chat points: %w", err)
	}
	return last < through, nil
}

func (db *DB) foldDay(ctx context.Context, tx *sql.Tx, ws int64, day string) error {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return fmt.Errorf("fold chat points of %q: %w", day, err)
	}
	_, week, month := shequn.Periods(t, time.UTC)
	for _, p := range []string{week, month} {
		for _, name := range []string{"fold-chat-points", "fold-chat-points-workspace"} {
			if _, err := tx.ExecContext(ctx, db.q.get(name), p, ws, day); err != nil {
				return fmt.Errorf("fold chat points of %s: %w", day, err)
			}
		}
	}
	return nil
}

// livePoints returns what members earned by chatting in a period and
// scope (a community, 0: the workspace) on days not folded in.
func (db *DB) livePoints(ctx context.Context, q queryer, ws int64, period string, community int64, through string) (map[int64]int64, error) {
	r, ok := shequn.PeriodDays(period)
	if !ok || r.To <= through {
		return nil, nil
	}
	query, args := db.q.get("live-chat-points"), []any{ws, through, r.From, r.To, community}
	if community == 0 {
		query, args = db.q.get("live-chat-points-workspace"), args[:4]
	}
	out := map[int64]int64{}
	err := eachQuery(ctx, q, query, args, func(r *sql.Rows) error {
		var m, n int64
		err := r.Scan(&m, &n)
		out[m] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("live points: %w", err)
	}
	return out, nil
}

// keptPoints returns the totals of these members in a period and scope.
func (db *DB) keptPoints(ctx context.Context, q queryer, ws int64, period string, community int64, members []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(members))
	return out, db.eachIn(ctx, q, "period-points-in", []any{ws, period, community}, members, func(r *sql.Rows) error {
		var m, n int64
		err := r.Scan(&m, &n)
		out[m] = n
		return err
	})
}

// eachIn runs a named "IN (?)" query for ids in chunks, after args.
func (db *DB) eachIn(ctx context.Context, q queryer, name string, args []any, ids []int64, fn func(*sql.Rows) error) error {
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		a := append(slices.Clone(args), make([]any, len(part))...)
		for i, id := range part {
			a[len(args)+i] = id
		}
		if err := eachQuery(ctx, q, db.q.in(name, len(part)), a, fn); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// leaderboard returns the top of a period: the kept totals' top, with the
// days not folded in added. A member outside the kept top who earned
// nothing since is outranked by all of it, so the top of the sum is
// among the kept top and the members with live points.
func (db *DB) leaderboard(ctx context.Context, q queryer, ws int64, period string, community int64, limit int) ([]shequn.LeaderboardRow, error) {
	through, err := db.pointsThrough(ctx, q, ws, "")
	if err != nil {
		return nil, err
	}
	top, err := leaderboardRows(q.QueryContext(ctx, db.q.get("leaderboard"), ws, period, community, limit))
	if err != nil {
		return nil, err
	}
	live, err := db.livePoints(ctx, q, ws, period, community, through)
	if err != nil || len(live) == 0 {
		return top, err
	}
	total := make(map[int64]int64, len(top)+len(live))
	names := make(map[int64]string, len(top)+len(live))
	for _, r := range top {
		total[r.MemberID], names[r.MemberID] = r.Points, r.Name
	}
	reach := outsideReach(top, live, limit)
	var others []int64
	for m, n := range live {
		if _, ok := total[m]; !ok && n >= reach {
			others = append(others, m)
		}
	}
	kept, err := db.keptPoints(ctx, q, ws, period, community, others)
	if err != nil {
		return nil, err
	}
	for m, n := range live {
		// an outsider short of reach cannot make the board: left out
		// rather than ranked on a total without its kept points
		if _, ok := total[m]; ok || n >= reach {
			total[m] += n + kept[m]
		}
	}
	return db.rankTotals(ctx, q, ws, total, names, limit)
}

// outsideReach is the fewest live points that may take a member outside
// the kept top into the board: their kept total is at most the top's
// last, and the board's last place holds at least the limit-th best of
// the top's own totals (kept and live). A member short of it is not
// looked up (at 10M events a day's thousands of chatters were, 500 to a
// query). 0 when the kept top is not full (everyone may enter).
func outsideReach(top []shequn.LeaderboardRow, live map[int64]int64, limit int) int64 {
	if len(top) < limit || limit <= 0 {
		return 0
	}
	totals := make([]int64, len(top))
	for i, r := range top {
		totals[i] = r.Points + live[r.MemberID]
	}
	slices.Sort(totals)
	last := totals[len(totals)-limit] // the limit-th best
	return last - top[len(top)-1].Points
}

// rankTotals sorts totals (most first, then by member), keeps the first
// limit and names them; ties share a rank.
func (db *DB) rankTotals(ctx context.Context, q queryer, ws int64, total map[int64]int64, names map[int64]string, limit int) ([]shequn.LeaderboardRow, error) {
	rows := make([]shequn.LeaderboardRow, 0, len(total))
	for m, n := range total {
		if n != 0 {
			rows = append(rows, shequn.LeaderboardRow{MemberID: m, Points: n})
		}
	}
	slices.SortFunc(rows, func(a, b shequn.LeaderboardRow) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(a.MemberID, b.MemberID))
	})
	rows = rows[:min(limit, len(rows))]
	var unnamed []int64
	for _, r := range rows {
		if _, ok := names[r.MemberID]; !ok {
			unnamed = append(unnamed, r.MemberID)
		}
	}
	err := db.eachIn(ctx, q, "member-names-in", []any{ws}, unnamed, func(r *sql.Rows) error {
		var m int64
		var name string
		err := r.Scan(&m, &name)
		names[m] = name
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Name, rows[i].Rank = names[rows[i].MemberID], i+1
		if i > 0 && rows[i-1].Points == rows[i].Points {
			rows[i].Rank = rows[i-1].Rank
		}
	}
	return rows, nil
}

// periodPoints returns a member's total in a period and scope, and
// whether the member has one.
func (db *DB) periodPoints(ctx context.Context, q queryer, ws int64, period string, community, member int64, through string) (int64, bool, error) {
	var kept int64
	err := q.QueryRowContext(ctx, db.q.get("period-points"), ws, period, community, member).Scan(&kept)
	found := err == nil
	if err != nil && err != sql.ErrNoRows {
		return 0, false, fmt.Errorf("period points: %w", err)
	}
	r, ok := shequn.PeriodDays(period)
	if !ok || r.To <= through {
		return kept, found, nil
	}
	var live int64
	if err := q.QueryRowContext(ctx, db.q.get("live-chat-points-member"), ws, member, through, r.From, r.To, community, community).Scan(&live); err != nil {
		return 0, false, fmt.Errorf("period points: %w", err)
	}
	return kept + live, found || live != 0, nil
}

// rank returns a member's total and rank in a period and scope (0, 0 when
// the member has none): one more than the members whose total is higher,
// counted among the kept totals and corrected for the live points.
func (db *DB) rank(ctx context.Context, q queryer, ws int64, period string, community, member int64) (int64, int, error) {
	through, err := db.pointsThrough(ctx, q, ws, "")
	if err != nil {
		return 0, 0, err
	}
	points, found, err := db.periodPoints(ctx, q, ws, period, community, member, through)
	if err != nil || !found {
		return 0, 0, err
	}
	var rank int
	if err := q.QueryRowContext(ctx, db.q.get("rank-of"), ws, period, community, points).Scan(&rank); err != nil {
		return 0, 0, fmt.Errorf("rank: %w", err)
	}
	live, err := db.livePoints(ctx, q, ws, period, community, through)
	if err != nil || len(live) == 0 {
		return points, rank, err
	}
	others := make([]int64, 0, len(live))
	for m := range live {
		if m != member {
			others = append(others, m)
		}
	}
	kept, err := db.keptPoints(ctx, q, ws, period, community, others)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range others {
		if kept[m] > points {
			rank-- // counted by its kept total
		}
		if kept[m]+live[m] > points {
			rank++
		}
	}
	return points, rank, nil
}
