package app

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

// DefaultModerationRule is what a workspace uses until an operator saves one.
func DefaultModerationRule(ws int64) *shequn.ModerationRule {
	d := moderation.DefaultConfig()
	var kw strings.Builder
	for _, k := range d.Keywords {
		if k.Weight == 1 {
			fmt.Fprintf(&kw, "%s\n", k.Text)
		} else {
			fmt.Fprintf(&kw, "%s|%g\n", k.Text, k.Weight)
		}
	}
	return &shequn.ModerationRule{
		WorkspaceID: ws, Action: shequn.ActionDelete, WarnLimit: 3,
		ExemptRoles: []string{shequn.MemberRoleOwner, shequn.MemberRoleAdmin, shequn.MemberRoleKOL},
		Keywords:    kw.String(), FloodCount: d.FloodCount, FloodSeconds: int(d.FloodWindow / time.Second),
		DupGroups: d.DupGroups, DupMinutes: int(d.DupWindow / time.Minute), NewcomerHours: int(d.NewcomerWindow / time.Hour),
		ClassifierThreshold: d.ClassifierThreshold, ClassifierActAbove: shequn.DefaultClassifierActAbove,
	}
}

// withDefaults fills what a rule saved by an older version lacks.
func withDefaults(r *shequn.ModerationRule) *shequn.ModerationRule {
	if r != nil && r.ClassifierActAbove == 0 {
		r.ClassifierActAbove = shequn.DefaultClassifierActAbove
	}
	return r
}

// checkerConfig turns a rule into detector settings; it validates the rule.
func checkerConfig(r *shequn.ModerationRule) (moderation.Config, error) {
	kws, err := moderation.ParseKeywords(r.Keywords)
	if err != nil {
		return moderation.Config{}, shequn.Invalid("keywords", "keywords: %v", err)
	}
	if r.Promotions {
		kws = append(kws, moderation.PromotionKeywords()...)
	}
	return moderation.Config{
		Keywords: kws, Regexes: r.Regexes, DenyDomains: r.DenyDomains, AllowDomains: r.AllowDomains,
		FloodCount: r.FloodCount, FloodWindow: time.Duration(r.FloodSeconds) * time.Second,
		DupGroups: r.DupGroups, DupWindow: time.Duration(r.DupMinutes) * time.Minute,
		NewcomerWindow:      time.Duration(r.NewcomerHours) * time.Hour,
		ClassifierThreshold: r.ClassifierThreshold, Disabled: r.Disabled,
	}, nil
}

// ValidateModerationRule checks every field an operator sets.
func ValidateModerationRule(r *shequn.ModerationRule) error {
	switch {
	case !slices.Contains(shequn.ModerationActions, r.Action):
		return shequn.Invalid("action", "action %q: want one of %s", r.Action, strings.Join(shequn.ModerationActions, ", "))
	case r.WarnLimit < 1 || r.WarnLimit > 20:
		return shequn.Invalid("warn_limit", "warn_limit %d: want 1 to 20", r.WarnLimit)
	case r.ClassifierThreshold < 0.3 || r.ClassifierThreshold > 1:
		return shequn.Invalid("classifier_threshold", "classifier_threshold %g: want 0.3 to 1", r.ClassifierThreshold)
	case r.ShadowUntil != nil && time.Until(*r.ShadowUntil) > 91*24*time.Hour:
		return shequn.Invalid("shadow_until", "shadow_until: at most 90 days ahead")
	case r.ClassifierActAbove < 0.5 || r.ClassifierActAbove > 1:
		return shequn.Invalid("classifier_act_above", "classifier_act_above %g: want 0.5 to 1 (1: the classifier alone only flags)", r.ClassifierActAbove)
	case len(r.Keywords) > 1<<20:
		return shequn.Invalid("keywords", "keywords: at most 1 MB")
	case len(r.Regexes) > 500:
		return shequn.Invalid("regexes", "regexes: at most 500")
	}
	if err := checkRanges(0, 1_000_000, intField{"flood_count", r.FloodCount}, intField{"flood_seconds", r.FloodSeconds}, intField{"dup_groups", r.DupGroups},
		intField{"dup_minutes", r.DupMinutes}, intField{"newcomer_hours", r.NewcomerHours}); err != nil {
		return err
	}
	for i, p := range r.Regexes {
		if _, err := regexp.Compile("(?i)" + p); err != nil {
			return shequn.Invalid("regexes", "regex %d (%s) is not valid: %s", i+1, p, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	for _, role := range r.ExemptRoles {
		if !slices.Contains([]string{shequn.MemberRoleOwner, shequn.MemberRoleAdmin, shequn.MemberRoleKOL, shequn.MemberRoleMember}, role) {
			return shequn.Invalid("exempt", "exempt role %q: want owner, admin, kol or member", role)
		}
	}
	cfg, err := checkerConfig(r)
	if err != nil {
		return err
	}
	if _, err := moderation.NewChecker(cfg, nil); err != nil {
		return shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	return nil
}

// ModerationRule returns the rule of a community (0: the workspace), the
// workspace rule when the community has none, or the default.
func (a *App) ModerationRule(ctx context.Context, ws *shequn.Workspace, community int64) (*shequn.ModerationRule, error) {
	for _, c := range []int64{community, 0} {
		r, err := a.db.FindModerationRule(ctx, ws.ID, c)
		if err == nil {
			return withDefaults(r), nil
		} else if shequn.ErrorCode(err) != shequn.ENOTFOUND {
			return nil, err
		}
		if c == 0 {
			break
		}
	}
	return DefaultModerationRule(ws.ID), nil
}

// SaveModerationRule validates and stores a rule (viewers may not).
func (a *App) SaveModerationRule(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, r *shequn.ModerationRule) error {
	if op != nil && !op.CanEdit() {
		return shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not change moderation rules")
	}
	r.WorkspaceID = ws.ID
	if r.CommunityID != 0 {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, r.CommunityID); err != nil {
			return err
		}
	}
	withDefaults(r) // a rule without classifier_act_above gets the default
	if err := ValidateModerationRule(r); err != nil {
		return err
	}
	if err := a.db.SaveModerationRule(ctx, r); err != nil {
		return err
	}
	a.Log.Info("moderation rule saved", "workspace", ws.ID, "community", r.CommunityID)
	return nil
}

// TestMessage runs a message through the workspace's detectors (the
// console's "test a message" box); nothing is stored.
func (a *App) TestMessage(ctx context.Context, ws *shequn.Workspace, community int64, text string) (moderation.Result, error) {
	if strings.TrimSpace(text) == "" {
		return moderation.Result{}, shequn.Invalid("text", "text: required")
	}
	if len(text) > shequn.MaxTextLen {
		return moderation.Result{}, shequn.Invalid("text", "text: longer than %d bytes", shequn.MaxTextLen)
	}
	rule, err := a.ModerationRule(ctx, ws, community)
	if err != nil {
		return moderation.Result{}, err
	}
	cfg, err := checkerConfig(rule)
	if err != nil {
		return moderation.Result{}, err
	}
	cls, err := a.moderation.classifier(ctx, ws.ID)
	if err != nil {
		return moderation.Result{}, err
	}
	c, err := moderation.NewChecker(cfg, cls)
	if err != nil {
		return moderation.Result{}, shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	return c.Check(moderation.Message{Text: text}), nil
}

// ReviewCase approves or overturns an open case. Approving keeps what was
// done and learns the text as spam; overturning cancels pending actions,
// lifts a mute, ban or blocklisting, and learns the text as normal.
func (a *App) ReviewCase(ctx context.Context, op *shequn.Operator, ws *shequn.Workspace, id int64, approve bool) (*shequn.ModerationCase, error) {
	var by int64
	if op != nil {
		if !op.CanEdit() {
			return nil, shequn.Errorf(shequn.EFORBIDDEN, "a viewer may not review cases")
		}
		by = op.ID
	}
	c, err := a.db.FindCaseByID(ctx, ws.ID, id)
	if err != nil {
		return nil, err
	}
	done, err := a.db.FindOutbox(ctx, ws.ID, c.ID, "", 500)
	if err != nil {
		return nil, err
	}
	rv := reviewOf(c, done, approve, by)
	if err := a.db.ReviewCase(ctx, ws.ID, id, rv); err != nil {
		return nil, err
	}
	a.Log.Info("moderation case reviewed", "case", id, "status", rv.Status, "by", by)
	return a.db.FindCaseByID(ctx, ws.ID, id)
}

// FindCases lists ws's moderation cases matching f.
func (a *App) FindCases(ctx context.Context, ws *shequn.Workspace, f shequn.CaseFilter) ([]*shequn.ModerationCase, error) {
	return a.db.FindCases(ctx, ws.ID, f)
}

// FindCase returns one case of ws.
func (a *App) FindCase(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.ModerationCase, error) {
	return a.db.FindCaseByID(ctx, ws.ID, id)
}

// FindBlocklist lists ws's blocklisted members.
func (a *App) FindBlocklist(ctx context.Context, ws *shequn.Workspace) ([]*shequn.BlockEntry, error) {
	return a.db.FindBlocklist(ctx, ws.ID)
}

// Unblock takes a member off ws's blocklist; ENOTFOUND when not on it.
func (a *App) Unblock(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, member int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.db.Unblock(ctx, ws.ID, member); err != nil {
		return err
	}
	a.Log.Info("member unblocked", "workspace", ws.ID, "member", member, "operator", operatorID(op))
	return nil
}
