package app

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/pipeline"
	"github.com/shequn/shequn/internal/schedule"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// IntroWindow is how long after joining a message can be the newcomer's
// self-introduction.
const IntroWindow = 72 * time.Hour

// welcomeStage greets newcomers (batched: one message for everyone who
// joined within the window) and notices their self-introductions.
type welcomeStage struct {
	a     *App
	mu    sync.Mutex
	cache map[int64]cachedWelcome
}

type cachedWelcome struct {
	at time.Time
	s  map[int64]shequn.WelcomeSettings
}

func (*welcomeStage) Name() string { return "welcome" }

func (s *welcomeStage) settings(ctx context.Context, ws int64) (map[int64]shequn.WelcomeSettings, error) {
	s.mu.Lock()
	c, ok := s.cache[ws]
	s.mu.Unlock()
	if ok && time.Since(c.at) < 30*time.Second {
		return c.s, nil
	}
	m, err := s.a.db.FindWelcome(ctx, ws)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache[ws] = cachedWelcome{time.Now(), m}
	s.mu.Unlock()
	return m, nil
}

func (s *welcomeStage) forget(ws int64) {
	s.mu.Lock()
	delete(s.cache, ws)
	s.mu.Unlock()
}

// welcomeFor returns a community's settings: its own, else the default.
func welcomeFor(m map[int64]shequn.WelcomeSettings, community int64) shequn.WelcomeSettings {
	if w, ok := m[community]; ok {
		return w
	}
	if w, ok := m[0]; ok {
		return w
	}
	return shequn.DefaultWelcome
}

type welcomeBatch struct {
	c        *shequn.Community
	w        shequn.WelcomeSettings
	names    []string
	inviters []string
	due      time.Time
	first    string // the first join's event key (a late welcome's key)
}

func (s *welcomeStage) Apply(ctx context.Context, b *pipeline.Batch) error {
	m, err := s.settings(ctx, b.Workspace.ID)
	if err != nil {
		return err
	}
	tx := b.Tx.Act()
	groups := map[int64]*shequn.Community{}
	batches := map[string]*welcomeBatch{}
	var keys []string
	for _, it := range b.Items {
		if it.Moderated {
			continue
		}
		switch it.Kind {
		case shequn.EventJoin:
			w := welcomeFor(m, it.CommunityID)
			if !w.Enabled || b.History {
				continue
			}
			window := int64(max(w.BatchSeconds, 1))
			bucket := it.TS.Unix() / window
			key := "welcome:" + strconv.FormatInt(it.CommunityID, 10) + ":" + strconv.FormatInt(bucket, 10)
			wb, ok := batches[key]
			if !ok {
				wb = &welcomeBatch{c: s.a.batchCommunity(ctx, b.Workspace.ID, groups, it), w: w, due: time.Unix((bucket+1)*window, 0), first: it.Key()}
				batches[key] = wb
				keys = append(keys, key)
			}
			wb.names = append(wb.names, orName(it.ActorName, it.Actor))
			if inv := s.a.inviterName(ctx, b.Workspace.ID, it); inv != "" && !slices.Contains(wb.inviters, inv) {
				wb.inviters = append(wb.inviters, inv)
			}
		case shequn.EventMessage:
			if !IsIntro(it.Text) {
				continue
			}
			if _, err := tx.MarkIntro(ctx, it.CommunityID, it.MemberID, it.TS.UnixMilli(), it.TS.Add(-IntroWindow).UnixMilli()); err != nil {
				return err
			}
		}
	}
	for _, key := range keys {
		if err := greet(ctx, tx, b.Workspace, key, batches[key]); err != nil {
			return err
		}
	}
	return nil
}

// greet writes (or, when the window's message is still pending, extends)
// the welcome message of one window. Joins that arrive after the window's
// message went out (a platform's late delivery) get a message of their
// own, keyed by the first of them, so that nobody is left unwelcomed.
func greet(ctx context.Context, tx *sqlstore.ActTx, ws *shequn.Workspace, key string, wb *welcomeBatch) error {
	old, err := tx.PendingPayload(ctx, key)
	if err != nil {
		return err
	}
	if old == "" {
		status, err := tx.OutboxStatus(ctx, key)
		if err != nil {
			return err
		}
		if status != "" { // sending or done already: a late welcome
			key += "+" + wb.first
		}
	}
	if old != "" {
		pending := shequn.OutboxItem{IdempotencyKey: key, Payload: old}
		if p, err := pending.DecodePayload(); err == nil {
			wb.names, wb.inviters = append(p.Names, wb.names...), append(p.Inviters, wb.inviters...)
			pending.SetPayload(shequn.OutboxPayload{Text: welcomeText(wb.c, wb.w, wb.names, wb.inviters), Names: wb.names, Inviters: wb.inviters})
			return tx.SetPendingPayload(ctx, key, pending.Payload)
		}
	}
	row := shequn.NewOutboxItem(ws.ID, key, wb.c.Platform, wb.c.ID, 0, shequn.ActSend,
		shequn.OutboxPayload{Text: welcomeText(wb.c, wb.w, wb.names, wb.inviters), Names: wb.names, Inviters: wb.inviters})
	row.DueAt = wb.due
	return tx.AddOutbox(ctx, []*shequn.OutboxItem{row})
}

// introCues mark a self-introduction.
var introCues = regexp.MustCompile(`(?i)(自我介绍|我是|我叫|本人|坐标|来自|现居|从事|职业|工作|在.{1,8}(上班|工作|读书)|大家好|my name is|i'?m from|i am from|introduce myself|i work (as|at|in)|i'?m an? |based in|hi (all|everyone))`)

// IsIntro reports whether text reads as a self-introduction: two cues, or
// one in a message of some length.
func IsIntro(text string) bool {
	if !maybeIntro(text) {
		return false // most messages: no cue word at all, no regexp
	}
	cues := introCues.FindAllStringIndex(text, -1)
	switch {
	case len(cues) >= 2:
		return true
	case len(cues) == 1:
		return utf8.RuneCountInString(text) >= 15 && !strings.HasSuffix(strings.TrimSpace(text), "?")
	}
	return false
}

func orName(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func welcomeText(c *shequn.Community, w shequn.WelcomeSettings, names, inviters []string) string {
	inv := strings.Join(inviters, "、")
	return schedule.Render(w.Text, map[string]string{"name": strings.Join(names, "、"), "昵称": strings.Join(names, "、"), "inviter": inv, "邀请人": inv,
		"group": c.Name, "群名": c.Name, "rules": c.Rules, "群规": c.Rules, "intro": w.IntroPrompt})
}

// Welcome returns the default settings and each community's own.
func (a *App) Welcome(ctx context.Context, ws *shequn.Workspace) (map[int64]shequn.WelcomeSettings, error) {
	m, err := a.db.FindWelcome(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := m[0]; !ok {
		m[0] = shequn.DefaultWelcome
	}
	return m, nil
}

// SaveWelcome stores the default (community 0) or a community's own
// settings; nil for a community makes it use the default again.
func (a *App) SaveWelcome(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, community int64, w *shequn.WelcomeSettings) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if community != 0 {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, community); err != nil {
			return err
		}
	}
	if w != nil {
		switch {
		case w.Enabled && strings.TrimSpace(w.Text) == "":
			return shequn.Invalid("text", "text: required when enabled")
		case len(w.Text) > 4000:
			return shequn.Invalid("text", "text: at most 4000 bytes")
		case len(w.IntroPrompt) > 1000:
			return shequn.Invalid("intro_prompt", "intro_prompt: at most 1000 bytes")
		case w.BatchSeconds < 0 || w.BatchSeconds > 3600:
			return shequn.Invalid("batch_seconds", "batch_seconds: 0 to 3600")
		}
		if w.BatchSeconds == 0 {
			w.BatchSeconds = 1
		}
	} else if community == 0 {
		return shequn.Errorf(shequn.EINVALID, "the default settings cannot be removed")
	}
	defer a.welcome.forget(ws.ID)
	return a.db.SaveWelcome(ctx, ws.ID, community, w)
}

// inviterName is the display name of a join's inviter, or its platform id
// when the inviter is not known yet.
func (a *App) inviterName(ctx context.Context, ws int64, it *pipeline.Item) string {
	if it.InviterID == 0 {
		return ""
	}
	if m, err := a.db.FindMemberByID(ctx, ws, it.InviterID); err == nil && m.DisplayName != "" {
		return m.DisplayName
	}
	return it.Inviter
}

// introWords are literals every introduction cue contains one of.
var introWords = []string{"自我介绍", "我是", "我叫", "本人", "坐标", "来自", "现居", "从事", "职业", "工作", "上班", "读书", "大家好",
	"name", "i'm", "im ", "i am", "introduce", "i work", "based", "hi all", "hi everyone"}

func maybeIntro(text string) bool {
	t := strings.ToLower(text)
	for _, w := range introWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
