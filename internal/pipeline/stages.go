package pipeline

import (
	"context"
	"database/sql"
	"strconv"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// membershipStage keeps memberships true to joins, leaves, kicks and bans,
// and records an implicit membership for anyone seen acting in a group.
type membershipStage struct{ cache *cache }

func (membershipStage) Name() string { return "membership" }

func (m *membershipStage) Apply(ctx context.Context, b *Batch) error {
	ws := b.Tx.WS
	stagedSeen := map[[3]int64]struct{}{}
	var ensure [][2]int64
	var changes []sqlstore.MembershipChange
	for _, it := range b.Items {
		switch it.Kind {
		case shequn.EventJoin, shequn.EventLeave:
			changes = append(changes, change(it, it.MemberID))
			stagedSeen[[3]int64{ws, it.CommunityID, it.MemberID}] = struct{}{}
			continue
		case shequn.EventKick, shequn.EventBan:
			changes = append(changes, change(it, it.TargetID))
			stagedSeen[[3]int64{ws, it.CommunityID, it.TargetID}] = struct{}{}
		}
		k := [3]int64{ws, it.CommunityID, it.MemberID}
		if _, ok := stagedSeen[k]; ok || m.known(k) {
			continue
		}
		stagedSeen[k] = struct{}{}
		ensure = append(ensure, [2]int64{it.CommunityID, it.MemberID})
	}
	if err := b.Tx.ChangeMemberships(ctx, changes); err != nil {
		return err
	}
	if err := b.Tx.EnsureMemberships(ctx, ensure); err != nil {
		return err
	}
	b.AfterCommit(func() {
		m.cache.mu.Lock()
		defer m.cache.mu.Unlock()
		for k := range stagedSeen {
			m.cache.memberships[k] = struct{}{}
		}
	})
	return nil
}

func (m *membershipStage) known(k [3]int64) bool {
	m.cache.mu.RLock()
	defer m.cache.mu.RUnlock()
	_, ok := m.cache.memberships[k]
	return ok
}

// change maps an event to the membership status it implies for subject.
func change(it *Item, subject int64) sqlstore.MembershipChange {
	c := sqlstore.MembershipChange{CommunityID: it.CommunityID, MemberID: subject, At: it.TS.UnixMilli(), Source: shequn.SourceUnknown, EventID: it.ID}
	switch it.Kind {
	case shequn.EventJoin:
		c.Status = shequn.StatusActive
		c.InvitedBy = sql.NullInt64{Int64: it.InviterID, Valid: it.InviterID != 0}
		c.Source = joinSource(it)
	case shequn.EventLeave:
		c.Status = shequn.StatusLeft
	case shequn.EventKick:
		c.Status = shequn.StatusKicked
	case shequn.EventBan:
		c.Status = shequn.StatusBanned
	}
	return c
}

func joinSource(it *Item) string {
	switch {
	case it.Source != "":
		return it.Source
	case it.InviterID != 0:
		return shequn.SourceInvite
	}
	return shequn.SourceDirect
}

// rollupStage adds the batch to the daily rollups of communities and
// members (messages, reactions, distinct active members, joins, leaves)
// and counts replies and reactions on the messages they answer.
type rollupStage struct{ cache *cache }

func (rollupStage) Name() string { return "rollup" }

func (r rollupStage) Apply(ctx context.Context, b *Batch) error {
	type cday struct {
		c int64
		d string
	}
	type mday struct {
		c, m int64
		d    string
	}
	days := map[cday]*sqlstore.CommunityDay{}
	var cOrder []cday
	act := map[mday]int{}
	var acts []sqlstore.MemberDay
	var refs []sqlstore.MessageRef
	for _, it := range b.Items {
		k := cday{it.CommunityID, it.Day}
		d := days[k]
		if d == nil {
			d = &sqlstore.CommunityDay{CommunityID: it.CommunityID, Day: it.Day}
			days[k] = d
			cOrder = append(cOrder, k)
		}
		d.LastTS = max(d.LastTS, it.TS.UnixMilli())
		d.LastID = max(d.LastID, it.ID)
		if d.FirstID == 0 || it.ID < d.FirstID {
			d.FirstID = it.ID
		}
		switch it.Kind {
		case shequn.EventJoin:
			d.Joins++
		case shequn.EventLeave, shequn.EventKick, shequn.EventBan:
			d.Leaves++
		case shequn.EventMessage, shequn.EventReaction:
			mk := mday{it.CommunityID, it.MemberID, it.Day}
			i, ok := act[mk]
			if !ok {
				i = len(acts)
				act[mk] = i
				acts = append(acts, sqlstore.MemberDay{CommunityID: it.CommunityID, MemberID: it.MemberID, Day: it.Day})
			}
			acts[i].EventIDs = appendID(acts[i].EventIDs, it.ID)
			acts[i].Points += it.Points
			if it.ReplyTo != "" {
				refs = append(refs, sqlstore.MessageRef{Platform: it.Platform, Target: it.ReplyTo, MemberID: it.MemberID, Reaction: it.Kind == shequn.EventReaction})
			}
			if it.Kind == shequn.EventMessage {
				d.Messages++
				countMessage(&acts[i], it)
			} else {
				d.Reactions++
				acts[i].Reactions++
			}
		}
	}
	if err := r.addMemberDays(ctx, b, acts, func(a sqlstore.MemberDay) { days[cday{a.CommunityID, a.Day}].Active++ }); err != nil {
		return err
	}
	if err := b.Tx.AddMessageStats(ctx, refs); err != nil {
		return err
	}
	out := make([]sqlstore.CommunityDay, len(cOrder))
	messages := 0
	for i, k := range cOrder {
		out[i] = *days[k]
		messages += out[i].Messages
	}
	if err := b.Tx.AddWorkspaceTotals(ctx, len(b.Items), messages); err != nil {
		return err
	}
	return b.Tx.AddCommunityDays(ctx, out)
}

// appendID adds an event id to a space-separated list.
func appendID(list string, id int64) string {
	if list == "" {
		return strconv.FormatInt(id, 10)
	}
	return list + " " + strconv.FormatInt(id, 10)
}

// addMemberDays adds the batch's member activity and calls first for each
// member not yet active that day in that community. Rows the cache knows
// exist are added without asking the store whether they were new.
// countMessage adds a message to its member's day.
func countMessage(a *sqlstore.MemberDay, it *Item) {
	a.Messages++
	a.Chars += utf8.RuneCountInString(it.Text)
	if it.ReplyTo != "" {
		a.Replies++
	}
	if it.Asked {
		a.Questions++
	}
	if it.Answered {
		a.Answers++
	}
}

func (r rollupStage) addMemberDays(ctx context.Context, b *Batch, acts []sqlstore.MemberDay, first func(sqlstore.MemberDay)) error {
	var known, unknown []sqlstore.MemberDay
	for _, a := range acts {
		if r.cache.knownMemberDay(a.Day, a.CommunityID, a.MemberID) {
			known = append(known, a)
		} else {
			unknown = append(unknown, a)
		}
	}
	isFirst, err := b.Tx.AddMemberDays(ctx, unknown)
	if err != nil {
		return err
	}
	for i, a := range unknown {
		if isFirst[i] {
			first(a)
		}
	}
	if err := b.Tx.AddKnownMemberDays(ctx, known); err != nil {
		return err
	}
	b.AfterCommit(func() {
		rows := map[string][][2]int64{}
		for _, a := range acts {
			rows[a.Day] = append(rows[a.Day], [2]int64{a.CommunityID, a.MemberID})
		}
		r.cache.rememberMemberDays(rows)
	})
	return nil
}
