package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shequn/shequn"
)

// Earning is points earned by a member in a community (by a points rule).
type Earning struct {
	MemberID, CommunityID int64
	Amount                int64
	Reason, Key           string
	Periods               []string // day, week, month
	At                    int64    // when the activity happened (ms)
	Day                   string   // chat points: the member's day they are kept on
}

// Points returns the ledger operations bound to this batch's transaction.
func (t *IngestTx) Points() *PointsTx { return &PointsTx{db: t.db, tx: t.tx, WS: t.WS, stmts: t.stmts} }

// PostEarnings appends earnings not posted yet (by key) and adds them to
// balances and to period totals per community and for the workspace.
func (t *PointsTx) PostEarnings(ctx context.Context, es []Earning) error {
	if len(es) == 0 {
		return nil
	}
	post := t.insertEarningsReturning
	if t.db.Dialect == SQLite {
		post = t.insertEarningsNumbered
	}
	posted, err := post(ctx, es)
	if err != nil {
		return err
	}
	return t.addTotals(ctx, es, func(e Earning) bool { return posted[e.Key] }, func(Earning) bool { return true })
}

// AddChatPoints adds points earned by chatting (no ledger entry: they are
// kept on the member's days by the rollup) to balances; the week and month
// totals take them in when their day is folded (pointsfold.go), or at once
// when it already is.
func (t *PointsTx) AddChatPoints(ctx context.Context, es []Earning) error {
	if len(es) == 0 {
		return nil
	}
	through, err := t.db.pointsThrough(ctx, t.tx, t.WS, "SHARE")
	if err != nil {
		return err
	}
	return t.addTotals(ctx, es, func(Earning) bool { return true }, func(e Earning) bool { return e.Day <= through })
}

// addTotals adds the earnings that count to balances, and to the period
// totals those that are totalled now.
func (t *PointsTx) addTotals(ctx context.Context, es []Earning, counts, totalled func(Earning) bool) error {
	type pkey struct {
		period            string
		community, member int64
	}
	balances := map[int64]int64{}
	periods := map[pkey]int64{}
	for _, e := range es {
		if !counts(e) {
			continue
		}
		balances[e.MemberID] += e.Amount
		if !totalled(e) {
			continue
		}
		for _, p := range e.Periods {
			periods[pkey{p, 0, e.MemberID}] += e.Amount
			if p[0] != 'D' && e.CommunityID != 0 {
				periods[pkey{p, e.CommunityID, e.MemberID}] += e.Amount
			}
		}
	}
	if err := t.execMap(ctx, "add-balances", len(balances), func(add func(...any)) {
		for m, n := range balances {
			add(t.WS, m, n)
		}
	}); err != nil {
		return err
	}
	return t.execMap(ctx, "add-period-points", len(periods), func(add func(...any)) {
		for k, n := range periods {
			add(t.WS, k.period, k.community, k.member, n)
		}
	})
}

const earningChunk = 500

// insertEarningsReturning lets the database say which keys it stored.
func (t *PointsTx) insertEarningsReturning(ctx context.Context, es []Earning) (map[string]bool, error) {
	posted := make(map[string]bool, len(es))
	now := t.db.stamp()
	for start := 0; start < len(es); start += earningChunk {
		part := es[start:min(start+earningChunk, len(es))]
		args := make([]any, 0, len(part)*9)
		for _, e := range part {
			args = append(args, t.WS, e.MemberID, e.CommunityID, e.Amount, shequn.PointsEarn, e.Reason, e.Key, now, nullAt(e.At))
		}
		st, err := t.stmts.prepare(ctx, t.db.q.rows("insert-earnings", len(part)))
		if err != nil {
			return nil, err
		}
		if err := eachRows(ctx, st, args, func(r *sql.Rows) error {
			var k string
			err := r.Scan(&k)
			posted[k] = true
			return err
		}); err != nil {
			return nil, fmt.Errorf("insert earnings: %w", err)
		}
	}
	return posted, nil
}

// insertEarningsNumbered numbers the entries itself (SQLite's one writer,
// as insertNumbered does for events) and looks keys up only for a chunk
// that stored fewer rows than it had.
func (t *PointsTx) insertEarningsNumbered(ctx context.Context, es []Earning) (map[string]bool, error) {
	var next int64
	if err := t.tx.QueryRowContext(ctx, t.q("max-entry-id")).Scan(&next); err != nil {
		return nil, fmt.Errorf("insert earnings: %w", err)
	}
	posted := make(map[string]bool, len(es))
	now := t.db.stamp()
	for start := 0; start < len(es); start += earningChunk {
		part := es[start:min(start+earningChunk, len(es))]
		args := make([]any, 0, len(part)*10)
		ids := make([]any, len(part))
		for i, e := range part {
			next++
			ids[i] = next
			args = append(args, next, t.WS, e.MemberID, e.CommunityID, e.Amount, shequn.PointsEarn, e.Reason, e.Key, now, nullAt(e.At))
		}
		st, err := t.stmts.prepare(ctx, t.db.q.rows("insert-earnings-numbered", len(part)))
		if err != nil {
			return nil, err
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("insert earnings: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && int(n) == len(part) {
			for _, e := range part {
				posted[e.Key] = true
			}
			continue
		}
		if err := t.presentKeys(ctx, ids, posted); err != nil {
			return nil, err
		}
	}
	return posted, nil
}

// presentKeys marks the keys of the entries with these ids that exist.
func (t *PointsTx) presentKeys(ctx context.Context, ids []any, posted map[string]bool) error {
	st, err := t.stmts.prepare(ctx, t.db.q.in("present-entries-in", len(ids)))
	if err != nil {
		return err
	}
	return eachRows(ctx, st, ids, func(r *sql.Rows) error {
		var k string
		err := r.Scan(&k)
		posted[k] = true
		return err
	})
}

func nullAt(ms int64) sql.NullInt64 { return sql.NullInt64{Int64: ms, Valid: ms != 0} }

// execMap runs a multi-row statement over rows produced by fill, in chunks.
func (t *PointsTx) execMap(ctx context.Context, name string, n int, fill func(add func(...any))) error {
	if n == 0 {
		return nil
	}
	rows := make([][]any, 0, n)
	fill(func(r ...any) { rows = append(rows, r) })
	// key order keeps consecutive upserts on the same B-tree pages
	slices.SortFunc(rows, func(a, b []any) int { return compareRow(a, b) })
	return inChunks(rows, 500, func(a []any, r []any) []any { return append(a, r...) }, func(n int, args []any) error {
		st, err := t.stmts.prepare(ctx, t.db.q.rows(name, n))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// DayPoints returns what each member earned by chatting on a day (period
// D…) across the workspace, for members with any.
func (t *PointsTx) DayPoints(ctx context.Context, day string, members []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(members))
	const chunk = 500
	for start := 0; start < len(members); start += chunk {
		part := members[start:min(start+chunk, len(members))]
		args := make([]any, 0, len(part)+2)
		args = append(args, t.WS, strings.TrimPrefix(day, "D"))
		for _, m := range part {
			args = append(args, m)
		}
		st, err := t.stmts.prepare(ctx, t.db.q.in("day-points-in", len(part)))
		if err != nil {
			return nil, err
		}
		if err := eachRows(ctx, st, args, func(r *sql.Rows) error {
			var m, n int64
			err := r.Scan(&m, &n)
			out[m] = n
			return err
		}); err != nil {
			return nil, fmt.Errorf("day points: %w", err)
		}
	}
	return out, nil
}

// PeriodPoints returns what a member earned in a period and scope.
func (t *PointsTx) PeriodPoints(ctx context.Context, period string, community, member int64) (int64, error) {
	through, err := t.db.pointsThrough(ctx, t.tx, t.WS, "")
	if err != nil {
		return 0, err
	}
	n, _, err := t.db.periodPoints(ctx, t.tx, t.WS, period, community, member, through)
	return n, err
}

// Leaderboard returns the top members of a period in a community (0: the
// workspace).
func (db *DB) Leaderboard(ctx context.Context, ws int64, period string, community int64, limit int) ([]shequn.LeaderboardRow, error) {
	return db.leaderboard(ctx, db.read, ws, period, community, limit)
}

// leaderboardRows reads ranked rows; ties share a rank.
func leaderboardRows(rs *sql.Rows, err error) ([]shequn.LeaderboardRow, error) {
	var out []shequn.LeaderboardRow
	err = each(rs, err, func(r *sql.Rows) error {
		row := shequn.LeaderboardRow{Rank: len(out) + 1}
		if err := r.Scan(&row.MemberID, &row.Name, &row.Points); err != nil {
			return err
		}
		if len(out) > 0 && out[len(out)-1].Points == row.Points {
			row.Rank = out[len(out)-1].Rank
		}
		out = append(out, row)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("leaderboard: %w", err)
	}
	return out, nil
}

// Rank returns a member's points and rank in a period and scope.
func (db *DB) Rank(ctx context.Context, ws int64, period string, community, member int64) (points int64, rank int, err error) {
	return db.rank(ctx, db.read, ws, period, community, member)
}

// FindPointsRule returns the workspace's points rule, or the default.
func (db *DB) FindPointsRule(ctx context.Context, ws int64) (shequn.PointsRule, error) {
	var cfg string
	err := db.read.QueryRowContext(ctx, db.q.get("find-points-rule"), ws).Scan(&cfg)
	if err == sql.ErrNoRows {
		return shequn.DefaultPointsRule(), nil
	} else if err != nil {
		return shequn.PointsRule{}, fmt.Errorf("points rule: %w", err)
	}
	var r shequn.PointsRule
	if err := json.Unmarshal([]byte(cfg), &r); err != nil {
		return shequn.PointsRule{}, fmt.Errorf("decode points rule: %w", err)
	}
	return r, nil
}

// SavePointsRule stores the workspace's points rule.
func (db *DB) SavePointsRule(ctx context.Context, ws int64, r shequn.PointsRule) error {
	b, _ := json.Marshal(r)
	if _, err := db.write.ExecContext(ctx, db.q.get("save-points-rule"), ws, string(b), db.stamp()); err != nil {
		return fmt.Errorf("save points rule: %w", err)
	}
	return nil
}

// Balance reads a member's balance inside the transaction.
func (t *PointsTx) Balance(ctx context.Context, member int64) (int64, error) {
	var n int64
	if err := t.tx.QueryRowContext(ctx, t.q("tx-balance"), t.WS, member).Scan(&n); err != nil {
		return 0, fmt.Errorf("balance: %w", err)
	}
	return n, nil
}

// Leaderboard reads the top of a period inside the transaction.
func (t *PointsTx) Leaderboard(ctx context.Context, period string, community int64, limit int) ([]shequn.LeaderboardRow, error) {
	return t.db.leaderboard(ctx, t.tx, t.WS, period, community, limit)
}

// Savepoint runs fn so that, when it fails, what it wrote is undone while
// the rest of the transaction stays.
func (t *PointsTx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT shequn_sp"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if ferr := fn(); ferr != nil {
		if _, err := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT shequn_sp"); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
		if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT shequn_sp"); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
		return ferr
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT shequn_sp"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// compareRow orders rows of int64 and string values field by field.
func compareRow(a, b []any) int {
	for i := range min(len(a), len(b)) {
		switch x := a[i].(type) {
		case int64:
			if c := cmp.Compare(x, b[i].(int64)); c != 0 {
				return c
			}
		case string:
			if c := strings.Compare(x, b[i].(string)); c != 0 {
				return c
			}
		}
	}
	return 0
}
