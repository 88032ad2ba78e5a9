package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// Activities returns, for every member of ws, what tiers read: window
// figures (days in w), lifetime first/last active day, membership facts and
// invites that stayed. Days are parsed in loc.
func (db *DB) Activities(ctx context.Context, ws int64, w shequn.DayRange, loc *time.Location) (map[int64]*shequn.Activity, error) {
	out := map[int64]*shequn.Activity{}
	get := func(id int64) *shequn.Activity {
		if out[id] == nil {
			out[id] = &shequn.Activity{}
		}
		return out[id]
	}
	err := db.eachRow(ctx, db.q.get("membership-facts"), []any{ws}, func(r *sql.Rows) error {
		var id int64
		var joined sql.NullInt64
		var active int
		if err := r.Scan(&id, &joined, &active); err != nil {
			return err
		}
		a := get(id)
		a.ActiveMember = active == 1
		if joined.Valid {
			a.FirstJoined = msTime(joined.Int64)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("membership facts: %w", err)
	}
	err = db.eachRow(ctx, db.q.get("window-activity"), []any{ws, w.From, w.To}, func(r *sql.Rows) error {
		var id int64
		var msgs, days int
		if err := r.Scan(&id, &msgs, &days); err != nil {
			return err
		}
		a := get(id)
		a.Messages, a.ActiveDays = msgs, days
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("window activity: %w", err)
	}
	err = db.eachRow(ctx, db.q.get("lifetime-activity"), []any{ws}, func(r *sql.Rows) error {
		var id int64
		var first, last string
		if err := r.Scan(&id, &first, &last); err != nil {
			return err
		}
		a := get(id)
		a.EverActive = true
		a.FirstActive, _ = time.ParseInLocation(time.DateOnly, first, loc)
		a.LastActive, _ = time.ParseInLocation(time.DateOnly, last, loc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lifetime activity: %w", err)
	}
	err = db.eachRow(ctx, db.q.get("invites-stayed"), []any{ws}, func(r *sql.Rows) error {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		get(id).InvitesStayed = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("invites stayed: %w", err)
	}
	return out, nil
}

func scanStanding(r interface{ Scan(...any) error }) (int64, *shequn.Standing, error) {
	var id, ts, ls int64
	var s shequn.Standing
	var reasons string
	if err := r.Scan(&id, &s.Tier, &ts, &s.Lifecycle, &ls, &reasons); err != nil {
		return 0, nil, err
	}
	s.TierSince, s.LifecycleSince = msTime(ts), msTime(ls)
	s.Reasons = decodeReasons(reasons)
	return id, &s, nil
}

// Standings returns every stored standing of ws by member.
func (db *DB) Standings(ctx context.Context, ws int64) (map[int64]*shequn.Standing, error) {
	out := map[int64]*shequn.Standing{}
	err := db.eachRow(ctx, db.q.get("find-standings"), []any{ws}, func(r *sql.Rows) error {
		id, s, err := scanStanding(r)
		out[id] = s
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("standings: %w", err)
	}
	return out, nil
}

// FindStanding returns a member's standing or ENOTFOUND.
func (db *DB) FindStanding(ctx context.Context, ws, member int64) (*shequn.Standing, error) {
	_, s, err := scanStanding(db.read.QueryRowContext(ctx, db.q.get("find-standing"), ws, member))
	return s, notFound(err, "standing of member %d", member)
}

// StandingChange is a member's new standing and what it was.
type StandingChange struct {
	MemberID int64
	Prev     *shequn.Standing
	Next     shequn.Standing
}

// SaveStandings stores new standings and records their transitions, many
// rows to a statement (the first run of a workspace of 232,000 members
// wrote 700,000 rows, one statement each, holding the writer meanwhile).
func (db *DB) SaveStandings(ctx context.Context, ws int64, changes []StandingChange, at time.Time) error {
	type transition struct {
		member          int64
		field, from, to string
	}
	var tiers []StandingChange
	var transitions []transition
	for _, c := range changes {
		prevTier, prevLife := "", ""
		if c.Prev != nil {
			prevTier, prevLife = c.Prev.Tier, c.Prev.Lifecycle
		}
		if prevTier != c.Next.Tier {
			tiers = append(tiers, c)
			transitions = append(transitions, transition{c.MemberID, "tier", prevTier, c.Next.Tier})
		}
		if prevLife != c.Next.Lifecycle {
			transitions = append(transitions, transition{c.MemberID, "lifecycle", prevLife, c.Next.Lifecycle})
		}
	}
	const chunk = 400
	return db.withTx(ctx, func(tx *sql.Tx) error {
		err := txRows(ctx, db, tx, "save-standing", changes, chunk, func(a []any, c StandingChange) []any {
			return append(a, ws, c.MemberID, c.Next.Tier, c.Next.TierSince.UnixMilli(),
				c.Next.Lifecycle, c.Next.LifecycleSince.UnixMilli(), encodeReasons(c.Next.Reasons), at.UnixMilli())
		})
		if err != nil {
			return err
		}
		err = txRows(ctx, db, tx, "set-activity-tiers", tiers, chunk, func(a []any, c StandingChange) []any {
			return append(a, ws, c.MemberID, c.Next.Tier)
		})
		if err != nil {
			return err
		}
		return txRows(ctx, db, tx, "insert-standing-change", transitions, chunk, func(a []any, t transition) []any {
			return append(a, ws, t.member, t.field, t.from, t.to, at.UnixMilli())
		})
	})
}

// TierCounts counts members per tier.
func (db *DB) TierCounts(ctx context.Context, ws int64) (map[string]int, error) {
	out := map[string]int{}
	err := db.eachRow(ctx, db.q.get("tier-counts"), []any{ws}, func(r *sql.Rows) error {
		var t string
		var n int
		err := r.Scan(&t, &n)
		out[t] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tier counts: %w", err)
	}
	return out, nil
}

// FindTierCriteria returns the workspace's criteria, or the default.
func (db *DB) FindTierCriteria(ctx context.Context, ws int64) (shequn.TierCriteria, error) {
	var cfg string
	err := db.read.QueryRowContext(ctx, db.q.get("find-tier-criteria"), ws).Scan(&cfg)
	if err == sql.ErrNoRows {
		return shequn.DefaultTierCriteria(), nil
	} else if err != nil {
		return shequn.TierCriteria{}, fmt.Errorf("tier criteria: %w", err)
	}
	c := shequn.DefaultTierCriteria()
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		return shequn.TierCriteria{}, fmt.Errorf("decode tier criteria: %w", err)
	}
	return c, nil
}

// SaveTierCriteria stores the workspace's criteria.
func (db *DB) SaveTierCriteria(ctx context.Context, ws int64, c shequn.TierCriteria) error {
	b, _ := json.Marshal(c)
	if _, err := db.write.ExecContext(ctx, db.q.get("save-tier-criteria"), ws, string(b), db.stamp()); err != nil {
		return fmt.Errorf("save tier criteria: %w", err)
	}
	return nil
}

// AwardBadges gives badges (member → badge ids); a badge is kept once given.
func (db *DB) AwardBadges(ctx context.Context, ws int64, awards map[int64][]string, at time.Time) error {
	type award struct {
		member int64
		badge  string
	}
	var rows []award
	for m, badges := range awards {
		for _, b := range badges {
			rows = append(rows, award{m, b})
		}
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		// many to a statement: every earned badge is offered again each
		// run (kept once), 320,000 of them at 232,000 members
		return txRows(ctx, db, tx, "award-badge", rows, 500, func(a []any, r award) []any {
			return append(a, ws, r.member, r.badge, at.UnixMilli())
		})
	})
}

// FindBadges lists a member's badges.
func (db *DB) FindBadges(ctx context.Context, ws, member int64) ([]shequn.Badge, error) {
	var out []shequn.Badge
	err := db.eachRow(ctx, db.q.get("find-badges"), []any{ws, member}, func(r *sql.Rows) error {
		var b shequn.Badge
		var at int64
		err := r.Scan(&b.ID, &at)
		b.AwardedAt = msTime(at)
		out = append(out, b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("badges: %w", err)
	}
	return out, nil
}

// CreateSegment saves a member filter under a name.
func (db *DB) CreateSegment(ctx context.Context, ws int64, s *shequn.Segment) error {
	err := db.write.QueryRowContext(ctx, db.q.get("create-segment"), ws, s.Name, s.Filter, db.stamp()).Scan(&s.ID)
	if isUniqueViolation(err) {
		return shequn.Errorf(shequn.ECONFLICT, "a segment named %q exists", s.Name)
	} else if err != nil {
		return fmt.Errorf("create segment: %w", err)
	}
	return nil
}

// FindSegments lists saved segments.
func (db *DB) FindSegments(ctx context.Context, ws int64) ([]*shequn.Segment, error) {
	var out []*shequn.Segment
	err := db.eachRow(ctx, db.q.get("find-segments"), []any{ws}, func(r *sql.Rows) error {
		var s shequn.Segment
		err := r.Scan(&s.ID, &s.Name, &s.Filter)
		out = append(out, &s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	return out, nil
}

// InviteStay is a membership that came by invitation and stayed.
type InviteStay struct {
	MembershipID, Inviter, Community int64
}

// InvitesThatStayed lists active invited memberships joined before cutoff.
func (db *DB) InvitesThatStayed(ctx context.Context, ws int64, cutoff time.Time) ([]InviteStay, error) {
	var out []InviteStay
	err := db.eachRow(ctx, db.q.get("invites-that-stayed"), []any{ws, cutoff.UnixMilli()}, func(r *sql.Rows) error {
		var s InviteStay
		err := r.Scan(&s.MembershipID, &s.Inviter, &s.Community)
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("invites that stayed: %w", err)
	}
	return out, nil
}

// MembershipActivity is what a membership's lifecycle reads.
type MembershipActivity struct {
	ID, MemberID int64
	Activity     shequn.Activity
	Lifecycle    string
	Since        time.Time
}

// MembershipActivities returns every membership of ws with its activity in
// that group (first and last message day).
func (db *DB) MembershipActivities(ctx context.Context, ws int64, loc *time.Location) ([]MembershipActivity, error) {
	type key struct{ m, c int64 }
	spans := map[key][2]string{}
	err := db.eachRow(ctx, db.q.get("community-lifetime-activity"), []any{ws}, func(r *sql.Rows) error {
		var k key
		var first, last string
		err := r.Scan(&k.m, &k.c, &first, &last)
		spans[k] = [2]string{first, last}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("community activity: %w", err)
	}
	var out []MembershipActivity
	err = db.eachRow(ctx, db.q.get("membership-activity"), []any{ws}, func(r *sql.Rows) error {
		var m MembershipActivity
		var community, since int64
		var status string
		var joined sql.NullInt64
		if err := r.Scan(&m.ID, &m.MemberID, &community, &status, &joined, &m.Lifecycle, &since); err != nil {
			return err
		}
		m.Since = msTime(since)
		m.Activity.ActiveMember = status == shequn.StatusActive
		if joined.Valid {
			m.Activity.FirstJoined = msTime(joined.Int64)
		}
		if span, ok := spans[key{m.MemberID, community}]; ok {
			m.Activity.EverActive = true
			m.Activity.FirstActive, _ = time.ParseInLocation(time.DateOnly, span[0], loc)
			m.Activity.LastActive, _ = time.ParseInLocation(time.DateOnly, span[1], loc)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("membership activities: %w", err)
	}
	return out, nil
}

// MembershipLifecycle is a membership's new lifecycle state.
type MembershipLifecycle struct {
	ID, MemberID, CommunityID int64
	From, To                  string
}

// SaveMembershipLifecycles stores changed states and their transitions.
func (db *DB) SaveMembershipLifecycles(ctx context.Context, ws int64, changes []MembershipLifecycle, at time.Time) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, db.q.get("save-membership-lifecycle"), c.To, at.UnixMilli(), ws, c.ID); err != nil {
				return fmt.Errorf("save membership lifecycle: %w", err)
			}
			if _, err := tx.ExecContext(ctx, db.q.get("insert-standing-change"), ws, c.MemberID, fmt.Sprintf("membership:%d", c.ID), c.From, c.To, at.UnixMilli()); err != nil {
				return fmt.Errorf("membership lifecycle change: %w", err)
			}
		}
		return nil
	})
}

// memberFigures is a member's activity over a window.
type memberFigures struct {
	messages, days int
	last           string
}

func (db *DB) memberFigures(ctx context.Context, query string, args ...any) (map[int64]memberFigures, error) {
	out := map[int64]memberFigures{}
	err := db.eachRow(ctx, query, args, func(r *sql.Rows) error {
		var id int64
		var f memberFigures
		err := r.Scan(&id, &f.messages, &f.days, &f.last)
		out[id] = f
		return err
	})
	return out, err
}

// RefreshMemberActivity makes member_activity hold every member active in
// window with their messages, active days and last active day, writing
// only the rows that changed, community_activity each group's distinct
// active members, and records the window.
func (db *DB) RefreshMemberActivity(ctx context.Context, ws int64, window shequn.DayRange, at time.Time) error {
	fresh, err := db.memberFigures(ctx, db.q.get("window-figures"), ws, window.From, window.To)
	if err != nil {
		return fmt.Errorf("member activity: %w", err)
	}
	stored, err := db.memberFigures(ctx, db.q.get("find-member-activity"), ws)
	if err != nil {
		return fmt.Errorf("member activity: %w", err)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		save, err := tx.PrepareContext(ctx, db.q.get("save-member-activity"))
		if err != nil {
			return fmt.Errorf("member activity: %w", err)
		}
		defer save.Close()
		for id, f := range fresh {
			if old, ok := stored[id]; ok && old == f {
				continue
			}
			if _, err := save.ExecContext(ctx, ws, id, f.messages, f.days, f.last, ws, id); err != nil {
				return fmt.Errorf("member activity: %w", err)
			}
		}
		for id := range stored {
			if _, ok := fresh[id]; ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, db.q.get("delete-member-activity"), ws, id); err != nil {
				return fmt.Errorf("member activity: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.q.get("delete-community-activity"), ws); err != nil {
			return fmt.Errorf("community activity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q.get("save-community-activity"), ws, window.From, window.To); err != nil {
			return fmt.Errorf("community activity: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q.get("save-activity-window"), ws, window.From, window.To, at.UnixMilli()); err != nil {
			return fmt.Errorf("activity window: %w", err)
		}
		return nil
	})
}

// RefreshClosedDays computes, for each day of w (closed days: the caller
// ends w yesterday), the workspace's distinct active members, where not
// yet computed or where events arrived since.
func (db *DB) RefreshClosedDays(ctx context.Context, ws int64, w shequn.DayRange) error {
	marks, err := db.dayMarks(ctx, "day-marks", ws, w)
	if err != nil {
		return err
	}
	kept, err := db.dayMarks(ctx, "kept-day-marks", ws, w)
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		for day, mark := range marks {
			if k, ok := kept[day]; ok && k >= mark {
				continue
			}
			if _, err := tx.ExecContext(ctx, db.q.get("save-workspace-day"), mark, ws, day); err != nil {
				return fmt.Errorf("workspace day %s: %w", day, err)
			}
		}
		return nil
	})
}

func (db *DB) dayMarks(ctx context.Context, query string, ws int64, w shequn.DayRange) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.eachRow(ctx, db.q.get(query), []any{ws, w.From, w.To}, func(r *sql.Rows) error {
		var day string
		var id int64
		err := r.Scan(&day, &id)
		out[day] = id
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	return out, nil
}
