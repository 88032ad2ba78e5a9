package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shequn/shequn"
)

// challengeConfig is the config column: everything but id, title, time.
type challengeConfig struct {
	shequn.Challenge
	Secret string `json:"secret"`
}

func scanChallenge(r interface{ Scan(...any) error }) (*shequn.Challenge, error) {
	var id, ws, created int64
	var title, raw string
	if err := r.Scan(&id, &ws, &title, &raw, &created); err != nil {
		return nil, err
	}
	var c challengeConfig
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("challenge %d config: %w", id, err)
	}
	ch := c.Challenge
	ch.ID, ch.WorkspaceID, ch.Title, ch.CreatedAt, ch.Secret = id, ws, title, msTime(created), c.Secret
	return &ch, nil
}

func challengeJSON(c *shequn.Challenge) string {
	raw, _ := json.Marshal(challengeConfig{Challenge: *c, Secret: c.Secret})
	return string(raw)
}

// CreateChallenge stores a new challenge.
func (db *DB) CreateChallenge(ctx context.Context, c *shequn.Challenge) error {
	now := db.stamp()
	if err := db.write.QueryRowContext(ctx, db.q.get("insert-challenge"), c.WorkspaceID, c.Title, challengeJSON(c), now).Scan(&c.ID); err != nil {
		return fmt.Errorf("create challenge: %w", err)
	}
	c.CreatedAt = msTime(now)
	return nil
}

// UpdateChallenge replaces a challenge's settings.
func (db *DB) UpdateChallenge(ctx context.Context, c *shequn.Challenge) error {
	res, err := db.write.ExecContext(ctx, db.q.get("update-challenge"), c.Title, challengeJSON(c), c.WorkspaceID, c.ID)
	if err != nil {
		return fmt.Errorf("update challenge: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "challenge %d: not found", c.ID)
	}
	return nil
}

// FindChallenge returns one challenge.
func (db *DB) FindChallenge(ctx context.Context, ws, id int64) (*shequn.Challenge, error) {
	c, err := scanChallenge(db.read.QueryRowContext(ctx, db.q.get("find-challenge"), ws, id))
	return c, notFound(err, "challenge %d", id)
}

// FindChallenges lists challenges, newest first.
func (db *DB) FindChallenges(ctx context.Context, ws int64) ([]*shequn.Challenge, error) {
	var out []*shequn.Challenge
	err := db.eachRow(ctx, db.q.get("find-challenges"), []any{ws}, func(r *sql.Rows) error {
		c, err := scanChallenge(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find challenges: %w", err)
	}
	return out, nil
}

// AddCheckin stores a check-in; false when the member already checked in
// that day.
func (t *ActTx) AddCheckin(ctx context.Context, c *shequn.Checkin) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.q("insert-checkin"), t.WS, c.ChallengeID, c.MemberID, c.Day, c.CommunityID, c.TS.UnixMilli(), boolInt(c.Makeup), c.Proof)
	if err != nil {
		return false, fmt.Errorf("check in: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MemberCheckins returns a member's check-ins of a challenge, by day.
func (t *ActTx) MemberCheckins(ctx context.Context, challenge, member int64) ([]shequn.Checkin, error) {
	var out []shequn.Checkin
	rs, err := t.tx.QueryContext(ctx, t.q("member-checkins"), challenge, member)
	err = each(rs, err, func(r *sql.Rows) error {
		c := shequn.Checkin{ChallengeID: challenge, MemberID: member}
		var makeup int
		err := r.Scan(&c.Day, &makeup, &c.CommunityID)
		c.Makeup = makeup != 0
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("member check-ins: %w", err)
	}
	return out, nil
}

// ChallengeDays counts check-ins per day.
func (db *DB) ChallengeDays(ctx context.Context, challenge int64) ([]shequn.ChallengeDay, error) {
	var out []shequn.ChallengeDay
	err := db.eachRow(ctx, db.q.get("challenge-days"), []any{challenge}, func(r *sql.Rows) error {
		var d shequn.ChallengeDay
		err := r.Scan(&d.Day, &d.Checkins, &d.Makeups)
		out = append(out, d)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("challenge days: %w", err)
	}
	return out, nil
}

// ChallengeCheckins calls fn for every check-in of a challenge, by member
// then day.
func (db *DB) ChallengeCheckins(ctx context.Context, challenge int64, fn func(c shequn.Checkin) error) error {
	return db.eachRow(ctx, db.q.get("challenge-checkins"), []any{challenge}, func(r *sql.Rows) error {
		c := shequn.Checkin{ChallengeID: challenge}
		var makeup int
		if err := r.Scan(&c.MemberID, &c.MemberName, &c.Day, &makeup, &c.CommunityID); err != nil {
			return err
		}
		c.Makeup = makeup != 0
		return fn(c)
	})
}

// FindChallengeAnyWorkspace returns a challenge by id alone (for signed
// member links, which carry no workspace).
func (db *DB) FindChallengeAnyWorkspace(ctx context.Context, id int64) (*shequn.Challenge, error) {
	c, err := scanChallenge(db.read.QueryRowContext(ctx, db.q.get("find-challenge-any"), id))
	return c, notFound(err, "challenge %d", id)
}
