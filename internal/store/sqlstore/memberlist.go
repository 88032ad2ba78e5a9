package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// memberWhere is the WHERE clause of the members-list queries for f, with
// only the conditions f sets (so that the planner can use their indexes),
// and its arguments. probe tests each filter per member (EXISTS by the
// filter's index) instead of reading the filter's members first (IN):
// cheaper when many members match, as a walk in the page's order then
// meets a page of them soon (a tier of 120,000 lurkers: 150 ms to list
// them first).
func memberWhere(ws int64, f shequn.MemberFilter, probe bool) (string, []any) {
	where, args := []string{"m.workspace_id = ?"}, []any{ws}
	if f.Query != "" {
		like := "%" + strings.ToLower(f.Query) + "%"
		where = append(where, `(lower(m.display_name) LIKE ? OR m.id IN (
        SELECT i.member_id FROM identities i WHERE i.workspace_id = ? AND i.external_id = ?))`)
		args = append(args, like, ws, f.Query)
	}
	for _, set := range memberSets(ws, f) {
		if probe {
			where = append(where, set.exists())
		} else {
			where = append(where, "m.id IN ("+set.in()+")")
		}
		args = append(args, set.args...)
	}
	return strings.Join(where, "\n  AND "), args
}

// memberSet is one of a filter's conditions, the member ids it lets
// through read from the condition's own index.
type memberSet struct {
	from, alias, cond string // "identities p", "p", "p.workspace_id = ? AND …"
	args              []any
	repeats           bool // a member may appear more than once
}

// in is the set for an IN test: without DISTINCT, which only costs there
// (PostgreSQL then hashed the whole set instead of probing its index per
// row: 129 vs 11 ms for a platform's 35,000 members; SQLite 19 vs 4 ms).
func (s memberSet) in() string {
	return "SELECT " + s.alias + ".member_id FROM " + s.from + " WHERE " + s.cond
}

// each is the set with every member once, to count.
func (s memberSet) each() string {
	if s.repeats {
		return "SELECT DISTINCT " + s.alias + ".member_id FROM " + s.from + " WHERE " + s.cond
	}
	return s.in()
}

// exists tests the member m.
func (s memberSet) exists() string {
	return "EXISTS (SELECT 1 FROM " + s.from + " WHERE " + s.cond + " AND " + s.alias + ".member_id = m.id)"
}

// memberSets are f's filters but the search.
func memberSets(ws int64, f shequn.MemberFilter) []memberSet {
	var sets []memberSet
	if f.CommunityID != 0 {
		s := memberSet{from: "memberships s", alias: "s", cond: "s.workspace_id = ? AND s.community_id = ?", args: []any{ws, f.CommunityID}}
		if f.Status != "" {
			s.cond, s.args = s.cond+" AND s.status = ?", append(s.args, f.Status)
		}
		sets = append(sets, s)
	}
	if f.Platform != "" {
		sets = append(sets, memberSet{from: "identities p", alias: "p", cond: "p.workspace_id = ? AND p.platform = ?", args: []any{ws, f.Platform}, repeats: true})
	}
	if f.Tier != "" {
		sets = append(sets, memberSet{from: "member_standings st", alias: "st", cond: "st.workspace_id = ? AND st.tier = ?", args: []any{ws, f.Tier}})
	}
	return sets
}

// memberCount is the query that counts f's members, and its arguments:
// a search's up to shequn.SearchCountCap+1; without a search, from the filters' own indexes (members are never
// deleted, so every id they hold is a member), or from the workspace's
// total when nothing filters.
func (db *DB) memberCount(ws int64, f shequn.MemberFilter, where string, fargs []any) (string, []any) {
	if f.Query != "" {
		return db.memberQuery("count-search", where), fargs
	}
	sets := memberSets(ws, f)
	if len(sets) == 0 {
		return db.q.get("count-workspace-members"), []any{ws}
	}
	q, args := "SELECT count(*) FROM ("+sets[0].each()+") d", slices.Clone(sets[0].args)
	for i, set := range sets[1:] {
		q += map[bool]string{true: " WHERE", false: " AND"}[i == 0] + " d.member_id IN (" + set.in() + ")"
		args = append(args, set.args...)
	}
	return rebind(db.Dialect, q), args
}

// memberListQueries are the members list's queries; %[1]s stands for
// memberWhere's clause (the plan test checks them with every condition
// set). Each ends where the caller adds LIMIT ? OFFSET ? when it pages.
var memberListQueries = map[string]string{
	"count": `SELECT count(*) FROM members m WHERE %[1]s`,
	// a search's matches, counted up to one past the cap
	"count-search": `SELECT count(*) FROM (SELECT 1 FROM members m INDEXED BY members_ws WHERE %[1]s LIMIT ` + strconv.Itoa(shequn.SearchCountCap+1) + `) s`,
	// newest first from the index by workspace and id (the planner's own
	// choice, by name then a sort of every member, took 100 ms at 431,000)
	"recent": `SELECT m.id FROM members m INDEXED BY members_ws WHERE %[1]s ORDER BY m.id DESC`,
	"name":   `SELECT m.id FROM members m WHERE %[1]s ORDER BY m.display_name, m.id`,
	// an export's next chunk, newest first, after the id given last
	"export": `SELECT m.id FROM members m INDEXED BY members_ws WHERE %[1]s AND m.id < ? ORDER BY m.id DESC`,
	// by the figures refreshed with the tiers (CROSS JOIN: walked in the
	// figures' order, not the members'); the members the sort has no
	// figure for (no message, or no activity at all) come after, newest
	// first, as they do when the days are added up live
	"messages": `SELECT m.id FROM member_activity a CROSS JOIN members m
WHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND a.workspace_id = ? AND a.messages > 0 AND %[1]s ORDER BY a.messages DESC, a.member_id DESC`,
	"count-messages": `SELECT count(*) FROM member_activity a CROSS JOIN members m
WHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND a.workspace_id = ? AND a.messages > 0 AND %[1]s`,
	"quiet-messages": `SELECT m.id FROM members m INDEXED BY members_ws WHERE %[1]s
  AND NOT EXISTS (SELECT 1 FROM member_activity a WHERE a.workspace_id = m.workspace_id AND a.member_id = m.id AND a.messages > 0)
ORDER BY m.id DESC`,
	// a tier alone: that tier's figures, from their own index
	"messages-tier": `SELECT a.member_id FROM member_activity a WHERE a.workspace_id = ? AND a.tier = ? AND a.messages > 0
ORDER BY a.messages DESC, a.member_id DESC`,
	"count-messages-tier": `SELECT count(*) FROM member_activity a WHERE a.workspace_id = ? AND a.tier = ? AND a.messages > 0`,
	"active-tier": `SELECT a.member_id FROM member_activity a WHERE a.workspace_id = ? AND a.tier = ?
ORDER BY a.last_day DESC, a.member_id DESC`,
	"count-active-tier": `SELECT count(*) FROM member_activity a WHERE a.workspace_id = ? AND a.tier = ?`,
	"active": `SELECT m.id FROM member_activity a CROSS JOIN members m
WHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND a.workspace_id = ? AND %[1]s ORDER BY a.last_day DESC, a.member_id DESC`,
	"count-active": `SELECT count(*) FROM member_activity a CROSS JOIN members m
WHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND a.workspace_id = ? AND %[1]s`,
	"quiet-active": `SELECT m.id FROM members m INDEXED BY members_ws WHERE %[1]s
  AND NOT EXISTS (SELECT 1 FROM member_activity a WHERE a.workspace_id = m.workspace_id AND a.member_id = m.id)
ORDER BY m.id DESC`,
	// any window: every matching member's days added up, then sorted
	"live": `SELECT m.id FROM members m
LEFT JOIN (
    SELECT member_id, sum(messages) AS messages, max(day) AS last_day
    FROM member_days WHERE workspace_id = ? AND day >= ? AND day <= ?
    GROUP BY member_id
) a ON a.member_id = m.id
WHERE %[1]s`,
}

// The -narrow forms of the sorted queries start from the members that
// match (CROSS JOIN keeps SQLite's join order) and look their figures up.
func init() {
	const byFigure = "FROM member_activity a CROSS JOIN members m\nWHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND "
	const byMember = "FROM members m CROSS JOIN member_activity a\nWHERE m.workspace_id = a.workspace_id AND m.id = a.member_id AND "
	for _, name := range []string{"messages", "active", "count-messages", "count-active"} {
		q := memberListQueries[name]
		if !strings.Contains(q, byFigure) {
			panic("memberlist: " + name + " does not start from the figures")
		}
		memberListQueries[name+"-narrow"] = strings.Replace(q, byFigure, byMember, 1)
	}
}

// memberList is the named members-list query with where in place (the
// -tier ones filter by their index alone).
func memberList(name, where string) string {
	q := memberListQueries[name]
	if !strings.Contains(q, "%[1]s") {
		return q
	}
	return fmt.Sprintf(q, where)
}

var liveOrder = map[string]string{
	"messages": " ORDER BY coalesce(a.messages, 0) DESC, m.id DESC",
	"active":   " ORDER BY coalesce(a.last_day, '') DESC, m.id DESC",
}

// FindMembers returns a page of matching members with their activity in
// window and the total number that match. Sorted by messages or last
// active day, the page comes from the figures kept for the last 30 days
// when window is that window, else from the days themselves.
func (db *DB) FindMembers(ctx context.Context, ws int64, f shequn.MemberFilter, window shequn.DayRange) ([]*shequn.MemberSummary, int, error) {
	switch f.Sort {
	case "", "recent", "messages", "active", "name":
	default:
		return nil, 0, shequn.Errorf(shequn.EINVALID, "sort %q: want recent, messages, active or name", f.Sort)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	f.Offset = max(0, f.Offset)
	where, fargs := memberWhere(ws, f, false)
	var total int
	count, cargs := db.memberCount(ws, f, where, fargs)
	if err := db.read.QueryRowContext(ctx, count, cargs...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count members: %w", err)
	}
	kept, err := db.keptWindow(ctx, ws, window)
	if err != nil {
		return nil, 0, err
	}
	narrow := false                                          // a filter few enough members match to sort them
	capped := f.Query != "" && total > shequn.SearchCountCap // more than counted: many
	if kept && total > 0 && !capped && (f.Query != "" || f.CommunityID != 0 || f.Platform != "" || f.Tier != "") {
		var figures int
		if err := db.read.QueryRowContext(ctx, db.q.get("count-member-activity"), ws).Scan(&figures); err != nil {
			return nil, 0, fmt.Errorf("count member figures: %w", err)
		}
		// walking the figures in order finds a page of matches after about
		// page × figures / total of them; sorting the matches costs total
		narrow = total*total < (f.Offset+f.Limit)*figures
	}
	if !narrow && len(memberSets(ws, f)) > 0 {
		dense, err := db.denseFilter(ctx, ws, total, capped)
		if err != nil {
			return nil, 0, err
		}
		if dense {
			where, fargs = memberWhere(ws, f, true)
		}
	}
	ids, err := db.memberPage(ctx, ws, f, where, fargs, window, kept, narrow)
	if err != nil {
		return nil, 0, fmt.Errorf("find members: %w", err)
	}
	out, err := db.memberSummaries(ctx, ws, ids, window, kept)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// denseShare is the share of the workspace's members a filter must match
// for pages to test it per member: a walk in the page's order then meets
// a page of matches within page / denseShare members.
var denseShare = 0.05

// denseFilter reports whether total (or more, when capped) of the
// workspace's members is at least denseShare of them.
func (db *DB) denseFilter(ctx context.Context, ws int64, total int, capped bool) (bool, error) {
	if capped {
		return true, nil
	}
	var all int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-workspace-members"), ws).Scan(&all); err != nil {
		return false, fmt.Errorf("count members: %w", err)
	}
	return float64(total) >= denseShare*float64(all), nil
}

// memberQuery is the named members-list query with where in place.
func (db *DB) memberQuery(name, where string) string {
	return rebind(db.Dialect, memberList(name, where))
}

// keptWindow reports whether member_activity holds figures for window.
func (db *DB) keptWindow(ctx context.Context, ws int64, window shequn.DayRange) (bool, error) {
	var w shequn.DayRange
	err := db.read.QueryRowContext(ctx, db.q.get("activity-window"), ws).Scan(&w.From, &w.To)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("activity window: %w", err)
	}
	return w == window, nil
}

// windowQuery names the query to read a figure over window with, and its
// arguments: kept (arguments: ws) when member_activity holds the figures
// of window, else live (ws, window.From, window.To).
func (db *DB) windowQuery(ctx context.Context, ws int64, window shequn.DayRange, live, kept string) (string, []any, error) {
	ok, err := db.keptWindow(ctx, ws, window)
	if err != nil || !ok {
		return live, []any{ws, window.From, window.To}, err
	}
	return kept, []any{ws}, nil
}

// memberPage returns the ids of the page's members in order.
// where and fargs are memberWhere's for f.
func (db *DB) memberPage(ctx context.Context, ws int64, f shequn.MemberFilter, where string, fargs []any, window shequn.DayRange, kept, narrow bool) ([]int64, error) {
	switch {
	case f.Sort == "" || f.Sort == "recent" || f.Sort == "name":
		return db.ids(ctx, or(f.Sort, "recent"), where, fargs, f.Limit, f.Offset)
	case !kept:
		q := memberList("live", where) + liveOrder[f.Sort] + " LIMIT ? OFFSET ?"
		return db.idsOf(ctx, rebind(db.Dialect, q), append(append([]any{ws, window.From, window.To}, fargs...), f.Limit, f.Offset))
	}
	sorted, count, figured := f.Sort, "count-"+f.Sort, where
	active := append([]any{ws}, fargs...)
	switch {
	case f.Tier != "" && f.Query == "" && f.CommunityID == 0 && f.Platform == "":
		sorted, count, active = sorted+"-tier", count+"-tier", []any{ws, f.Tier}
	case narrow: // few members match: start from them, not from every figure
		sorted, count = sorted+"-narrow", count+"-narrow"
	case db.Dialect == SQLite: // walk the figures; a filter's members only
		// tested ("+": not looked up by each of them, once per figure;
		// PostgreSQL probes the filter's index per figure by itself)
		figured = strings.ReplaceAll(where, "m.id IN (", "+m.id IN (")
	}
	ids, err := db.ids(ctx, sorted, figured, active, f.Limit, f.Offset)
	if err != nil || len(ids) == f.Limit {
		return ids, err
	}
	// The members with figures end before this page's end; the quiet ones
	// come after them. Their number is known when the page holds the last
	// of them (or when it is the first page), else it is counted.
	n := f.Offset + len(ids)
	if len(ids) == 0 && f.Offset > 0 {
		if err := db.read.QueryRowContext(ctx, db.memberQuery(count, figured), active...).Scan(&n); err != nil {
			return nil, err
		}
	}
	quiet, err := db.ids(ctx, "quiet-"+f.Sort, where, fargs, f.Limit-len(ids), max(0, f.Offset-n))
	return append(ids, quiet...), err
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ids runs a members-list query with LIMIT and OFFSET.
func (db *DB) ids(ctx context.Context, name, where string, args []any, limit, offset int) ([]int64, error) {
	return db.idsOf(ctx, rebind(db.Dialect, memberList(name, where)+" LIMIT ? OFFSET ?"), append(args, limit, offset))
}

func (db *DB) idsOf(ctx context.Context, query string, args []any) ([]int64, error) {
	var out []int64
	err := db.eachRow(ctx, query, args, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// memberSummaries reads the members with these ids, in this order, with
// their figures, platforms and group counts.
func (db *DB) memberSummaries(ctx context.Context, ws int64, ids []int64, window shequn.DayRange, kept bool) ([]*shequn.MemberSummary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	byID := make(map[int64]*shequn.MemberSummary, len(ids))
	err := db.eachRow(ctx, db.q.in("members-in", len(ids)), append([]any{ws}, args...), func(r *sql.Rows) error {
		var m shequn.MemberSummary
		var tags string
		var created int64
		if err := r.Scan(&m.ID, &m.WorkspaceID, &m.DisplayName, &m.Phone, &tags, &m.Note, &created, &m.Tier, &m.Staff); err != nil {
			return err
		}
		m.Tags, m.CreatedAt, m.Platforms = decodeTags(tags), msTime(created), []string{}
		byID[m.ID] = &m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	if err := db.fillFigures(ctx, ws, args, byID, window, kept); err != nil {
		return nil, err
	}
	if err := db.fillMemberLists(ctx, ws, args, byID); err != nil {
		return nil, err
	}
	out := make([]*shequn.MemberSummary, 0, len(ids))
	for _, id := range ids {
		if m := byID[id]; m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// fillFigures adds each member's messages, active days and last active day
// in window.
func (db *DB) fillFigures(ctx context.Context, ws int64, ids []any, byID map[int64]*shequn.MemberSummary, window shequn.DayRange, kept bool) error {
	query, args := db.q.in("member-activity-in", len(ids)), append([]any{ws}, ids...)
	if !kept {
		query, args = db.q.in("member-window-in", len(ids)), append(append([]any{ws}, ids...), window.From, window.To)
	}
	err := db.eachRow(ctx, query, args, func(r *sql.Rows) error {
		var id int64
		var st shequn.MemberStats
		if err := r.Scan(&id, &st.Messages, &st.ActiveDays, &st.LastActiveOn); err != nil {
			return err
		}
		if m := byID[id]; m != nil {
			m.Stats.Messages, m.Stats.ActiveDays, m.Stats.LastActiveOn = st.Messages, st.ActiveDays, st.LastActiveOn
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("member figures: %w", err)
	}
	return nil
}

// fillMemberLists adds platforms and community counts to a page of members.
func (db *DB) fillMemberLists(ctx context.Context, ws int64, ids []any, byID map[int64]*shequn.MemberSummary) error {
	args := append([]any{ws}, ids...)
	err := db.eachRow(ctx, db.q.in("member-platforms", len(ids)), args, func(r *sql.Rows) error {
		var id int64
		var p string
		if err := r.Scan(&id, &p); err != nil {
			return err
		}
		if m := byID[id]; m != nil && !slices.Contains(m.Platforms, p) {
			m.Platforms = append(m.Platforms, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("member platforms: %w", err)
	}
	return db.eachRow(ctx, db.q.in("member-community-counts", len(ids)), args, func(r *sql.Rows) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		if m := byID[id]; m != nil {
			m.Stats.Communities = n
		}
		return nil
	})
}

// exportChunk is how many members EachMember reads at a time.
const exportChunk = 1000

// EachMember calls fn with every member matching f (Limit, Offset and
// Sort ignored), newest first, with their figures in window: a chunk at a
// time by id, each chunk its own short query, so an export of a million
// members holds a thousand and never keeps a read open for long.
func (db *DB) EachMember(ctx context.Context, ws int64, f shequn.MemberFilter, window shequn.DayRange, fn func(*shequn.MemberSummary) error) error {
	kept, err := db.keptWindow(ctx, ws, window)
	if err != nil {
		return err
	}
	where, fargs := memberWhere(ws, f, true)
	query := rebind(db.Dialect, memberList("export", where)+" LIMIT ?")
	after := int64(math.MaxInt64)
	for {
		ids, err := db.idsOf(ctx, query, append(slices.Clone(fargs), after, exportChunk))
		if err != nil {
			return fmt.Errorf("export members: %w", err)
		}
		page, err := db.memberSummaries(ctx, ws, ids, window, kept)
		if err != nil {
			return err
		}
		for _, m := range page {
			if err := fn(m); err != nil {
				return err
			}
		}
		if len(ids) < exportChunk {
			return nil
		}
		after = ids[len(ids)-1]
	}
}
