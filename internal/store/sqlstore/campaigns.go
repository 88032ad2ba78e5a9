package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// Campaigns, their stages, the help ledger and payouts.

func scanCampaign(r interface{ Scan(...any) error }) (*shequn.Campaign, error) {
	var c shequn.Campaign
	var groups string
	var newOnly int
	var start, end, created int64
	if err := r.Scan(&c.ID, &c.WorkspaceID, &c.Kind, &c.Name, &groups, &newOnly, &c.HoldHours, &start, &end, &created, &c.Secret, &c.Cost); err != nil {
		return nil, err
	}
	c.NewOnly, c.Start, c.End, c.CreatedAt = newOnly != 0, msTime(start), msTime(end), msTime(created)
	if err := json.Unmarshal([]byte(groups), &c.CommunityIDs); err != nil {
		return nil, fmt.Errorf("campaign %d groups: %w", c.ID, err)
	}
	return &c, nil
}

func idsJSON(ids []int64) string {
	if ids == nil {
		ids = []int64{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// SaveCampaign creates a campaign (ID 0) or replaces its settings and
// stages; a stage keeps the payouts it made.
func (db *DB) SaveCampaign(ctx context.Context, c *shequn.Campaign) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		now := db.stamp()
		args := []any{c.Name, idsJSON(c.CommunityIDs), boolInt(c.NewOnly), c.HoldHours, c.Start.UnixMilli(), c.End.UnixMilli(), c.Cost}
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, db.q.get("insert-campaign"), append([]any{c.WorkspaceID, c.Kind}, append(args, now, c.Secret)...)...).Scan(&c.ID)
			if err != nil {
				return fmt.Errorf("create campaign: %w", err)
			}
			c.CreatedAt = msTime(now)
		} else {
			res, err := tx.ExecContext(ctx, db.q.get("update-campaign"), append(args, c.WorkspaceID, c.ID)...)
			if err != nil {
				return fmt.Errorf("update campaign: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return shequn.Errorf(shequn.ENOTFOUND, "campaign %d not found", c.ID)
			}
		}
		return db.replaceStages(ctx, tx, c)
	})
}

func (db *DB) replaceStages(ctx context.Context, tx *sql.Tx, c *shequn.Campaign) error {
	paid := map[int]int{}
	err := eachRowTx(ctx, tx, db.q.get("campaign-stages"), []any{c.WorkspaceID, c.ID, c.ID}, func(r *sql.Rows) error {
		_, s, err := scanStage(r)
		if err != nil {
			return err
		}
		paid[len(paid)] = s.Paid
		return nil
	})
	if err != nil {
		return fmt.Errorf("campaign stages: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.q.get("delete-campaign-stages"), c.WorkspaceID, c.ID); err != nil {
		return fmt.Errorf("replace stages: %w", err)
	}
	for i := range c.Stages {
		s := &c.Stages[i]
		s.Paid = paid[i]
		if _, err := tx.ExecContext(ctx, db.q.get("insert-campaign-stage"), c.WorkspaceID, c.ID, i, s.Threshold, s.Points, s.Label, s.Stock, s.Paid); err != nil {
			return fmt.Errorf("add stage: %w", err)
		}
	}
	return nil
}

func eachRowTx(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	return each(rows, err, fn)
}

// scanStage reads a campaign-stages row: the campaign and the stage.
func scanStage(r *sql.Rows) (int64, shequn.Stage, error) {
	var s shequn.Stage
	var campaign int64
	err := r.Scan(&campaign, &s.Threshold, &s.Points, &s.Label, &s.Stock, &s.Paid)
	return campaign, s, err
}

// FindCampaigns lists ws's campaigns with their stages.
func (db *DB) FindCampaigns(ctx context.Context, ws int64) ([]*shequn.Campaign, error) {
	var out []*shequn.Campaign
	err := db.eachRow(ctx, db.q.get("find-campaigns"), []any{ws}, func(r *sql.Rows) error {
		c, err := scanCampaign(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find campaigns: %w", err)
	}
	return out, db.stages(ctx, ws, 0, out)
}

// FindCampaignAnyWorkspace returns a campaign by its id alone (a
// member's progress page, whose link is signed).
func (db *DB) FindCampaignAnyWorkspace(ctx context.Context, id int64) (*shequn.Campaign, error) {
	c, err := scanCampaign(db.read.QueryRowContext(ctx, db.q.get("find-campaign-any"), id))
	if err != nil {
		return nil, notFound(err, "campaign %d", id)
	}
	return c, db.stages(ctx, c.WorkspaceID, id, []*shequn.Campaign{c})
}

// FindCampaign returns one campaign with its stages.
func (db *DB) FindCampaign(ctx context.Context, ws, id int64) (*shequn.Campaign, error) {
	c, err := scanCampaign(db.read.QueryRowContext(ctx, db.q.get("find-campaign"), ws, id))
	if err != nil {
		return nil, notFound(err, "campaign %d", id)
	}
	return c, db.stages(ctx, ws, id, []*shequn.Campaign{c})
}

func (db *DB) stages(ctx context.Context, ws, id int64, cs []*shequn.Campaign) error {
	by := map[int64]*shequn.Campaign{}
	for _, c := range cs {
		by[c.ID] = c
	}
	err := db.eachRow(ctx, db.q.get("campaign-stages"), []any{ws, id, id}, func(r *sql.Rows) error {
		campaign, s, err := scanStage(r)
		if err != nil {
			return err
		}
		if c := by[campaign]; c != nil {
			c.Stages = append(c.Stages, s)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("campaign stages: %w", err)
	}
	return nil
}

// CampaignJoin is a join an inviter brought, with what decides its help.
type CampaignJoin struct {
	Invitee, Inviter, Community int64
	Name                        string // the invitee's
	JoinedAt                    time.Time
	SeenBefore, Blocklisted     bool
}

// CampaignJoins lists the joins with an inviter from from to to, each
// with whether its invitee was in a group before start.
func (db *DB) CampaignJoins(ctx context.Context, ws int64, start, from, to time.Time) ([]CampaignJoin, error) {
	var out []CampaignJoin
	s := start.UnixMilli()
	err := db.eachRow(ctx, db.q.get("campaign-joins"), []any{s, s, s, ws, from.UnixMilli(), to.UnixMilli()}, func(r *sql.Rows) error {
		var j CampaignJoin
		var at int64
		var seen, blocked int
		if err := r.Scan(&j.Invitee, &j.Inviter, &j.Community, &at, &j.Name, &seen, &blocked); err != nil {
			return err
		}
		j.JoinedAt, j.SeenBefore, j.Blocklisted = msTime(at), seen != 0, blocked != 0
		out = append(out, j)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("campaign joins: %w", err)
	}
	return out, nil
}

// AddHelp records a help unless the invitee already has one in the
// campaign; it reports whether it was added.
func (db *DB) AddHelp(ctx context.Context, ws int64, h *shequn.Help) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.q.get("insert-help"), ws, h.CampaignID, h.InviterID, h.InviteeID, h.Community, h.Status, h.Reason,
		strings.Join(h.Signals, ","), h.Score, h.JoinedAt.UnixMilli(), h.DecidedAt.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("add help: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DueHelp is a held help whose hold window is over.
type DueHelp struct {
	shequn.Help
	Stayed bool // the invitee was still in the group at its end
}

// DueHelps lists campaign c's held helps that joined by until, with
// whether each invitee stayed hold long.
func (db *DB) DueHelps(ctx context.Context, ws, c int64, until time.Time, hold time.Duration) ([]DueHelp, error) {
	var out []DueHelp
	err := db.eachRow(ctx, db.q.get("due-helps"), []any{hold.Milliseconds(), ws, c, until.UnixMilli()}, func(r *sql.Rows) error {
		var d DueHelp
		var stayed int
		var joined int64
		var signals string
		if err := r.Scan(&d.ID, &stayed, &d.InviteeID, &d.Community, &joined, &signals, &d.Score); err != nil {
			return err
		}
		d.Stayed, d.JoinedAt, d.Signals, d.CampaignID = stayed != 0, msTime(joined), splitSignals(signals), c
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due helps: %w", err)
	}
	return out, nil
}

func splitSignals(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// DecideHelp moves a held help to h's status, reason, signals and score;
// false when another run decided it first.
func (db *DB) DecideHelp(ctx context.Context, ws int64, h *shequn.Help, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.q.get("decide-help"), h.Status, h.Reason, strings.Join(h.Signals, ","), h.Score, now.UnixMilli(), ws, h.ID)
	if err != nil {
		return false, fmt.Errorf("decide help: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// PostedSince reports whether member wrote in community on a day from day
// (YYYY-MM-DD in the workspace's zone) on.
func (db *DB) PostedSince(ctx context.Context, ws, member, community int64, day string) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, db.q.get("posted-since"), ws, member, community, day).Scan(&n); err != nil {
		return false, fmt.Errorf("posted since: %w", err)
	}
	return n > 0, nil
}

// ReviewHelp settles a help in review: confirmed, or voided with reason;
// false when it is not (or no longer) in review.
func (db *DB) ReviewHelp(ctx context.Context, ws, c, id int64, status, reason string, now time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, db.q.get("review-help"), status, reason, now.UnixMilli(), ws, c, id)
	if err != nil {
		return false, fmt.Errorf("review help: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// CampaignProgress is each participant's helps by status and stages paid,
// most confirmed first.
func (db *DB) CampaignProgress(ctx context.Context, ws, c int64) ([]shequn.Progress, error) {
	var out []shequn.Progress
	err := db.eachRow(ctx, db.q.get("campaign-progress"), []any{ws, c}, func(r *sql.Rows) error {
		var p shequn.Progress
		err := r.Scan(&p.MemberID, &p.Name, &p.Held, &p.Confirmed, &p.Voided, &p.Reached)
		out = append(out, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("campaign progress: %w", err)
	}
	return out, nil
}

// FindHelps lists a campaign's helps (of one inviter, or all: 0).
func (db *DB) FindHelps(ctx context.Context, ws, c, inviter int64) ([]shequn.Help, error) {
	var out []shequn.Help
	err := db.eachRow(ctx, db.q.get("find-helps"), []any{ws, c, inviter, inviter}, func(r *sql.Rows) error {
		var h shequn.Help
		var joined, decided int64
		var signals string
		err := r.Scan(&h.ID, &h.CampaignID, &h.InviterID, &h.InviteeID, &h.Community, &h.Status, &h.Reason, &joined, &decided, &signals, &h.Score,
			&h.InviterName, &h.InviteeName)
		h.JoinedAt, h.DecidedAt, h.Signals = msTime(joined), msTime(decided), splitSignals(signals)
		out = append(out, h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find helps: %w", err)
	}
	return out, nil
}

// ErrOutOfStock: the stage has paid all its stock.
var ErrOutOfStock = errors.New("stage out of stock")

// PayStage records member's payout of stage idx of campaign c, taking
// one of its stock; it reports false when the member was paid it before
// and ErrOutOfStock when none is left (nothing is then written).
func (t *PointsTx) PayStage(ctx context.Context, c int64, idx int, member int64, at time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.q("insert-payout"), t.WS, c, idx, member, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("payout: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	res, err = t.tx.ExecContext(ctx, t.q("take-stage-stock"), t.WS, c, idx)
	if err != nil {
		return false, fmt.Errorf("stage stock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, ErrOutOfStock
	}
	return true, nil
}

// Standing is a member's progress in a running campaign and the stages
// ahead (for the 进度/progress command).
type Standing struct {
	// ID, WorkspaceID and Secret make the member's progress link.
	ID, WorkspaceID int64
	Secret          string
	Campaign        string
	End             time.Time
	Held, Confirmed int
	Stages          []shequn.Stage
}

// Standings returns member's progress in the campaigns running at now.
func (t *PointsTx) Standings(ctx context.Context, member int64, now time.Time) ([]Standing, error) {
	var out []Standing
	var ids []int64
	at := now.UnixMilli()
	err := eachRowTx(ctx, t.tx, t.q("member-campaigns"), []any{member, t.WS, at, at}, func(r *sql.Rows) error {
		var s Standing
		var id, end int64
		if err := r.Scan(&id, &s.WorkspaceID, &s.Secret, &s.Campaign, &end, &s.Held, &s.Confirmed); err != nil {
			return err
		}
		s.ID, s.End = id, msTime(end)
		out, ids = append(out, s), append(ids, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("member campaigns: %w", err)
	}
	for i, id := range ids {
		err := eachRowTx(ctx, t.tx, t.q("campaign-stages"), []any{t.WS, id, id}, func(r *sql.Rows) error {
			_, s, err := scanStage(r)
			out[i].Stages = append(out[i].Stages, s)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("campaign stages: %w", err)
		}
	}
	return out, nil
}
