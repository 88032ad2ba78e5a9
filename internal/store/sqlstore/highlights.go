package sqlstore

import (
	"context"
	"database/sql"
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
