package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/shequn/shequn"
)

// memberOrder is the allowlist of member sort orders.
var memberOrder = map[string]string{
	"":         " ORDER BY m.id DESC",
	"recent":   " ORDER BY m.id DESC",
	"messages": " ORDER BY coalesce(a.messages, 0) DESC, m.id DESC",
	"active":   " ORDER BY coalesce(a.last_day, '') DESC, m.id DESC",
	"name":     " ORDER BY m.display_name, m.id",
}

func memberFilterArgs(ws int64, f shequn.MemberFilter) []any {
	like := "%" + strings.ToLower(f.Query) + "%"
	return []any{ws, f.Query, like, like, f.CommunityID, f.CommunityID, f.Status, f.Status, f.Platform, f.Platform, f.Tier, f.Tier}
}

// FindMembers returns matching members with their activity in window and
// the total number that match.
func (db *DB) FindMembers(ctx context.Context, ws int64, f shequn.MemberFilter, window shequn.DayRange) ([]*shequn.MemberSummary, int, error) {
	order, ok := memberOrder[f.Sort]
	if !ok {
		return nil, 0, shequn.Errorf(shequn.EINVALID, "sort %q: want recent, messages, active or name", f.Sort)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var total int
	if err := db.read.QueryRowContext(ctx, db.q.get("count-members"), memberFilterArgs(ws, f)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count members: %w", err)
	}
	args := append([]any{ws, window.From, window.To}, memberFilterArgs(ws, f)...)
	args = append(args, limit, max(0, f.Offset))
	query := rebind(db.Dialect, db.q.byName["find-members"]+order+" LIMIT ? OFFSET ?")
	var out []*shequn.MemberSummary
	err := db.eachRow(ctx, query, args, func(r *sql.Rows) error {
		var m shequn.MemberSummary
		var tags string
		var created int64
		if err := r.Scan(&m.ID, &m.WorkspaceID, &m.DisplayName, &m.Phone, &tags, &m.Note, &created,
			&m.Stats.Messages, &m.Stats.ActiveDays, &m.Stats.LastActiveOn, &m.Tier); err != nil {
			return err
		}
		m.Tags, m.CreatedAt, m.Platforms = decodeTags(tags), msTime(created), []string{}
		out = append(out, &m)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find members: %w", err)
	}
	return out, total, db.fillMemberLists(ctx, ws, out)
}

// fillMemberLists adds platforms and community counts to a page of members.
func (db *DB) fillMemberLists(ctx context.Context, ws int64, ms []*shequn.MemberSummary) error {
	if len(ms) == 0 {
		return nil
	}
	byID := map[int64]*shequn.MemberSummary{}
	lo, hi := ms[0].ID, ms[0].ID
	for _, m := range ms {
		byID[m.ID] = m
		lo, hi = min(lo, m.ID), max(hi, m.ID)
	}
	err := db.eachRow(ctx, db.q.get("member-platforms"), []any{ws, lo, hi}, func(r *sql.Rows) error {
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
	return db.eachRow(ctx, db.q.get("member-community-counts"), []any{ws, lo, hi}, func(r *sql.Rows) error {
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

// FindMemberByID returns a member of ws, or ENOTFOUND.
func (db *DB) FindMemberByID(ctx context.Context, ws, id int64) (*shequn.Member, error) {
	var m shequn.Member
	var tags string
	var created int64
	err := db.read.QueryRowContext(ctx, db.q.get("find-member-by-id"), ws, id).Scan(&m.ID, &m.WorkspaceID, &m.DisplayName, &m.Phone, &tags, &m.Note, &created)
	if err != nil {
		return nil, notFound(err, "member %d", id)
	}
	m.Tags, m.CreatedAt = decodeTags(tags), msTime(created)
	return &m, nil
}

// FindIdentities returns a member's identities.
func (db *DB) FindIdentities(ctx context.Context, ws, member int64) ([]*shequn.Identity, error) {
	var out []*shequn.Identity
	err := db.eachRow(ctx, db.q.get("find-identities"), []any{ws, member}, func(r *sql.Rows) error {
		var i shequn.Identity
		var created int64
		if err := r.Scan(&i.ID, &i.WorkspaceID, &i.MemberID, &i.Platform, &i.ExternalID, &i.DisplayName, &created); err != nil {
			return err
		}
		i.CreatedAt = msTime(created)
		out = append(out, &i)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find identities of %d: %w", member, err)
	}
	return out, nil
}

// FindMemberships returns a member's memberships with community names.
func (db *DB) FindMemberships(ctx context.Context, ws, member int64) ([]*shequn.Membership, error) {
	var out []*shequn.Membership
	err := db.eachRow(ctx, db.q.get("find-memberships"), []any{ws, member}, func(r *sql.Rows) error {
		var m shequn.Membership
		var joined, left, inviter sql.NullInt64
		var statusAt int64
		if err := r.Scan(&m.ID, &m.WorkspaceID, &m.CommunityID, &m.CommunityName, &m.MemberID, &m.Role, &m.Status,
			&joined, &left, &inviter, &m.JoinSource, &statusAt, &m.Lifecycle); err != nil {
			return err
		}
		m.JoinedAt, m.LeftAt, m.InvitedBy, m.StatusAt = msTimePtr(joined), msTimePtr(left), int64Ptr(inviter), msTime(statusAt)
		out = append(out, &m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find memberships of %d: %w", member, err)
	}
	return out, nil
}

// MemberActivity returns a member's daily activity in window, newest first.
func (db *DB) MemberActivity(ctx context.Context, ws, member int64, w shequn.DayRange) ([]MemberDay, error) {
	var out []MemberDay
	err := db.eachRow(ctx, db.q.get("member-days"), []any{ws, member, w.From, w.To}, func(r *sql.Rows) error {
		d := MemberDay{MemberID: member}
		if err := r.Scan(&d.Day, &d.CommunityID, &d.Messages, &d.Reactions); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("member %d activity: %w", member, err)
	}
	return out, nil
}

// MemberStats sums a member's activity in window.
func (db *DB) MemberStats(ctx context.Context, ws, member int64, w shequn.DayRange) (shequn.MemberStats, error) {
	var st shequn.MemberStats
	days, err := db.MemberActivity(ctx, ws, member, w)
	if err != nil {
		return st, err
	}
	seen := map[string]bool{}
	for _, d := range days {
		st.Messages += d.Messages
		if !seen[d.Day] {
			seen[d.Day] = true
			st.ActiveDays++
		}
		if st.LastActiveOn == "" || d.Day > st.LastActiveOn {
			st.LastActiveOn = d.Day
		}
	}
	if err := db.read.QueryRowContext(ctx, db.q.get("count-invited"), ws, member).Scan(&st.Invited); err != nil {
		return st, fmt.Errorf("count invited: %w", err)
	}
	return st, nil
}

// MemberTimeline returns up to limit of a member's latest messages and
// reactions in window, found through the member's active days.
func (db *DB) MemberTimeline(ctx context.Context, ws, member int64, w shequn.DayRange, limit int) ([]*shequn.StoredEvent, error) {
	days, err := db.MemberActivity(ctx, ws, member, w)
	if err != nil {
		return nil, err
	}
	var out []*shequn.StoredEvent
	for _, d := range days {
		if len(out) >= limit {
			break
		}
		err := db.eachRow(ctx, db.q.get("member-events-in"), []any{ws, d.Day, d.CommunityID, member}, func(r *sql.Rows) error {
			e, err := scanEvent(r)
			if err == nil {
				out = append(out, e)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("member %d timeline: %w", member, err)
		}
	}
	slices.SortStableFunc(out, func(a, b *shequn.StoredEvent) int { return b.TS.Compare(a.TS) })
	return page(out, 0, limit), nil
}
