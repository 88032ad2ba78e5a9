package app

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// Campaigns lists ws's fission campaigns with their stages.
func (a *App) Campaigns(ctx context.Context, ws *shequn.Workspace) ([]*shequn.Campaign, error) {
	return a.db.FindCampaigns(ctx, ws.ID)
}

// Campaign returns one of ws's campaigns.
func (a *App) Campaign(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Campaign, error) {
	c, err := a.db.FindCampaign(ctx, ws.ID, id)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, shequn.Errorf(shequn.ENOTFOUND, "campaign %d not found", id)
	}
	return c, err
}

// SaveCampaign creates a campaign (ID 0) or changes one. A hold of 0
// takes shequn.DefaultHoldHours; the groups must be ws's.
func (a *App) SaveCampaign(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, c *shequn.Campaign) error {
	if err := canEdit(op); err != nil {
		return err
	}
	c.WorkspaceID, c.Kind = ws.ID, cmp.Or(c.Kind, shequn.CampaignTask)
	c.HoldHours = cmp.Or(c.HoldHours, shequn.DefaultHoldHours)
	if err := shequn.CheckCampaign(c); err != nil {
		return err
	}
	for _, g := range c.CommunityIDs {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, g); err != nil {
			return shequn.Invalid("community_ids", "group %d is not one of this workspace's", g)
		}
	}
	if c.ID != 0 {
		old, err := a.Campaign(ctx, ws, c.ID)
		if err != nil {
			return err
		}
		c.Kind, c.Secret = old.Kind, old.Secret
	} else {
		c.Secret = randomToken()
	}
	a.campaignRead.Delete(c.ID) // a changed window is read whole again
	return a.db.SaveCampaign(ctx, c)
}

// CampaignProgress is each participant's helps by status and the stages
// paid to them.
func (a *App) CampaignProgress(ctx context.Context, ws *shequn.Workspace, id int64) ([]shequn.Progress, error) {
	if _, err := a.Campaign(ctx, ws, id); err != nil {
		return nil, err
	}
	return a.db.CampaignProgress(ctx, ws.ID, id)
}

// CampaignFigures sums up a campaign: participants, helps by outcome,
// suspected fraud, K-factor and cost per confirmed member.
func (a *App) CampaignFigures(ctx context.Context, ws *shequn.Workspace, id int64) (shequn.CampaignFigures, error) {
	c, err := a.Campaign(ctx, ws, id)
	if err != nil {
		return shequn.CampaignFigures{}, err
	}
	helps, err := a.db.FindHelps(ctx, ws.ID, id, 0)
	if err != nil {
		return shequn.CampaignFigures{}, err
	}
	progress, err := a.db.CampaignProgress(ctx, ws.ID, id)
	if err != nil {
		return shequn.CampaignFigures{}, err
	}
	return c.Figures(helps, len(progress)), nil
}

// CampaignHelps lists a campaign's help ledger (one inviter's, or all: 0).
func (a *App) CampaignHelps(ctx context.Context, ws *shequn.Workspace, id, inviter int64) ([]shequn.Help, error) {
	if _, err := a.Campaign(ctx, ws, id); err != nil {
		return nil, err
	}
	return a.db.FindHelps(ctx, ws.ID, id, inviter)
}

// CampaignSlack is how far back each run reads joins again (events that
// arrive late); the first run after a start reads the whole campaign.
const CampaignSlack = 24 * time.Hour

// RunCampaigns moves every running campaign's ledger along (the tick
// calls it): it records the helps of new joins, decides those whose hold
// window is over, and pays the stages reached. Run again on the same
// data, it changes nothing.
func (a *App) RunCampaigns(ctx context.Context, ws *shequn.Workspace, now time.Time) error {
	cs, err := a.db.FindCampaigns(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		hold := time.Duration(c.HoldHours) * time.Hour
		if now.Before(c.Start) || now.After(c.End.Add(hold+24*time.Hour)) {
			continue
		}
		if err := a.runCampaign(ctx, ws, c, hold, now); err != nil {
			return fmt.Errorf("campaign %d: %w", c.ID, err)
		}
	}
	return nil
}

func (a *App) runCampaign(ctx context.Context, ws *shequn.Workspace, c *shequn.Campaign, hold time.Duration, now time.Time) error {
	if err := a.recordHelps(ctx, ws, c, now); err != nil {
		return err
	}
	if err := a.decideHelps(ctx, ws, c, hold, now); err != nil {
		return err
	}
	return a.payStages(ctx, ws, c, now)
}

// recordHelps adds a help for each join an inviter brought into the
// campaign's groups during it: held, or voided at once with its reason.
func (a *App) recordHelps(ctx context.Context, ws *shequn.Workspace, c *shequn.Campaign, now time.Time) error {
	to := c.End
	if now.Before(to) {
		to = now
	}
	from := c.Start
	if last, ok := a.campaignRead.Load(c.ID); ok && last.(time.Time).Add(-CampaignSlack).After(from) {
		from = last.(time.Time).Add(-CampaignSlack)
	}
	joins, err := a.db.CampaignJoins(ctx, ws.ID, c.Start, from, to)
	if err != nil {
		return err
	}
	burst := bursts(joins, c)
	for _, j := range joins {
		if !c.InGroups(j.Community) {
			continue
		}
		h := &shequn.Help{CampaignID: c.ID, InviterID: j.Inviter, InviteeID: j.Invitee, Community: j.Community, Status: shequn.HelpHeld,
			JoinedAt: j.JoinedAt, DecidedAt: now}
		if burst[j.Invitee] {
			h.Signals = append(h.Signals, shequn.SignalBurst)
		}
		if shequn.DefaultName(j.Name) {
			h.Signals = append(h.Signals, shequn.SignalDefaultName)
		}
		h.Score = shequn.Score(h.Signals)
		switch {
		case j.Inviter == j.Invitee:
			h.Status, h.Reason = shequn.HelpVoided, shequn.VoidSelf
		case j.Blocklisted:
			h.Status, h.Reason = shequn.HelpVoided, shequn.VoidBlocklisted
		case c.NewOnly && j.SeenBefore:
			h.Status, h.Reason = shequn.HelpVoided, shequn.VoidNotNew
		}
		if _, err := a.db.AddHelp(ctx, ws.ID, h); err != nil {
			return err
		}
	}
	a.campaignRead.Store(c.ID, to)
	return nil
}

// bursts marks the invitees whose inviter brought shequn.BurstJoins or
// more people into c's groups within shequn.BurstWindow of their join.
func bursts(joins []sqlstore.CampaignJoin, c *shequn.Campaign) map[int64]bool {
	by := map[int64][]sqlstore.CampaignJoin{}
	for _, j := range joins { // in join order
		if c.InGroups(j.Community) {
			by[j.Inviter] = append(by[j.Inviter], j)
		}
	}
	out := map[int64]bool{}
	for _, js := range by {
		lo := 0
		for hi := range js {
			for js[hi].JoinedAt.Sub(js[lo].JoinedAt) > shequn.BurstWindow {
				lo++
			}
			if hi-lo+1 >= shequn.BurstJoins {
				for _, j := range js[lo : hi+1] {
					out[j.Invitee] = true
				}
			}
		}
	}
	return out
}

// decideHelps settles the held helps whose hold window is over, adding
// silent when the invitee wrote nothing: an invitee who left voids the
// help; one who stayed confirms it, unless its signals reach
// shequn.ReviewScore, which sends it to review. A help's score, kept
// either way, marks it as suspected fraud (Help.Suspect).
func (a *App) decideHelps(ctx context.Context, ws *shequn.Workspace, c *shequn.Campaign, hold time.Duration, now time.Time) error {
	due, err := a.db.DueHelps(ctx, ws.ID, c.ID, now.Add(-hold), hold)
	if err != nil {
		return err
	}
	for _, d := range due {
		h := d.Help
		posted, err := a.db.PostedSince(ctx, ws.ID, h.InviteeID, h.Community, h.JoinedAt.In(ws.Location()).Format(time.DateOnly))
		if err != nil {
			return err
		}
		if !posted {
			h.Signals = append(h.Signals, shequn.SignalSilent)
		}
		h.Score = shequn.Score(h.Signals)
		switch {
		case !d.Stayed:
			// voided either way; the score says whether it looked like fraud
			h.Status, h.Reason = shequn.HelpVoided, shequn.VoidLeft
		case h.Score >= shequn.ReviewScore:
			h.Status = shequn.HelpReview
		default:
			h.Status = shequn.HelpConfirmed
		}
		if _, err := a.db.DecideHelp(ctx, ws.ID, &h, now); err != nil {
			return err
		}
	}
	return nil
}

// ReviewHelp settles a help in review: confirmed, or voided as fraud.
func (a *App) ReviewHelp(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, campaign, help int64, confirm bool) error {
	if err := canEdit(op); err != nil {
		return err
	}
	status, reason := shequn.HelpVoided, shequn.VoidFraud
	if confirm {
		status, reason = shequn.HelpConfirmed, ""
	}
	ok, err := a.db.ReviewHelp(ctx, ws.ID, campaign, help, status, reason, a.Clock.Now())
	if err != nil {
		return err
	}
	if !ok {
		return shequn.Errorf(shequn.ENOTFOUND, "help %d is not waiting for review", help)
	}
	a.Log.Info("help reviewed", "workspace", ws.Slug, "campaign", campaign, "help", help, "status", status, "operator", opID(op))
	return nil
}

// payStages pays each participant every stage their confirmed helps
// reach, once, while the stage has stock: its points through the points
// ledger, in the same transaction as the payout.
func (a *App) payStages(ctx context.Context, ws *shequn.Workspace, c *shequn.Campaign, now time.Time) error {
	progress, err := a.db.CampaignProgress(ctx, ws.ID, c.ID)
	if err != nil {
		return err
	}
	for _, p := range progress {
		for i, s := range c.Stages {
			if p.Confirmed < s.Threshold {
				break
			}
			if err := a.payStage(ctx, ws, c, i, p.MemberID, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *App) payStage(ctx context.Context, ws *shequn.Workspace, c *shequn.Campaign, i int, member int64, now time.Time) error {
	s := c.Stages[i]
	err := a.db.Points(ctx, ws.ID, func(tx *sqlstore.PointsTx) error {
		paid, err := tx.PayStage(ctx, c.ID, i, member, now)
		if err != nil || !paid || s.Points == 0 {
			return err
		}
		_, err = tx.Post(ctx, &shequn.PointsEntry{MemberID: member, Amount: s.Points, Kind: shequn.PointsGrant,
			Reason:         shequn.Clip(fmt.Sprintf("%s · %s (%d)", c.Name, cmp.Or(s.Label, fmt.Sprint(i+1)), s.Threshold), 200),
			IdempotencyKey: fmt.Sprintf("campaign:%d:%d:%d", c.ID, i, member)})
		return err
	})
	if errors.Is(err, sqlstore.ErrOutOfStock) {
		return nil
	}
	return err
}

// ProgressLink is a member's progress page in campaign c (signed: the
// member needs no login, nobody else can guess it).
func ProgressLink(id, ws int64, secret string, member int64) string {
	return fmt.Sprintf("/c/%d/%d/%s", id, member, progressSig(id, ws, secret, member))
}

func progressSig(id, ws int64, secret string, member int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "campaign/%d/%d/%d", ws, id, member)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// ProgressPage is what a member's progress page shows.
type ProgressPage struct {
	Workspace *shequn.Workspace
	Campaign  *shequn.Campaign
	Me        shequn.Progress
	Helps     []shequn.Help
	// Next is the first stage not reached (nil: all reached).
	Next *shequn.Stage
}

// OpenProgressPage checks a progress link and reads the member's standing.
func (a *App) OpenProgressPage(ctx context.Context, id, member int64, sig string) (ProgressPage, error) {
	var p ProgressPage
	c, err := a.db.FindCampaignAnyWorkspace(ctx, id)
	if err != nil || c.Secret == "" || !hmac.Equal([]byte(sig), []byte(progressSig(id, c.WorkspaceID, c.Secret, member))) {
		return p, shequn.Errorf(shequn.ENOTFOUND, "this progress link is not valid")
	}
	if p.Workspace, err = a.db.FindWorkspaceByID(ctx, c.WorkspaceID); err != nil {
		return p, err
	}
	if p.Helps, err = a.db.FindHelps(ctx, c.WorkspaceID, id, member); err != nil {
		return p, err
	}
	p.Campaign, p.Me.MemberID = c, member
	for _, h := range p.Helps {
		switch h.Status {
		case shequn.HelpHeld:
			p.Me.Held++
		case shequn.HelpConfirmed:
			p.Me.Confirmed++
		default:
			p.Me.Voided++
		}
	}
	for i, s := range c.Stages {
		if p.Me.Confirmed < s.Threshold {
			p.Next = &c.Stages[i]
			break
		}
		p.Me.Reached++
	}
	return p, nil
}
