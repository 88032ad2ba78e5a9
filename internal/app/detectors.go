package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Detector thresholds. They are deliberately conservative: an alert an
// operator learns to ignore is worse than none.
const (
	AnswerSLA          = 2 * time.Hour  // a question unanswered this long raises an alert
	SilenceAfter       = 24 * time.Hour // a normally active group quiet this long
	ActiveGroupPerDay  = 20             // "normally active": messages per day over the last two weeks
	SpamWaveCases      = 10             // detector cases in a group within an hour
	ComplaintsMin      = 5              // negative messages within three hours…
	ComplaintsShare    = 0.2            // …that are at least this share of messages…
	ComplaintsBaseline = 3.0            // …and this many times the group's 7-day share
	CapacityShare      = 0.9            // members / capacity
	DormantDays        = 30             // the recall list: silent this many days
)

// Detect runs every detector of ws as of now: alerts into the inbox (each
// once), and the silence, unanswered, dormant and streak-broken rules.
func (a *App) Detect(ctx context.Context, ws *shequn.Workspace, now time.Time) error {
	cs, err := a.db.ListCommunities(ctx, ws.ID)
	if err != nil {
		return err
	}
	byID := map[int64]*shequn.Community{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	autos, err := a.automations(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, d := range []func(context.Context, *shequn.Workspace, map[int64]*shequn.Community, []*shequn.Automation, time.Time) error{
		a.detectUnanswered, a.detectSilence, a.detectSpamWave, a.detectComplaints, a.detectCapacity, a.detectDormant, a.detectBrokenStreaks,
		a.detectLiveCodes,
	} {
		if err := d(ctx, ws, byID, autos, now); err != nil {
			return err
		}
	}
	return nil
}

// rulesOn returns the enabled rules of a trigger kind.
func rulesOn(autos []*shequn.Automation, kind string) []*shequn.Automation {
	var out []*shequn.Automation
	for _, au := range autos {
		if au.Enabled && au.Kind == shequn.AutomationRule && au.Trigger.Kind == kind {
			out = append(out, au)
		}
	}
	return out
}

func (a *App) detectUnanswered(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, autos []*shequn.Automation, now time.Time) error {
	rules := rulesOn(autos, shequn.TriggerUnanswered)
	horizon := AnswerSLA
	for _, r := range rules {
		horizon = min(horizon, time.Duration(r.Trigger.Hours)*time.Hour)
	}
	qs, err := a.db.UnansweredQuestions(ctx, ws.ID, now.Add(-horizon), now.Add(-7*24*time.Hour))
	if err != nil {
		return err
	}
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		late := map[int64][]sqlstore.UnansweredQuestion{} // community → questions past the SLA
		for _, q := range qs {
			c := cs[q.CommunityID]
			if c == nil {
				continue
			}
			age := now.Sub(q.TS)
			if age >= AnswerSLA {
				late[c.ID] = append(late[c.ID], q)
			}
			details := map[string]any{"question": q.Text, "asker": q.MemberName, "cue": q.Cue, "asked_at": q.TS, "hours": int(age.Hours())}
			for _, r := range rules {
				if age >= time.Duration(r.Trigger.Hours)*time.Hour && r.Selector.Matches(c) {
					s := subject{Community: c, MemberID: q.MemberID, Key: "q" + strconv.FormatInt(q.ID, 10), At: now, Details: details,
						Vars: map[string]string{"name": q.MemberName, "昵称": q.MemberName, "question": q.Text}}
					if err := a.act(ctx, tx, ws, r, s); err != nil {
						return err
					}
				}
			}
		}
		// One alert per group and day, naming its oldest unanswered questions.
		day := now.In(ws.Location()).Format(time.DateOnly)
		for id, late := range late {
			var examples []string
			for _, q := range late[:min(3, len(late))] {
				examples = append(examples, q.MemberName+": "+shequn.Clip(q.Text, 80))
			}
			details := map[string]any{"questions": len(late), "oldest": late[0].TS, "examples": examples}
			if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertUnanswered, CommunityID: id, Key: "unanswered:" + strconv.FormatInt(id, 10) + ":" + day, Details: details}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (a *App) detectSilence(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, autos []*shequn.Automation, now time.Time) error {
	since := now.In(ws.Location()).AddDate(0, 0, -14).Format(time.DateOnly)
	act, err := a.db.CommunityActivities(ctx, ws.ID, since)
	if err != nil {
		return err
	}
	rules := rulesOn(autos, shequn.TriggerSilence)
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		for id, ac := range act {
			c := cs[id]
			quiet := now.Sub(ac.Last)
			if c == nil || ac.Last.IsZero() || quiet <= 0 || ac.Messages < 14*ActiveGroupPerDay {
				continue // not a normally active group
			}
			key := "silence:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(ac.Last.Unix(), 10)
			details := map[string]any{"last_message": ac.Last, "hours": int(quiet.Hours()), "messages_14d": ac.Messages}
			if quiet >= SilenceAfter {
				if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertSilence, CommunityID: id, Key: key, Details: details}); err != nil {
					return err
				}
			}
			for _, r := range rules {
				if quiet >= time.Duration(r.Trigger.Hours)*time.Hour && r.Selector.Matches(c) {
					if err := a.act(ctx, tx, ws, r, subject{Community: c, Key: key, At: now, Details: details}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func (a *App) detectSpamWave(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, _ []*shequn.Automation, now time.Time) error {
	counts, err := a.db.RecentCases(ctx, ws.ID, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		for id, n := range counts {
			if n < SpamWaveCases || cs[id] == nil {
				continue
			}
			key := fmt.Sprintf("spamwave:%d:%d", id, now.Truncate(time.Hour).Unix())
			if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertSpamWave, CommunityID: id, Key: key, Details: map[string]any{"cases_last_hour": n}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// HourSignalsKept is how long groups' hourly signals are kept: the
// complaint detector compares the last hours with the week before them.
const HourSignalsKept = 14 * 24 * time.Hour

func (a *App) detectComplaints(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, _ []*shequn.Automation, now time.Time) error {
	hour := now.Truncate(time.Hour)
	recent, err := a.db.HourSignals(ctx, ws.ID, hour.Add(-2*time.Hour), hour.Add(time.Hour))
	if err != nil {
		return err
	}
	base, err := a.db.HourSignals(ctx, ws.ID, hour.Add(-7*24*time.Hour), hour.Add(-2*time.Hour))
	if err != nil {
		return err
	}
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		for id, s := range recent {
			if !ComplaintSpike(s, base[id]) || cs[id] == nil {
				continue
			}
			key := fmt.Sprintf("sentiment:%d:%d", id, hour.Unix())
			details := map[string]any{"negative_3h": s.Negative, "messages_3h": s.Messages,
				"share_3h": ratio(s.Negative, s.Messages), "share_7d": ratio(base[id].Negative, base[id].Messages)}
			if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertSentiment, CommunityID: id, Key: key, Details: details}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ComplaintSpike reports whether the last hours' complaints stand out from
// the group's baseline.
func ComplaintSpike(recent, base sqlstore.HourSignal) bool {
	share := ratio(recent.Negative, recent.Messages)
	baseShare := ratio(base.Negative, base.Messages)
	return recent.Negative >= ComplaintsMin && share >= ComplaintsShare && (base.Messages == 0 || share >= ComplaintsBaseline*baseShare)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (a *App) detectCapacity(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, _ []*shequn.Automation, _ time.Time) error {
	counts, err := a.db.MemberCounts(ctx, ws.ID)
	if err != nil {
		return err
	}
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		for id, c := range cs {
			n := counts[id]
			if c.Capacity <= 0 || float64(n) < CapacityShare*float64(c.Capacity) {
				continue
			}
			level := 90
			if n >= c.Capacity {
				level = 100
			}
			key := fmt.Sprintf("capacity:%d:%d:%d", id, c.Capacity, level)
			if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertCapacity, CommunityID: id, Key: key,
				Details: map[string]any{"members": n, "capacity": c.Capacity}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// detectDormant runs once per local day: members whose last message in a
// group was exactly DormantDays (or a dormant rule's Days) ago.
func (a *App) detectDormant(ctx context.Context, ws *shequn.Workspace, cs map[int64]*shequn.Community, autos []*shequn.Automation, now time.Time) error {
	today := now.In(ws.Location()).Format(time.DateOnly)
	rules := rulesOn(autos, shequn.TriggerDormant)
	days := map[int]bool{DormantDays: true}
	for _, r := range rules {
		days[r.Trigger.Days] = true
	}
	return a.db.Act(ctx, ws.ID, func(tx *sqlstore.ActTx) error {
		if first, err := tx.ClaimRun(ctx, "sweep:dormant:"+today, 0); err != nil || !first {
			return err
		}
		for d := range days {
			day := addDays(today, -d)
			ms, err := a.db.MembersLastActiveOn(ctx, ws.ID, day)
			if err != nil {
				return err
			}
			if d == DormantDays && len(ms) > 0 {
				names := make([]string, 0, 20)
				for _, m := range ms[:min(20, len(ms))] {
					names = append(names, m.Name)
				}
				if err := a.raise(ctx, tx, ws, &shequn.Alert{Kind: shequn.AlertDormant, Key: "dormant:" + today,
					Details: map[string]any{"members": len(ms), "days": d, "last_active": day, "names": names}}); err != nil {
					return err
				}
			}
			for _, r := range rules {
				if r.Trigger.Days != d {
					continue
				}
				for _, m := range ms {
					c := cs[m.CommunityID]
					if c == nil || !r.Selector.Matches(c) {
						continue
					}
					s := subject{Community: c, MemberID: m.MemberID, Key: "dormant:" + strconv.FormatInt(m.MemberID, 10) + ":" + day, At: now,
						Vars: map[string]string{"name": m.Name, "昵称": m.Name}, Details: map[string]any{"last_active": day}}
					if err := a.act(ctx, tx, ws, r, s); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}
