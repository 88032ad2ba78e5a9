package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/platform/telegram"
	"github.com/shequn/shequn/internal/secret"
)

const token = "777:AAE-shequn-test-token-0123456789"

// TestTelegramConnector runs a Telegram connector against a Bot API server
// built from the documentation: every update type is ingested, a replay
// counts once, a spam message is deleted and its sender removed, and a
// failing sendMessage is retried, then shown on the connector.
func TestTelegramConnector(t *testing.T) {
	fake := newFake(t, token)
	data, _ := os.ReadFile("testdata/updates.json")
	var ups []string
	for _, line := range strings.Split(strings.Trim(string(data), "[]\n "), "\n {\"update_id\"") {
		if line = strings.TrimSuffix(strings.TrimSpace(line), ","); line != "" {
			if !strings.HasPrefix(line, "{") {
				line = "{\"update_id\"" + line
			}
			ups = append(ups, line)
		}
	}
	fake.push(ups...)

	a, ws := apptest.New(t, "tg", "UTC")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{3}, 32))
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	rule, _ := a.ModerationRule(ctx, ws, 0)
	rule.Action = shequn.ActionKick
	if err := a.SaveModerationRule(ctx, owner, ws, rule); err != nil {
		t.Fatal(err)
	}
	m := connector.NewManager(a, apptest.DB(t, a), connector.Registry{"telegram": telegram.New}, a.Log)
	a.UseConnectors(m)
	c, err := a.CreateConnector(ctx, ws, owner, "telegram", "bot", fmt.Sprintf(`{"api_url":%q}`, fake.URL), token)
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	m.Every, m.Outbox.Idle = 100*time.Millisecond, 50*time.Millisecond
	go m.Run(ctx)

	messages := func() int { return apptest.Count(t, a, "SELECT count(*) FROM events WHERE kind = 'message'") }
	apptest.Eventually(t, "the updates ingested", func() bool { return messages() == 3 })
	if n := apptest.Count(t, a, "SELECT count(*) FROM events WHERE kind = 'join'"); n != 2 {
		t.Errorf("%d joins, want 2 (one join seen twice counts once)", n)
	}
	if n := apptest.Count(t, a, `SELECT count(*) FROM memberships ms JOIN identities i ON i.member_id = ms.member_id JOIN identities inv ON inv.member_id = ms.invited_by
		WHERE i.external_id = '111' AND inv.external_id = '999' AND ms.join_source = '双十一海报'`); n != 1 {
		t.Errorf("Ann's join lacks the inviter or the invite link's name")
	}
	if n := apptest.Count(t, a, `SELECT count(*) FROM questions q JOIN events e ON e.id = q.answer_event_id
		WHERE e.platform = 'telegram' AND e.source_id = '-1001234567890:7'`); n != 1 {
		t.Errorf("the reply did not answer the question")
	}
	// A replay of every update counts nothing twice.
	fake.mu.Lock()
	fake.again = true
	fake.mu.Unlock()
	fake.push(`{"update_id": 111, "message": {"message_id": 20, "from": {"id": 555, "is_bot": false, "first_name": "Ad"}, "chat": {"id": -1001234567890, "title": "Go 学习群", "type": "supergroup"}, "date": 1772326900, "text": "兼职刷单，日结300，加微信 abc8888 详聊"}}`)
	apptest.Eventually(t, "the spam deleted and its sender removed", func() bool {
		return len(fake.called("deleteMessage")) == 1 && len(fake.called("unbanChatMember")) == 1
	})
	if messages() != 4 {
		t.Errorf("%d messages after a replay, want 4", messages())
	}
	del := fake.called("deleteMessage")[0].Params
	ban := fake.called("banChatMember")[0].Params
	if del["chat_id"] != "-1001234567890" || del["message_id"] != "20" || ban["user_id"] != "555" {
		t.Errorf("delete %v, ban %v", del, ban)
	}
	// A picture with a QR code: fetched with getFile, checked, deleted.
	bm, _ := qrcode.NewQRCodeWriter().Encode("https://u.wechat.com/join-this-group", gozxing.BarcodeFormat_QR_CODE, 200, 200, nil)
	var pic bytes.Buffer
	png.Encode(&pic, bm)
	fake.mu.Lock()
	fake.files["AgACqr"] = pic.Bytes()
	fake.mu.Unlock()
	fake.push(`{"update_id": 112, "message": {"message_id": 21, "from": {"id": 556, "is_bot": false, "first_name": "Qr"}, "chat": {"id": -1001234567890, "title": "Go 学习群", "type": "supergroup"}, "date": 1772326950,
		"photo": [{"file_id": "AgACsmall", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1200}, {"file_id": "AgACqr", "file_unique_id": "q", "width": 200, "height": 200, "file_size": ` + strconv.Itoa(pic.Len()) + `}], "caption": "扫码看看"}}`)
	apptest.Eventually(t, "the QR picture deleted", func() bool { return len(fake.called("deleteMessage")) == 2 })
	if n := apptest.Count(t, a, "SELECT count(*) FROM moderation_cases WHERE detectors LIKE '%qrcode%' AND verdicts LIKE '%join-this-group%'"); n != 1 {
		t.Errorf("%d QR cases, want 1", n)
	}
	if n := apptest.Count(t, a, `SELECT count(*) FROM events WHERE source_id = '-1001234567890:21' AND attachments LIKE '%"kind":"image"%' AND attachments NOT LIKE '%"data"%'`); n != 1 {
		t.Errorf("%d events keep the picture's kind and size without its bytes, want 1", n)
	}
	// A failing send is retried and shown on the connector.
	fake.mu.Lock()
	fake.fail["sendMessage"] = 1
	fake.mu.Unlock()
	cs, _ := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	if _, err := a.CreateBroadcast(ctx, ws, owner, "今晚直播", shequn.Selector{CommunityIDs: []int64{cs[0].ID}}, 0); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the broadcast sent after a retry", func() bool { return len(fake.called("sendMessage")) == 2 })
	got, _ := apptest.DB(t, a).FindConnector(ctx, ws.ID, c.ID)
	if !strings.Contains(got.LastError, "Internal Server Error") || strings.Contains(got.LastError, token) {
		t.Errorf("connector last error %q", got.LastError)
	}
	inviteLinkTarget(t, a, ws, fake, cs[0])
}

// inviteLinkTarget adds the group to a pool live code by an invite link:
// the link is named with the code's channel code and expires with the
// target, its QR is the link, and a join through it carries the code.
func inviteLinkTarget(t *testing.T, a *app.App, ws *shequn.Workspace, fake *fakeAPI, g *shequn.Community) {
	ctx := context.Background()
	code := &shequn.LiveCode{Slug: "go-study", Name: "Go 学习群", State: "tg-spring"}
	if err := a.SaveLiveCode(ctx, ws, nil, code); err != nil {
		t.Fatal(err)
	}
	target := &shequn.LiveTarget{LiveCodeID: code.ID, CommunityID: g.ID, Days: 30, Invite: true}
	if err := a.AddInviteTarget(ctx, ws, nil, target); err != nil {
		t.Fatal(err)
	}
	call := fake.called("createChatInviteLink")[0].Params
	if call["name"] != "tg-spring" || call["chat_id"] != "-1001234567890" || call["expire_date"] != strconv.FormatInt(target.ExpiresAt.Unix(), 10) {
		t.Errorf("createChatInviteLink %v", call)
	}
	_, img, err := a.LiveTargetImage(ctx, ws, code.ID, target.ID)
	if text, ok := moderation.DecodeQR(img); err != nil || !ok || text != "https://t.me/+Lc1" || target.QRText != text || !target.OpensInApp() {
		t.Errorf("the target's QR reads %q (%v), want the link", text, err)
	}
	if err := a.AddInviteTarget(ctx, ws, nil, &shequn.LiveTarget{LiveCodeID: code.ID, CommunityID: 99999, Invite: true}); shequn.ErrorField(err) != "community_id" {
		t.Errorf("an invite link to an unknown group: %v", err)
	}
	fake.push(`{"update_id": 120, "chat_member": {"chat": {"id": -1001234567890, "title": "Go 学习群", "type": "supergroup"}, "from": {"id": 131, "is_bot": false, "first_name": "Cai"}, "date": 1772327000,
		"old_chat_member": {"status": "left", "user": {"id": 131, "is_bot": false, "first_name": "Cai"}}, "new_chat_member": {"status": "member", "user": {"id": 131, "is_bot": false, "first_name": "Cai"}},
		"invite_link": {"invite_link": "https://t.me/+Lc1", "creator": {"id": 777, "is_bot": true, "first_name": "shequn"}, "creates_join_request": false, "is_primary": false, "is_revoked": false, "name": "tg-spring"}}}`)
	apptest.Eventually(t, "the join through the invite link", func() bool {
		return apptest.Count(t, a, "SELECT count(*) FROM memberships WHERE join_source = 'tg-spring'") == 1
	})
}

// captureSink records what a webhook delivers.
type captureSink struct{ events []shequn.EventInput }

func (s *captureSink) Deliver(_ context.Context, evs []shequn.EventInput) error {
	s.events = append(s.events, evs...)
	return nil
}
func (s *captureSink) SaveState(context.Context, string) error { return nil }
func (s *captureSink) State() string                           { return "" }

func TestTelegramWebhook(t *testing.T) {
	fake := newFake(t, token)
	p, err := telegram.New(&shequn.Connector{Config: fmt.Sprintf(`{"mode":"webhook","api_url":%q,"webhook_url":"https://shequn.example/hooks/telegram/1"}`, fake.URL)}, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	ad := p.(*telegram.Adapter)
	sink := &captureSink{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ad.Run(ctx, sink)
	apptest.Eventually(t, "setWebhook", func() bool { return len(fake.called("setWebhook")) == 1 })
	if got := fake.called("setWebhook")[0].Params; got["secret_token"] != ad.WebhookSecret() || got["url"] != "https://shequn.example/hooks/telegram/1" {
		t.Fatalf("setWebhook %v", got)
	}
	hook := httptest.NewServer(ad.Hook())
	defer hook.Close()
	update := `{"update_id": 5, "message": {"message_id": 3, "from": {"id": 111, "is_bot": false, "first_name": "Ann"}, "chat": {"id": -100, "title": "g", "type": "supergroup"}, "date": 1772326800, "text": "hi"}}`
	post := func(secret string) int {
		req, _ := http.NewRequest("POST", hook.URL, strings.NewReader(update))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, bad := range []string{"", "wrong", strings.ToUpper(ad.WebhookSecret())} {
		if code := post(bad); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", bad, code)
		}
	}
	if len(sink.events) != 0 {
		t.Fatalf("a refused update was delivered: %v", sink.events)
	}
	if code := post(ad.WebhookSecret()); code != 200 || len(sink.events) != 1 || sink.events[0].Text != "hi" {
		t.Fatalf("good update: %d %v", code, sink.events)
	}
	if strings.Contains(ad.WebhookSecret(), "AAE-shequn") {
		t.Fatal("the webhook secret reveals the bot token")
	}
}

// TestTelegramWebhookThroughServer: the connector in webhook mode behind
// shequn's own HTTP server (/hooks/telegram/{id}); a forged call stores
// nothing, a signed one is stored once even when delivered twice.
func TestTelegramWebhookThroughServer(t *testing.T) {
	fake := newFake(t, token)
	a, ws := apptest.New(t, "tgh", "UTC")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{4}, 32))
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	m := connector.NewManager(a, apptest.DB(t, a), connector.Registry{"telegram": telegram.New}, a.Log)
	a.UseConnectors(m)
	c, err := a.CreateConnector(ctx, ws, owner, "telegram", "bot", fmt.Sprintf(`{"mode":"webhook","api_url":%q,"webhook_url":"https://x/hooks/telegram/1"}`, fake.URL), token)
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	m.Every = 50 * time.Millisecond
	go m.Run(ctx)
	srv := httptest.NewServer(httpapi.New(a, nil))
	defer srv.Close()
	apptest.Eventually(t, "setWebhook", func() bool { return len(fake.called("setWebhook")) == 1 })
	secretToken := fake.called("setWebhook")[0].Params["secret_token"]
	update := `{"update_id": 9, "message": {"message_id": 4, "from": {"id": 111, "is_bot": false, "first_name": "Ann"}, "chat": {"id": -100, "title": "g", "type": "supergroup"}, "date": 1772326800, "text": "你好"}}`
	post := func(secret string) int {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/hooks/telegram/%d", srv.URL, c.ID), strings.NewReader(update))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	apptest.Eventually(t, "the hook to be served", func() bool { _, ok := m.Hook(c.ID); return ok })
	if code := post("forged"); code != 401 {
		t.Fatalf("forged: %d", code)
	}
	if n := apptest.Count(t, a, "SELECT count(*) FROM events"); n != 0 {
		t.Fatalf("a forged update stored %d events", n)
	}
	for range 2 {
		if code := post(secretToken); code != 200 {
			t.Fatalf("signed: %d", code)
		}
	}
	if n := apptest.Count(t, a, "SELECT count(*) FROM events"); n != 1 {
		t.Fatalf("%d events for one update delivered twice", n)
	}
}

// TestTelegramActions: each outbox action becomes the documented Bot API
// call with the right parameters.
func TestTelegramActions(t *testing.T) {
	fake := newFake(t, token)
	p, err := telegram.New(&shequn.Connector{Config: fmt.Sprintf(`{"api_url":%q}`, fake.URL)}, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		action, payload, method string
		want                    map[string]string
	}{
		{"send", `{"text":"早安"}`, "sendMessage", map[string]string{"chat_id": "-100", "text": "早安"}},
		{"reply", `{"text":"看公告","reply_to":"-100:42"}`, "sendMessage", map[string]string{"chat_id": "-100", "reply_parameters": `"message_id":42`}},
		{"dm", `{"text":"欢迎"}`, "sendMessage", map[string]string{"chat_id": "555", "text": "欢迎"}},
		{"delete", `{"message_id":"-100:7"}`, "deleteMessage", map[string]string{"chat_id": "-100", "message_id": "7"}},
		{"mute", `{}`, "restrictChatMember", map[string]string{"chat_id": "-100", "user_id": "555", "permissions": `"can_send_audios":false`}},
		{"unmute", `{}`, "restrictChatMember", map[string]string{"user_id": "555", "permissions": `"can_send_messages":true`}},
		{"ban", `{}`, "banChatMember", map[string]string{"chat_id": "-100", "user_id": "555"}},
		{"unban", `{}`, "unbanChatMember", map[string]string{"user_id": "555", "only_if_banned": "true"}},
	}
	for _, c := range cases {
		before := len(fake.called(c.method))
		it := &shequn.OutboxItem{Action: c.action, Payload: c.payload, CommunityRef: "-100", MemberRef: "555", IdempotencyKey: "k"}
		if err := p.Send(context.Background(), it); err != nil {
			t.Fatalf("%s: %v", c.action, err)
		}
		calls := fake.called(c.method)
		if len(calls) != before+1 {
			t.Fatalf("%s: %s not called", c.action, c.method)
		}
		for k, v := range c.want {
			if got := calls[len(calls)-1].Params[k]; !strings.Contains(got, v) {
				t.Errorf("%s: %s = %q, want it to hold %q", c.action, k, got, v)
			}
		}
	}
	if err := p.Send(context.Background(), &shequn.OutboxItem{Action: "teleport", CommunityRef: "-100"}); err == nil {
		t.Error("an unknown action was accepted")
	}
}
