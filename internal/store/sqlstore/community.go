package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/shequn/shequn"
)

func scanCommunity(row interface{ Scan(...any) error }) (*shequn.Community, error) {
	var c shequn.Community
	var tags string
	var bench int
	var created int64
	if err := row.Scan(&c.ID, &c.WorkspaceID, &c.Platform, &c.ExternalID, &c.Name, &c.Kind, &c.Theme, &tags,
		&c.Structure, &c.Stage, &c.Rules, &c.Capacity, &bench, &created, &c.TimeZone); err != nil {
		return nil, err
	}
	c.Tags, c.Benchmark, c.CreatedAt = decodeTags(tags), bench != 0, msTime(created)
	return &c, nil
}

func decodeTags(s string) []string {
	var tags []string
	if json.Unmarshal([]byte(s), &tags) != nil || tags == nil {
		return []string{}
	}
	return tags
}

func encodeTags(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

// FindCommunityByID returns a community of workspace ws, or ENOTFOUND.
func (db *DB) FindCommunityByID(ctx context.Context, ws, id int64) (*shequn.Community, error) {
	c, err := scanCommunity(db.read.QueryRowContext(ctx, db.q.get("find-community-by-id"), ws, id))
	return c, notFound(err, "community %d", id)
}

// UpdateCommunity applies upd and returns the updated community.
func (db *DB) UpdateCommunity(ctx context.Context, ws, id int64, upd shequn.CommunityUpdate) (*shequn.Community, error) {
	var out *shequn.Community
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		c, err := scanCommunity(tx.QueryRowContext(ctx, db.q.get("find-community-by-id"), ws, id))
		if err := notFound(err, "community %d", id); err != nil {
			return err
		}
		applyCommunityUpdate(c, upd)
		if _, err := tx.ExecContext(ctx, db.q.get("update-community"), c.Name, c.Kind, c.Theme, encodeTags(c.Tags),
			c.Structure, c.Stage, c.Rules, c.Capacity, boolInt(c.Benchmark), c.TimeZone, ws, id); err != nil {
			return fmt.Errorf("update community %d: %w", id, err)
		}
		out = c
		return nil
	})
	return out, err
}

func applyCommunityUpdate(c *shequn.Community, u shequn.CommunityUpdate) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Name, u.Name)
	set(&c.Kind, u.Kind)
	set(&c.Theme, u.Theme)
	set(&c.Structure, u.Structure)
	set(&c.Stage, u.Stage)
	set(&c.Rules, u.Rules)
	if u.Tags != nil {
		c.Tags = u.Tags
	}
	if u.TimeZone != nil {
		c.TimeZone = *u.TimeZone
	}
	if u.Capacity != nil {
		c.Capacity = *u.Capacity
	}
	if u.Benchmark != nil {
		c.Benchmark = *u.Benchmark
	}
}

// FindCommunities returns matching communities with their figures over
// the window, busiest first, and the total number that match.
func (db *DB) FindCommunities(ctx context.Context, ws int64, f shequn.CommunityFilter, window shequn.DayRange) ([]*shequn.CommunitySummary, int, error) {
	like := "%" + strings.ToLower(f.Query) + "%"
	rows, err := db.read.QueryContext(ctx, db.q.get("find-communities"), ws, f.Platform, f.Platform, f.Query, like, like)
	if err != nil {
		return nil, 0, fmt.Errorf("find communities: %w", err)
	}
	defer rows.Close()
	var all []*shequn.CommunitySummary
	for rows.Next() {
		c, err := scanCommunity(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan community: %w", err)
		}
		all = append(all, &shequn.CommunitySummary{Community: *c})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if f.MembersOnly {
		if err := db.fillMemberCounts(ctx, ws, all); err != nil {
			return nil, 0, err
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Stats.Members > all[j].Stats.Members })
	} else {
		if err := db.fillCommunityStats(ctx, ws, all, window); err != nil {
			return nil, 0, err
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Stats.Messages > all[j].Stats.Messages })
	}
	total := len(all)
	return page(all, f.Offset, f.Limit), total, nil
}

func page[T any](xs []T, offset, limit int) []T {
	if offset > len(xs) {
		offset = len(xs)
	}
	xs = xs[offset:]
	if limit > 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs
}

func (db *DB) fillCommunityStats(ctx context.Context, ws int64, cs []*shequn.CommunitySummary, w shequn.DayRange) error {
	byID := make(map[int64]*shequn.CommunitySummary, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	err := db.eachRow(ctx, db.q.get("community-window-stats"), []any{ws, w.From, w.To}, func(r *sql.Rows) error {
		var id, last int64
		var st shequn.CommunityStats
		if err := r.Scan(&id, &st.Messages, &st.Joins, &st.Leaves, &last); err != nil {
			return err
		}
		if c := byID[id]; c != nil {
			c.Stats.Messages, c.Stats.Joins, c.Stats.Leaves = st.Messages, st.Joins, st.Leaves
			if last > 0 {
				t := msTime(last)
				c.LastActivity = &t
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("community stats: %w", err)
	}
	query, args, err := db.windowQuery(ctx, ws, w, "community-window-active", "community-kept-active")
	if err != nil {
		return err
	}
	active, err := db.countsBy(ctx, query, args...)
	if err != nil {
		return err
	}
	for id, n := range active {
		if c := byID[id]; c != nil {
			c.Stats.ActiveMembers = n
		}
	}
	return db.fillMemberCounts(ctx, ws, cs)
}

// fillMemberCounts adds each group's count of active memberships.
func (db *DB) fillMemberCounts(ctx context.Context, ws int64, cs []*shequn.CommunitySummary) error {
	counts, err := db.MemberCounts(ctx, ws)
	if err != nil {
		return err
	}
	for _, c := range cs {
		c.Stats.Members = counts[c.ID]
	}
	return nil
}

// eachRow runs a read query and calls fn per row.
func (db *DB) eachRow(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.read.QueryContext(ctx, query, args...)
	return each(rows, err, fn)
}

// CommunityEvents returns up to limit of a community's latest events on
// or before day, scanning the id ranges its daily rollups keep.
func (db *DB) CommunityEvents(ctx context.Context, ws, id int64, day string, limit int) ([]*shequn.StoredEvent, error) {
	type span struct{ first, last int64 }
	var spans []span
	err := db.eachRow(ctx, db.q.get("community-recent-days"), []any{ws, id, day, 60}, func(r *sql.Rows) error {
		var d string
		var s span
		if err := r.Scan(&d, &s.first, &s.last); err != nil {
			return err
		}
		spans = append(spans, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("community %d days: %w", id, err)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].last > spans[j].last })
	var out []*shequn.StoredEvent
	seen := map[int64]bool{}
	for _, s := range spans {
		if len(out) >= limit {
			break
		}
		err := db.eachRow(ctx, db.q.get("community-events-in"), []any{s.first, s.last, ws, id, limit}, func(r *sql.Rows) error {
			e, err := scanEvent(r)
			if err == nil && !seen[e.ID] {
				seen[e.ID] = true
				out = append(out, e)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("community %d events: %w", id, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].TS.After(out[j].TS) })
	return page(out, 0, limit), nil
}

func scanEvent(r interface{ Scan(...any) error }) (*shequn.StoredEvent, error) {
	var e shequn.StoredEvent
	var kind string
	var ts int64
	var target, inviter sql.NullInt64
	var attachments string
	if err := r.Scan(&e.ID, &e.WorkspaceID, &e.Platform, &e.SourceID, &e.CommunityID, &e.Community, &e.MemberID,
		&kind, &ts, &e.Text, &e.ReplyTo, &target, &inviter, &attachments); err != nil {
		return nil, err
	}
	if attachments != "" {
		json.Unmarshal([]byte(attachments), &e.Attachments) // written by the pipeline; a bad one shows none
	}
	e.Kind, e.TS, e.TargetID, e.InviterID = shequn.EventKind(kind), msTime(ts), int64Ptr(target), int64Ptr(inviter)
	return &e, nil
}
