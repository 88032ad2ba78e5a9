package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// moderationStage checks every new message and join of a batch, opens
// cases, and records the actions (delete, warn, mute, kick, ban,
// blocklist) in the outbox for the connectors, all in the batch's
// transaction.
type moderationStage struct {
	db    *sqlstore.DB
	now   func() time.Time
	mu    sync.Mutex
	cache map[int64]*wsModeration // by workspace
}

// wsModeration is a workspace's compiled rules and classifier.
type wsModeration struct {
	version  string
	rules    map[int64]*shequn.ModerationRule // community → rule (0: workspace)
	checkers map[int64]*moderation.Checker
	cls      *moderation.Classifier
	blocked  map[int64]bool // members on the blocklist
}

func (*moderationStage) Name() string { return "moderation" }

// reportCommands put the replied-to message in the review queue.
var reportCommands = []string{"report", "/report", "!report", "举报", "/举报"}

func (s *moderationStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	if b.History {
		return nil
	}
	var m *wsModeration
	blocked := map[int64]bool{} // blocked by this batch
	for _, it := range b.Items {
		if it.Kind != shequn.EventMessage && it.Kind != shequn.EventJoin {
			continue
		}
		if m == nil {
			var err error
			if m, err = s.load(ctx, b.Workspace.ID); err != nil {
				return err
			}
		}
		if m.blocked[it.MemberID] || blocked[it.MemberID] {
			it.Moderated = true
			if err := s.refuse(ctx, b.Tx, it); err != nil {
				return err
			}
			continue
		}
		action, err := s.item(ctx, b.Tx, m, it)
		if err != nil {
			return err
		}
		it.Moderated = action != "" && action != shequn.ActionFlag
		it.Flagged = action == shequn.ActionFlag
		if action == shequn.ActionBlocklist {
			blocked[it.MemberID] = true
		}
	}
	return nil
}

// item moderates one message and returns the action taken, if any.
func (s *moderationStage) item(ctx context.Context, tx *sqlstore.IngestTx, m *wsModeration, it *pipeline.Item) (string, error) {
	if it.Kind != shequn.EventMessage {
		return "", nil
	}
	if it.ReplyTo != "" && slices.Contains(reportCommands, strings.ToLower(strings.TrimSpace(it.Text))) {
		return "", s.report(ctx, tx, it)
	}
	rule, checker := m.rule(it.CommunityID), m.checker(it.CommunityID)
	msg := moderation.Message{Text: it.Text, Community: strconv.FormatInt(it.CommunityID, 10), Member: strconv.FormatInt(it.MemberID, 10), TS: it.TS,
		Attachments: attachments(it.Attachments)}
	res := checker.Check(msg)
	if !res.Spam && !res.HasLinkOrContact() {
		return "", nil
	}
	role, joined, err := tx.MembershipRole(ctx, it.CommunityID, it.MemberID)
	if err != nil {
		return "", err
	}
	if !res.Spam && res.HasLinkOrContact() && !joined.IsZero() {
		msg.JoinedAt = joined
		if v := checker.Newcomer(msg, res); v.Spam {
			res.Spam = true
			res.Verdicts = append(res.Verdicts, v)
		}
	}
	if !res.Spam || slices.Contains(rule.ExemptRoles, role) || slices.Contains(rule.AllowMembers, it.MemberID) {
		return "", nil
	}
	return s.act(ctx, tx, rule, it, res)
}

// classifierAlone reports whether the classifier is the only detector that
// called the message spam and its probability is below the rule's bar for
// acting alone: such a message is flagged for a person to look at, not
// removed.
func classifierAlone(rule *shequn.ModerationRule, res moderation.Result) bool {
	if !res.OnlyClassifier() {
		return false
	}
	for _, v := range res.Verdicts {
		if v.Detector == moderation.DetClassifier {
			return v.Score < rule.ClassifierActAbove
		}
	}
	return false
}

// act opens a case for spam and queues what the rule says to do. A
// message that only the classifier calls spam is flagged; a rule in
// shadow mode records what it would have done and does nothing.
func (s *moderationStage) act(ctx context.Context, tx *sqlstore.IngestTx, rule *shequn.ModerationRule, it *pipeline.Item, res moderation.Result) (string, error) {
	action := rule.Action
	if classifierAlone(rule, res) {
		action = shequn.ActionFlag
	}
	shadow := rule.Shadowing(s.now())
	warns := 0
	if action == shequn.ActionWarn && !shadow {
		n, err := tx.CountWarnings(ctx, it.MemberID)
		if err != nil {
			return "", err
		}
		if warns = n + 1; warns >= rule.WarnLimit {
			action = shequn.ActionKick // the last warning was the last
		}
	}
	verdicts, _ := json.Marshal(res.Verdicts)
	var dets []string
	for _, v := range res.Verdicts {
		if v.Spam {
			dets = append(dets, v.Detector)
		}
	}
	c := &shequn.ModerationCase{CommunityID: it.CommunityID, MemberID: it.MemberID, EventID: it.ID, Platform: it.Platform,
		SourceID: it.SourceID, Text: it.Text, Reason: shequn.ReasonDetector, Detectors: strings.Join(dets, ","),
		Verdicts: string(verdicts), Action: action, Status: shequn.CaseOpen, Shadow: shadow, MessageAt: it.TS}
	if err := tx.CreateCase(ctx, c); err != nil {
		return "", err
	}
	if shadow {
		return "", nil // recorded, not done
	}
	items, err := s.actions(ctx, tx, c, warns, rule.WarnLimit)
	if err != nil {
		return "", err
	}
	if action == shequn.ActionBlocklist {
		if err := tx.Block(ctx, it.MemberID, "spam: "+c.Detectors, c.ID); err != nil {
			return "", err
		}
	}
	return action, tx.AddOutbox(ctx, items)
}

// actions are the outbox rows of a case.
func (s *moderationStage) actions(ctx context.Context, tx *sqlstore.IngestTx, c *shequn.ModerationCase, warns, limit int) ([]*shequn.OutboxItem, error) {
	item := func(community int64, platform, action string, p shequn.OutboxPayload) *shequn.OutboxItem {
		o := shequn.NewOutboxItem(c.WorkspaceID, fmt.Sprintf("case:%d:%s:%d", c.ID, action, community), platform, community, c.MemberID, action, p)
		o.CaseID = c.ID
		return o
	}
	var out []*shequn.OutboxItem
	if c.Action != shequn.ActionFlag && c.SourceID != "" {
		out = append(out, item(c.CommunityID, c.Platform, shequn.ActDelete, shequn.OutboxPayload{MessageID: c.SourceID}))
	}
	switch c.Action {
	case shequn.ActionWarn:
		text := fmt.Sprintf("⚠️ 请勿发送广告，警告 %d/%d。No ads, please: warning %d of %d.", warns, limit, warns, limit)
		out = append(out, item(c.CommunityID, c.Platform, shequn.ActSend, shequn.OutboxPayload{Text: text, MentionMember: c.MemberID}))
	case shequn.ActionMute, shequn.ActionKick, shequn.ActionBan:
		out = append(out, item(c.CommunityID, c.Platform, c.Action, shequn.OutboxPayload{Reason: "spam"}))
	case shequn.ActionBlocklist:
		groups, err := tx.ActiveCommunities(ctx, c.MemberID)
		if err != nil {
			return nil, err
		}
		groups[c.CommunityID] = c.Platform
		for id, platform := range groups {
			out = append(out, item(id, platform, shequn.ActBan, shequn.OutboxPayload{Reason: "blocklist"}))
		}
	}
	return out, nil
}

// refuse removes a blocklisted member who joins or writes again.
func (s *moderationStage) refuse(ctx context.Context, tx *sqlstore.IngestTx, it *pipeline.Item) error {
	c := &shequn.ModerationCase{CommunityID: it.CommunityID, MemberID: it.MemberID, EventID: it.ID, Platform: it.Platform,
		SourceID: it.SourceID, Text: it.Text, Reason: shequn.ReasonBlocklist, Detectors: "blocklist", Verdicts: "[]", MessageAt: it.TS,
		Action: shequn.ActionBan, Status: shequn.CaseOpen}
	if it.Kind == shequn.EventJoin {
		c.SourceID = "" // nothing to delete
	}
	if err := tx.CreateCase(ctx, c); err != nil {
		return err
	}
	items, err := s.actions(ctx, tx, c, 0, 0)
	if err != nil {
		return err
	}
	return tx.AddOutbox(ctx, items)
}

// report opens a case for the message a member replied "report" to.
func (s *moderationStage) report(ctx context.Context, tx *sqlstore.IngestTx, it *pipeline.Item) error {
	id, community, member, text, err := tx.FindEventBySource(ctx, it.Platform, it.ReplyTo)
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil // reported a message we never saw
	} else if err != nil {
		return err
	}
	reporter := it.MemberID
	c := &shequn.ModerationCase{CommunityID: community, MemberID: member, EventID: id, Platform: it.Platform, SourceID: it.ReplyTo,
		Text: text, Reason: shequn.ReasonReport, Detectors: "report", Verdicts: "[]", Action: shequn.ActionFlag,
		Status: shequn.CaseOpen, ReporterID: &reporter}
	return tx.CreateCase(ctx, c)
}

func (m *wsModeration) rule(community int64) *shequn.ModerationRule {
	if r, ok := m.rules[community]; ok {
		return r
	}
	return m.rules[0]
}

func (m *wsModeration) checker(community int64) *moderation.Checker {
	if c, ok := m.checkers[community]; ok {
		return c
	}
	return m.checkers[0]
}

// load returns the workspace's compiled moderation, rebuilt when a rule or
// a training sample changed.
func (s *moderationStage) load(ctx context.Context, ws int64) (*wsModeration, error) {
	version, err := s.db.ModerationVersion(ctx, ws)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.cache[ws]; m != nil && m.version == version {
		return m, nil
	}
	m, err := s.build(ctx, ws, version)
	if err != nil {
		return nil, err
	}
	s.cache[ws] = m
	return m, nil
}

func (s *moderationStage) build(ctx context.Context, ws int64, version string) (*wsModeration, error) {
	rules, err := s.db.FindModerationRules(ctx, ws)
	if err != nil {
		return nil, err
	}
	if rules[0] == nil {
		rules[0] = DefaultModerationRule(ws)
	}
	for _, r := range rules {
		withDefaults(r)
	}
	cls, err := trainClassifier(ctx, s.db, ws)
	if err != nil {
		return nil, err
	}
	blocked, err := s.db.BlockedMembers(ctx, ws)
	if err != nil {
		return nil, err
	}
	m := &wsModeration{version: version, rules: rules, checkers: map[int64]*moderation.Checker{}, cls: cls, blocked: blocked}
	for community, r := range rules {
		cfg, err := checkerConfig(r)
		if err != nil {
			return nil, fmt.Errorf("moderation rule of community %d: %w", community, err)
		}
		if m.checkers[community], err = moderation.NewChecker(cfg, cls); err != nil {
			return nil, fmt.Errorf("moderation rule of community %d: %w", community, err)
		}
	}
	return m, nil
}

// trainClassifier trains on the built-in samples plus the workspace's.
func trainClassifier(ctx context.Context, db *sqlstore.DB, ws int64) (*moderation.Classifier, error) {
	spam, ham, err := db.TrainingSamples(ctx, ws)
	if err != nil {
		return nil, err
	}
	return moderation.SeedClassifierWith(spam, ham), nil
}

// classifier returns the workspace's current classifier (the test box).
func (s *moderationStage) classifier(ctx context.Context, ws int64) (*moderation.Classifier, error) {
	m, err := s.load(ctx, ws)
	if err != nil {
		return nil, err
	}
	return m.cls, nil
}

// attachments are the event's files as moderation sees them.
func attachments(as []shequn.Attachment) []moderation.Attachment {
	out := make([]moderation.Attachment, len(as))
	for i, a := range as {
		out[i] = moderation.Attachment{Kind: a.Kind, MIME: a.MIME, Data: a.Data}
	}
	return out
}
