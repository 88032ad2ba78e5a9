package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// FindMemberByID returns a member of ws, or ENOTFOUND.
func (db *DB) FindMemberByID(ctx context.Context, ws, id int64) (*shequn.Member, error) {
	var m shequn.Member
	var tags string
	var created int64
	err := db.read.QueryRowContext(ctx, db.q.get("find-member-by-id"), ws, id).Scan(&m.ID, &m.WorkspaceID, &m.DisplayName, &m.Phone, &tags, &m.Note, &created, &m.Staff)
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
	type memberDay struct {
		day       string
		community int64
		ids       string
	}
	var days []memberDay
	err := db.eachRow(ctx, db.q.get("member-day-events"), []any{ws, member, w.From, w.To}, func(r *sql.Rows) error {
		var d memberDay
		err := r.Scan(&d.day, &d.community, &d.ids)
		days = append(days, d)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("member %d timeline: %w", member, err)
	}
	var out []*shequn.StoredEvent
	var ids []any
	for i, d := range days {
		// a day once begun is read whole: its events may be newer than
		// the ones of the same day in another group
		if len(out)+len(ids) >= limit && (i == 0 || days[i-1].day != d.day) {
			break
		}
		if strings.HasPrefix(d.ids, "?") { // written before the lists were kept
			old, err := db.memberDayEvents(ctx, ws, member, d.day, d.community)
			if err != nil {
				return nil, err
			}
			out = append(out, old...)
			continue
		}
		ids = appendIDs(ids, d.ids)
	}
	err = db.eachRow(ctx, db.q.get("membership-event-ids"), []any{ws, member}, func(r *sql.Rows) error {
		var list string
		err := r.Scan(&list)
		ids = appendIDs(ids, list)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("member %d timeline: %w", member, err)
	}
	byID, err := db.eventsByID(ctx, ws, ids)
	if err != nil {
		return nil, fmt.Errorf("member %d timeline: %w", member, err)
	}
	out = append(out, byID...)
	slices.SortStableFunc(out, func(a, b *shequn.StoredEvent) int { return cmp.Or(b.TS.Compare(a.TS), cmp.Compare(b.ID, a.ID)) })
	out = slices.CompactFunc(out, func(a, b *shequn.StoredEvent) bool { return a.ID == b.ID }) // a day read the old way may hold a join listed again
	return page(out, 0, limit), nil
}

// appendIDs adds the event ids of a space-separated list (as the rollups
// keep them) to ids.
func appendIDs(ids []any, list string) []any {
	for f := range strings.FieldsSeq(list) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// memberDayEvents finds a member's events of a day in a community by
// scanning the community's range of the day's event ids.
func (db *DB) memberDayEvents(ctx context.Context, ws, member int64, day string, community int64) ([]*shequn.StoredEvent, error) {
	var out []*shequn.StoredEvent
	err := db.eachRow(ctx, db.q.get("member-events-in"), []any{ws, day, community, member}, func(r *sql.Rows) error {
		e, err := scanEvent(r)
		if err == nil {
			out = append(out, e)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("member %d timeline: %w", member, err)
	}
	return out, nil
}

// eventsByID reads ws's events with these ids, 500 to a query.
func (db *DB) eventsByID(ctx context.Context, ws int64, ids []any) ([]*shequn.StoredEvent, error) {
	var out []*shequn.StoredEvent
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		err := db.eachRow(ctx, db.q.in("events-in", len(part)), append(slices.Clone(part), ws), func(r *sql.Rows) error {
			e, err := scanEvent(r)
			if err == nil {
				out = append(out, e)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
