package wecom

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/shequn/shequn"
)

// Config is a WeCom connector's settings.
type Config struct {
	CorpID string `json:"corp_id"`
	// Robots maps a group's chat_id to its group robot webhook URL (群机器人),
	// through which messages are sent to the group.
	Robots map[string]string `json:"robots,omitempty"`
	// ReconcileMinutes: how often groupchat/list is compared with what
	// shequn knows (default 60).
	ReconcileMinutes int `json:"reconcile_minutes,omitempty"`
	// APIURL replaces https://qyapi.weixin.qq.com.
	APIURL string `json:"api_url,omitempty"`
}

// Secret is what the connector's secret holds (JSON): the customer-contact
// secret and the callback's token and EncodingAESKey.
type Secret struct {
	CorpSecret     string `json:"corp_secret"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encoding_aes_key"`
}

// Adapter is a running WeCom connector.
type Adapter struct {
	cfg    Config
	crypto *Crypto
	api    *api
	log    *slog.Logger

	mu      sync.Mutex
	sink    shequn.Sink
	members map[string]map[string]bool // chat → members seen in the last groupchat/get
}

var (
	_ shequn.Platform = (*Adapter)(nil)
	_ shequn.Hooked   = (*Adapter)(nil)
	_ shequn.Tester   = (*Adapter)(nil)
)

// New builds an adapter from a connector.
func New(c *shequn.Connector, secret string, log *slog.Logger) (shequn.Platform, error) {
	var cfg Config
	var s Secret
	if err := json.Unmarshal([]byte(c.Config), &cfg); err != nil || cfg.CorpID == "" {
		return nil, errors.New("wecom: config needs corp_id")
	}
	if err := json.Unmarshal([]byte(secret), &s); err != nil || s.CorpSecret == "" || s.Token == "" {
		return nil, errors.New(`wecom: the secret must be {"corp_secret":…,"token":…,"encoding_aes_key":…}`)
	}
	cr, err := NewCrypto(s.Token, s.EncodingAESKey, cfg.CorpID)
	if err != nil {
		return nil, err
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://qyapi.weixin.qq.com"
	}
	if cfg.ReconcileMinutes <= 0 {
		cfg.ReconcileMinutes = 60
	}
	if log == nil {
		log = slog.Default()
	}
	a := &api{base: strings.TrimRight(cfg.APIURL, "/"), corpID: cfg.CorpID, secret: s.CorpSecret, client: &http.Client{Timeout: 20 * time.Second}}
	return &Adapter{cfg: cfg, crypto: cr, api: a, log: log, members: map[string]map[string]bool{}}, nil
}

// Platform names the platform.
func (a *Adapter) Platform() string { return "wecom" }

// Test fetches an access token.
func (a *Adapter) Test(ctx context.Context) (string, error) {
	if _, err := a.api.accessToken(ctx, true); err != nil {
		return "", err
	}
	return "corp " + a.cfg.CorpID, nil
}

// Run reconciles at once and then every ReconcileMinutes, and serves the
// callback (Hook) while it runs.
func (a *Adapter) Run(ctx context.Context, sink shequn.Sink) error {
	a.mu.Lock()
	a.sink = sink
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.sink = nil
		a.mu.Unlock()
	}()
	t := time.NewTicker(time.Duration(a.cfg.ReconcileMinutes) * time.Minute)
	defer t.Stop()
	for {
		if err := a.Reconcile(ctx, sink); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Reconcile reads every customer group and delivers its members' joins
// (ids make repeats count once) and the leaves of members seen before.
func (a *Adapter) Reconcile(ctx context.Context, sink shequn.Sink) error {
	ids, err := a.api.groupChats(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		gc, err := a.api.groupChat(ctx, id)
		if err != nil {
			return err
		}
		if err := sink.Deliver(ctx, a.diff(gc, time.Now().Unix(), 0)); err != nil {
			return err
		}
	}
	return nil
}

// diff returns the joins of gc's members and the leaves of members gone
// since the last look, and remembers the members.
func (a *Adapter) diff(gc *groupChat, at int64, quitScene int) []shequn.EventInput {
	a.mu.Lock()
	defer a.mu.Unlock()
	before := a.members[gc.ChatID]
	now := map[string]bool{}
	var out []shequn.EventInput
	for _, m := range gc.Members {
		now[m.UserID] = true
		out = append(out, joinEvent(gc, m))
	}
	for u := range before {
		if !now[u] {
			out = append(out, leaveEvent(gc, u, at, quitScene))
		}
	}
	a.members[gc.ChatID] = now
	return out
}

// joinEvent is a member's join; its source is the channel code (state) of
// the join way it came through, else how it joined.
func joinEvent(gc *groupChat, m member) shequn.EventInput {
	e := shequn.EventInput{ID: fmt.Sprintf("join:%s:%s:%d", gc.ChatID, m.UserID, m.JoinTime), Platform: "wecom", Community: gc.ChatID,
		CommunityName: gc.Name, Actor: m.UserID, ActorName: orName(m.GroupNickname, m.Name, m.UserID), Kind: "join",
		TS: time.Unix(m.JoinTime, 0).UTC().Format(time.RFC3339), Source: cmp.Or(shequn.Clip(m.State, 30), joinScene(m.JoinScene))}
	if m.Invitor != nil && m.Invitor.UserID != m.UserID {
		e.Inviter = m.Invitor.UserID
	}
	return e
}

// leaveEvent: QuitScene 0 left by themselves, 1 removed by the owner or an admin.
func leaveEvent(gc *groupChat, user string, at int64, quitScene int) shequn.EventInput {
	e := shequn.EventInput{ID: fmt.Sprintf("leave:%s:%s:%d", gc.ChatID, user, at), Platform: "wecom", Community: gc.ChatID, CommunityName: gc.Name,
		Actor: user, Kind: "leave", TS: time.Unix(at, 0).UTC().Format(time.RFC3339)}
	if quitScene == 1 {
		e.Kind, e.Actor, e.Target = "kick", gc.Owner, user
	}
	return e
}

func joinScene(s int) string {
	switch s {
	case 1:
		return "invited"
	case 2:
		return "invite_link"
	case 3:
		return "qr_code"
	}
	return "unknown"
}

func orName(names ...string) string {
	for _, n := range names {
		if n != "" {
			return n
		}
	}
	return ""
}

// event is the decrypted callback XML of change_external_chat.
type event struct {
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Event        string   `xml:"Event"`
	ChatID       string   `xml:"ChatId"`
	ChangeType   string   `xml:"ChangeType"`
	UpdateDetail string   `xml:"UpdateDetail"`
	JoinScene    int      `xml:"JoinScene"`
	QuitScene    int      `xml:"QuitScene"`
	MemChange    []string `xml:"MemChangeList>Item"`
}

// Hook is the callback URL: GET verifies it (echostr), POST carries
// events. A wrong msg_signature is refused with 401 and nothing is stored.
func (a *Adapter) Hook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		sig, ts, nonce := q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
		if r.Method == http.MethodGet {
			echo, err := a.crypto.Open(sig, ts, nonce, q.Get("echostr"))
			if err != nil {
				http.Error(w, "verification failed", http.StatusUnauthorized)
				return
			}
			w.Write(echo)
			return
		}
		var env struct {
			Encrypt string `xml:"Encrypt"`
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err := xml.Unmarshal(body, &env); err != nil {
			http.Error(w, "not XML", http.StatusBadRequest)
			return
		}
		plain, err := a.crypto.Open(sig, ts, nonce, env.Encrypt)
		if err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if err := a.handle(r.Context(), plain); err != nil {
			a.log.Warn("wecom callback", "err", err)
			http.Error(w, "not stored", http.StatusInternalServerError) // WeCom retries
			return
		}
		w.Write([]byte("success"))
	})
}

// handle maps one decrypted event and delivers it.
func (a *Adapter) handle(ctx context.Context, plain []byte) error {
	var ev event
	if err := xml.Unmarshal(plain, &ev); err != nil {
		return fmt.Errorf("event XML: %w", err)
	}
	if ev.Event != "change_external_chat" || ev.ChatID == "" || ev.ChangeType == "dismiss" {
		return nil // other events; a dismissed group has no members to read
	}
	a.mu.Lock()
	sink := a.sink
	a.mu.Unlock()
	if sink == nil {
		return errors.New("connector not running")
	}
	gc, err := a.api.groupChat(ctx, ev.ChatID)
	if err != nil {
		return err
	}
	evs := a.diff(gc, ev.CreateTime, ev.QuitScene)
	for _, u := range ev.MemChange { // leavers named by the event itself
		if ev.UpdateDetail == "del_member" && !hasMember(gc, u) && !hasEvent(evs, "leave:"+gc.ChatID+":"+u+":") {
			evs = append(evs, leaveEvent(gc, u, ev.CreateTime, ev.QuitScene))
		}
	}
	return sink.Deliver(ctx, evs)
}

func hasMember(gc *groupChat, u string) bool {
	for _, m := range gc.Members {
		if m.UserID == u {
			return true
		}
	}
	return false
}

func hasEvent(evs []shequn.EventInput, prefix string) bool {
	for _, e := range evs {
		if strings.HasPrefix(e.ID, prefix) {
			return true
		}
	}
	return false
}

// Send posts a message to a group through its robot webhook. WeCom offers
// no API to delete, mute or remove in customer groups: those rows fail
// with a clear error and are left to the group owner.
func (a *Adapter) Send(ctx context.Context, it *shequn.OutboxItem) error {
	if it.Action != shequn.ActSend && it.Action != shequn.ActReply {
		return fmt.Errorf("wecom: %s is not possible in customer groups (no API); the owner does it in WeCom", it.Action)
	}
	robot := a.cfg.Robots[it.CommunityRef]
	if robot == "" {
		return fmt.Errorf("wecom: no group robot configured for %s", it.CommunityRef)
	}
	p, err := it.DecodePayload()
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"msgtype": "text", "text": map[string]any{"content": p.Text}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, robot, bytes.NewReader(body))
	if err != nil {
		return errors.New("wecom: bad robot URL")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.api.client.Do(req)
	if err != nil {
		return fmt.Errorf("wecom robot: %w", withoutURL(err))
	}
	defer resp.Body.Close()
	var e apiError
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode/100 != 2 || e.Code != 0 {
		return fmt.Errorf("wecom robot: HTTP %d, errcode %d %s", resp.StatusCode, e.Code, e.Msg)
	}
	return nil
}
