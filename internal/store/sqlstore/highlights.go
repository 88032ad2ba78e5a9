package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
)

// MessageRef is a message or reaction in a batch that refers to another
// message of the same platform by its source id.
type MessageRef struct {
	Platform, Target string
	MemberID         int64
	Reaction         bool
}

// AddMessageStats counts each reference on the message it refers to:
// a reply by someone else, or a reaction. References to messages not
// stored (yet) are dropped; self-replies and self-reactions are not
// counted. Replays never get here: the pipeline drops duplicates first.
func (t *IngestTx) AddMessageStats(ctx context.Context, refs []MessageRef) error {
	byPlatform := map[string][]MessageRef{}
	for _, r := range refs {
		byPlatform[r.Platform] = append(byPlatform[r.Platform], r)
	}
	for platform, rs := range byPlatform {
		if err := t.addMessageStats(ctx, platform, rs); err != nil {
			return err
		}
	}
	return nil
}

type targetRow struct {
	id, community, member, ts int64
	replies, reactions        int
}

func (t *IngestTx) addMessageStats(ctx context.Context, platform string, refs []MessageRef) error {
	targets := map[string]*targetRow{}
	var ids []string
	for _, r := range refs {
		if _, ok := targets[r.Target]; !ok {
			targets[r.Target] = nil
			ids = append(ids, r.Target)
		}
	}
	for i := 0; i < len(ids); i += 500 {
		chunk := ids[i:min(i+500, len(ids))]
		st, err := t.stmtIn(ctx, "find-message-targets", len(chunk))
		if err != nil {
			return err
		}
		args := []any{t.WS, platform}
		for _, id := range chunk {
			args = append(args, id)
		}
		err = eachRows(ctx, st, args, func(rs *sql.Rows) error {
			var row targetRow
			var source string
			if err := rs.Scan(&row.id, &source, &row.community, &row.member, &row.ts); err != nil {
				return err
			}
			targets[source] = &row
			return nil
		})
		if err != nil {
			return fmt.Errorf("message targets: %w", err)
		}
	}
	var rows []*targetRow
	for _, r := range refs {
		tg := targets[r.Target]
		if tg == nil || tg.member == r.MemberID {
			continue
		}
		if tg.replies+tg.reactions == 0 {
			rows = append(rows, tg)
		}
		if r.Reaction {
			tg.reactions++
		} else {
			tg.replies++
		}
	}
	return execRows(ctx, t, "add-message-stats", rows, 500, func(a []any, r *targetRow) []any {
		return append(a, t.WS, r.id, r.community, r.member, r.ts, r.replies, r.reactions)
	})
}

// TopMessages returns the messages of [from, to) (ms) in a group (0: all)
// that drew the most replies (by "replies") or reactions ("reactions").
func (db *DB) TopMessages(ctx context.Context, ws, community, from, to int64, by string, limit int) ([]shequn.Highlight, error) {
	name := "top-replied"
	if by == "reactions" {
		name = "top-reacted"
	}
	var out []shequn.Highlight
	err := db.eachRow(ctx, db.q.get(name), []any{ws, from, to, community, community, limit}, func(rs *sql.Rows) error {
		var h shequn.Highlight
		var ts int64
		if err := rs.Scan(&h.EventID, &h.CommunityID, &h.Community, &h.MemberID, &h.MemberName, &h.Text, &ts, &h.Replies, &h.Reactions); err != nil {
			return err
		}
		h.TS = msTime(ts)
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("top messages: %w", err)
	}
	return out, nil
}

// MessageStats returns the replies and reactions of these messages.
func (db *DB) MessageStats(ctx context.Context, ws int64, events []int64) (map[int64][2]int, error) {
	out := map[int64][2]int{}
	for i := 0; i < len(events); i += 500 {
		chunk := events[i:min(i+500, len(events))]
		args := []any{ws}
		for _, id := range chunk {
			args = append(args, id)
		}
		err := db.eachRow(ctx, db.q.in("message-stats-in", len(chunk)), args, func(rs *sql.Rows) error {
			var id int64
			var s [2]int
			if err := rs.Scan(&id, &s[0], &s[1]); err != nil {
				return err
			}
			out[id] = s
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("message stats: %w", err)
		}
	}
	return out, nil
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

// Lifecycles returns the lifecycle states kept for ws's groups.
func (db *DB) Lifecycles(ctx context.Context, ws int64) (map[int64]shequn.LifecycleState, error) {
	out := map[int64]shequn.LifecycleState{}
	err := db.eachRow(ctx, db.q.get("find-lifecycles"), []any{ws}, func(rs *sql.Rows) error {
		var c, since, pendingSince int64
		var s shequn.LifecycleState
		if err := rs.Scan(&c, &s.Stage, &since, &s.Pending, &pendingSince); err != nil {
			return err
		}
		s.Since = msTime(since)
		if pendingSince > 0 {
			s.PendingSince = msTime(pendingSince)
		}
		out[c] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lifecycles: %w", err)
	}
	return out, nil
}

// SaveLifecycles keeps these groups' lifecycle states.
func (db *DB) SaveLifecycles(ctx context.Context, ws int64, states map[int64]shequn.LifecycleState) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		for c, s := range states {
			var pendingSince int64
			if s.Pending != "" {
				pendingSince = s.PendingSince.UnixMilli()
			}
			if _, err := tx.ExecContext(ctx, db.q.get("save-lifecycle"), ws, c, s.Stage, s.Since.UnixMilli(), s.Pending, pendingSince); err != nil {
				return fmt.Errorf("save lifecycle: %w", err)
			}
		}
		return nil
	})
}

// HealthWeights returns ws's weights of the health components (nil when
// it keeps the defaults).
func (db *DB) HealthWeights(ctx context.Context, ws int64) (map[string]int, error) {
	var raw string
	err := db.read.QueryRowContext(ctx, db.q.get("find-health-weights"), ws).Scan(&raw)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("health weights: %w", err)
	}
	var w map[string]int
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return nil, fmt.Errorf("health weights: %w", err)
	}
	return w, nil
}

// SaveHealthWeights keeps ws's weights of the health components.
func (db *DB) SaveHealthWeights(ctx context.Context, ws int64, w map[string]int) error {
	raw, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, db.q.get("save-health-weights"), ws, string(raw)); err != nil {
		return fmt.Errorf("save health weights: %w", err)
	}
	return nil
}
