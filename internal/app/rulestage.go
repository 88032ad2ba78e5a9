package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// rulesCache keeps each workspace's automations for a short while; saving
// or deleting one drops the workspace's entry.
type rulesCache struct {
	mu sync.Mutex
	m  map[int64]cachedRules
}

type cachedRules struct {
	at    time.Time
	autos []*shequn.Automation
}

func (a *App) automations(ctx context.Context, ws int64) ([]*shequn.Automation, error) {
	a.rules.mu.Lock()
	c, ok := a.rules.m[ws]
	a.rules.mu.Unlock()
	if ok && time.Since(c.at) < 30*time.Second {
		return c.autos, nil
	}
	autos, err := a.db.FindAutomations(ctx, ws)
	if err != nil {
		return nil, err
	}
	a.rules.mu.Lock()
	a.rules.m[ws] = cachedRules{time.Now(), autos}
	a.rules.mu.Unlock()
	return autos, nil
}

func (a *App) forgetRules(ws int64) {
	a.rules.mu.Lock()
	delete(a.rules.m, ws)
	a.rules.mu.Unlock()
}

// ruleStage fires rules on events: a join, a keyword, a first message.
type ruleStage struct{ a *App }

func (ruleStage) Name() string { return "rules" }

func (s ruleStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	if b.History {
		return nil
	}
	autos, err := s.a.automations(ctx, b.Workspace.ID)
	if err != nil {
		return err
	}
	var live []*shequn.Automation
	firsts := false
	for _, au := range autos {
		if au.Enabled && au.Kind == shequn.AutomationRule {
			switch au.Trigger.Kind {
			case shequn.TriggerJoin, shequn.TriggerKeyword:
				live = append(live, au)
			case shequn.TriggerFirstMessage:
				live, firsts = append(live, au), true
			}
		}
	}
	if len(live) == 0 {
		return nil
	}
	tx := b.Tx.Act()
	groups := map[int64]*shequn.Community{}
	for _, it := range b.Items {
		if it.Moderated || it.Command || (it.Kind != shequn.EventJoin && it.Kind != shequn.EventMessage) {
			continue
		}
		first := false
		if firsts && it.Kind == shequn.EventMessage {
			if first, err = tx.FirstMessage(ctx, it.CommunityID, it.MemberID, it.TS.UnixMilli()); err != nil {
				return err
			}
		}
		for _, au := range live {
			if !fires(au, it, first) {
				continue
			}
			c := s.a.batchCommunity(ctx, b.Workspace.ID, groups, it)
			if !au.Selector.Matches(c) {
				continue
			}
			if cool, err := coolingDown(ctx, tx, au, it); err != nil || cool {
				if err != nil {
					return err
				}
				continue
			}
			sub := subject{Community: c, MemberID: it.MemberID, Key: it.Key(), At: it.TS,
				Vars: map[string]string{"name": it.ActorName, "昵称": it.ActorName, "inviter": s.a.inviterName(ctx, b.Workspace.ID, it)}, Details: map[string]any{"event": it.Key(), "text": shequn.Clip(it.Text, 200)}}
			if err := s.a.act(ctx, tx, b.Workspace, au, sub); err != nil {
				return err
			}
		}
	}
	return nil
}

func fires(au *shequn.Automation, it *pipeline.Item, first bool) bool {
	switch au.Trigger.Kind {
	case shequn.TriggerJoin:
		return it.Kind == shequn.EventJoin
	case shequn.TriggerFirstMessage:
		return first
	case shequn.TriggerKeyword:
		if it.Kind != shequn.EventMessage {
			return false
		}
		text := strings.ToLower(it.Text)
		for _, k := range au.Trigger.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(text, k) {
				return true
			}
		}
	}
	return false
}

// batchCommunity returns the item's community: from the store, or, when
// the batch itself created it, what the event says of it.
func (a *App) batchCommunity(ctx context.Context, ws int64, seen map[int64]*shequn.Community, it *pipeline.Item) *shequn.Community {
	if c, ok := seen[it.CommunityID]; ok {
		return c
	}
	c, err := a.db.FindCommunityByID(ctx, ws, it.CommunityID)
	if err != nil {
		c = &shequn.Community{ID: it.CommunityID, Platform: it.Platform, ExternalID: it.Community, Name: it.CommunityName}
	}
	seen[it.CommunityID] = c
	return c
}

// coolingDown reports whether a keyword rule already fired in the item's
// group within its cooldown (and, when not, starts one).
func coolingDown(ctx context.Context, tx *sqlstore.ActTx, au *shequn.Automation, it *pipeline.Item) (bool, error) {
	if au.Trigger.Kind != shequn.TriggerKeyword {
		return false, nil
	}
	minutes := au.Trigger.CooldownMinutes
	if minutes == 0 {
		minutes = shequn.DefaultCooldown
	}
	if minutes < 0 {
		return false, nil
	}
	slot := it.TS.Unix() / int64(minutes*60)
	first, err := tx.ClaimRun(ctx, fmt.Sprintf("cool:%d:%d:%d", au.ID, it.CommunityID, slot), au.ID)
	return !first, err
}
