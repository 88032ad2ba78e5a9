package wecom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/platform/wecom"
	"github.com/shequn/shequn/internal/secret"
)

const (
	corpID = "ww-shequn-test"
	aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	cbTok  = "QDG6eK"
	chat   = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"
)

// fakeWeCom serves the documented requests and responses of gettoken,
// externalcontact/groupchat/list and /get, and a group robot webhook.
type fakeWeCom struct {
	*httptest.Server
	mu       sync.Mutex
	members  []map[string]any
	tokens   int
	expireOn int // the next groupchat/get answers errcode 42001 this many times
	robot    []string
	robotErr int
	// extra groups (groupchat/list and /get) and join ways, for live codes
	extra    []*fakeChat
	ways     map[string]map[string]any
	wayCalls []string
	wayFail  int // the next join way calls answer errcode 45009 this many times
	qr       []byte
}

type fakeChat struct {
	id, name string
	members  []map[string]any
}

func newFake(t *testing.T) *fakeWeCom {
	f := &fakeWeCom{members: []map[string]any{
		{"userid": "owner01", "type": 1, "join_time": 1772326800, "join_scene": 1, "name": "群主"},
		{"userid": "wmCust1", "type": 2, "join_time": 1772326900, "join_scene": 2, "invitor": map[string]any{"userid": "owner01"}, "name": "客户甲", "state": "poster-spring"},
	}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeWeCom) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	switch r.URL.Path {
	case "/cgi-bin/gettoken":
		if r.URL.Query().Get("corpsecret") != "app-secret-XYZ" {
			enc.Encode(map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
			return
		}
		f.tokens++
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "access_token": fmt.Sprintf("tok%d", f.tokens), "expires_in": 7200})
	case "/cgi-bin/externalcontact/groupchat/list":
		list := []map[string]any{{"chat_id": chat, "status": 0}}
		for _, c := range f.extra {
			list = append(list, map[string]any{"chat_id": c.id, "status": 0})
		}
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "group_chat_list": list, "next_cursor": ""})
	case "/cgi-bin/externalcontact/groupchat/get":
		var req struct {
			ChatID string `json:"chat_id"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		for _, c := range f.extra {
			if c.id == req.ChatID {
				enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "group_chat": map[string]any{"chat_id": c.id, "name": c.name, "owner": "owner01",
					"create_time": 1772326800, "member_list": c.members}})
				return
			}
		}
		if f.expireOn > 0 {
			f.expireOn--
			enc.Encode(map[string]any{"errcode": 42001, "errmsg": "access_token expired"})
			return
		}
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "group_chat": map[string]any{"chat_id": chat, "name": "客户群1", "owner": "owner01",
			"create_time": 1772326800, "member_list": f.members}})
	case "/robot/send":
		body, _ := io.ReadAll(r.Body)
		if f.robotErr > 0 {
			f.robotErr--
			enc.Encode(map[string]any{"errcode": 45009, "errmsg": "api freq out of limit"})
			return
		}
		f.robot = append(f.robot, string(body))
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok"})
	case "/cgi-bin/externalcontact/groupchat/add_join_way", "/cgi-bin/externalcontact/groupchat/update_join_way",
		"/cgi-bin/externalcontact/groupchat/get_join_way", "/cgi-bin/externalcontact/groupchat/del_join_way":
		f.joinWay(enc, r)
	case "/qr.png":
		w.Header().Set("Content-Type", "image/png")
		w.Write(f.qr)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// joinWay serves the join way calls as documented: add checks scene,
// chat_id_list (1 to 5 chats) and state (≤ 30), answers config_id; get
// answers join_way with its qr_code; update and del need a known id.
func (f *fakeWeCom) joinWay(enc *json.Encoder, r *http.Request) {
	if r.URL.Query().Get("access_token") == "" {
		enc.Encode(map[string]any{"errcode": 41001, "errmsg": "access_token missing"})
		return
	}
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	op := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/cgi-bin/externalcontact/groupchat/"), "_join_way")
	f.wayCalls = append(f.wayCalls, op)
	if f.wayFail > 0 {
		f.wayFail--
		enc.Encode(map[string]any{"errcode": 45009, "errmsg": "api freq out of limit"})
		return
	}
	id, _ := body["config_id"].(string)
	if op != "add" && f.ways[id] == nil {
		enc.Encode(map[string]any{"errcode": 41044, "errmsg": "invalid config_id"})
		return
	}
	switch op {
	case "get":
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "join_way": f.ways[id]})
		return
	case "del":
		delete(f.ways, id)
		enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok"})
		return
	}
	chats, _ := body["chat_id_list"].([]any)
	state, _ := body["state"].(string)
	if scene, _ := body["scene"].(float64); (scene != 1 && scene != 2) || len(chats) == 0 || len(chats) > 5 || len([]rune(state)) > 30 {
		enc.Encode(map[string]any{"errcode": 40058, "errmsg": "invalid parameter"})
		return
	}
	if op == "add" {
		if f.ways == nil {
			f.ways = map[string]map[string]any{}
		}
		id = fmt.Sprintf("9ad7fa5cdaa6511298498f979c4727%02d", len(f.ways))
		body["config_id"] = id
		body["qr_code"] = f.URL + "/qr.png"
	} else {
		body["qr_code"] = f.ways[id]["qr_code"]
	}
	f.ways[id] = body
	enc.Encode(map[string]any{"errcode": 0, "errmsg": "ok", "config_id": id})
}

// TestWeComConnector drives the WeCom connector as WeCom would: URL
// verification, signed change_external_chat events (add_member with the
// group QR code, a replay, del_member by the owner), a forged call, an
// expired access token, a group robot failing once.
func TestWeComConnector(t *testing.T) {
	fake := newFake(t)
	a, ws, c := runConnector(t, fmt.Sprintf(`{"corp_id":%q,"api_url":%q,"robots":{%q:%q}}`, corpID, fake.URL, chat, fake.URL+"/robot/send?key=robot-key-123"))
	ctx := context.Background()
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	srv := httptest.NewServer(httpapi.New(a, nil))
	defer srv.Close()
	count := func(q string) int { return apptest.Count(t, a, q) }
	// The first reconciliation learns the group and its two members.
	apptest.Eventually(t, "the reconciliation", func() bool { return count("SELECT count(*) FROM events WHERE kind = 'join'") == 2 })
	if n := count(`SELECT count(*) FROM memberships ms JOIN identities i ON i.member_id = ms.member_id JOIN identities inv ON inv.member_id = ms.invited_by
		WHERE i.external_id = 'wmCust1' AND inv.external_id = 'owner01' AND ms.join_source = 'poster-spring'`); n != 1 {
		t.Errorf("the customer's join lacks its invitor or the channel code (state) of the join way it came through")
	}
	cr, _ := wecom.NewCrypto(cbTok, aesKey, corpID)
	hook := fmt.Sprintf("%s/hooks/wecom/%d", srv.URL, c.ID)
	// URL verification.
	echoEnc, echoSig := cr.Seal([]byte("4188276712584923"), "1409659589", "263014780")
	resp, err := http.Get(hook + "?" + url.Values{"msg_signature": {echoSig}, "timestamp": {"1409659589"}, "nonce": {"263014780"}, "echostr": {echoEnc}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "4188276712584923" {
		t.Fatalf("URL verification: %d %q", resp.StatusCode, body)
	}
	post := func(inner, sig string) int {
		enc, goodSig := cr.Seal([]byte(inner), "1772327000", "nonce1")
		if sig == "" {
			sig = goodSig
		}
		xmlBody := "<xml><ToUserName><![CDATA[" + corpID + "]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
		resp, err := http.Post(hook+"?"+url.Values{"msg_signature": {sig}, "timestamp": {"1772327000"}, "nonce": {"nonce1"}}.Encode(), "text/xml", strings.NewReader(xmlBody))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	event := func(detail string, join, quit int, who string) string {
		return fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1772327000</CreateTime><MsgType><![CDATA[event]]></MsgType>`+
			`<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[%s]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[%s]]></UpdateDetail>`+
			`<JoinScene>%d</JoinScene><QuitScene>%d</QuitScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item><![CDATA[%s]]></Item></MemChangeList></xml>`, corpID, chat, detail, join, quit, who)
	}
	// A new customer joins by the group QR code; the token has expired.
	fake.mu.Lock()
	fake.members = append(fake.members, map[string]any{"userid": "wmCust2", "type": 2, "join_time": 1772327000, "join_scene": 3, "invitor": map[string]any{"userid": "owner01"}, "name": "客户乙"})
	fake.expireOn = 1
	fake.mu.Unlock()
	add := event("add_member", 3, 0, "wmCust2")
	if code := post(add, strings.Repeat("0", 40)); code != 401 {
		t.Fatalf("forged event: %d", code)
	}
	if n := count("SELECT count(*) FROM events WHERE kind = 'join'"); n != 2 {
		t.Fatalf("a forged event stored something: %d joins", n)
	}
	for range 2 { // WeCom retries: the second delivery counts nothing
		if code := post(add, ""); code != 200 {
			t.Fatalf("add_member: %d", code)
		}
	}
	if n := count("SELECT count(*) FROM events WHERE kind = 'join'"); n != 3 {
		t.Fatalf("%d joins after add_member twice, want 3", n)
	}
	if n := count("SELECT count(*) FROM memberships WHERE join_source = 'qr_code'"); n != 1 {
		t.Errorf("the QR-code join was not recorded as such")
	}
	fake.mu.Lock()
	tokens := fake.tokens
	fake.members = fake.members[:2] // the owner removes wmCust2
	fake.mu.Unlock()
	if tokens != 2 {
		t.Errorf("%d access tokens fetched, want 2 (one refresh after 42001)", tokens)
	}
	if code := post(event("del_member", 0, 1, "wmCust2"), ""); code != 200 {
		t.Fatalf("del_member: %d", code)
	}
	if n := count("SELECT count(*) FROM events WHERE kind = 'kick'"); n != 1 {
		t.Fatalf("%d kicks, want 1", n)
	}
	// create (read the group, nothing new) and dismiss (nothing to read) answer 200.
	for _, ct := range []string{"create", "dismiss"} {
		ev := strings.Replace(event("", 0, 0, ""), "<ChangeType><![CDATA[update]]></ChangeType>", "<ChangeType><![CDATA["+ct+"]]></ChangeType>", 1)
		if code := post(ev, ""); code != 200 {
			t.Fatalf("%s: %d", ct, code)
		}
	}
	if n := count("SELECT count(*) FROM events"); n != 4 {
		t.Fatalf("%d events after create and dismiss, want the 4 before", n)
	}
	// Sending through the group robot: fails once (rate limit), retried, shown on the connector.
	fake.mu.Lock()
	fake.robotErr = 1
	fake.mu.Unlock()
	cs, _ := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	if _, err := a.CreateBroadcast(ctx, ws, owner, "{group}：今晚 8 点直播", shequn.Selector{CommunityIDs: []int64{cs[0].ID}}, 0); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the robot message", func() bool { fake.mu.Lock(); defer fake.mu.Unlock(); return len(fake.robot) == 1 })
	if !strings.Contains(fake.robot[0], "客户群1：今晚 8 点直播") {
		t.Errorf("robot got %s", fake.robot[0])
	}
	got, _ := apptest.DB(t, a).FindConnector(ctx, ws.ID, c.ID)
	if !strings.Contains(got.LastError, "45009") || strings.Contains(got.LastError, "robot-key-123") || strings.Contains(got.LastError, "app-secret") {
		t.Errorf("connector last error %q", got.LastError)
	}
}

// runConnector starts a WeCom connector of configuration cfg (the fake's
// secret) in a fresh workspace, until the test ends.
func runConnector(t *testing.T, cfg string) (*app.App, *shequn.Workspace, *shequn.Connector) {
	t.Helper()
	a, ws := apptest.New(t, "wecom", "UTC")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a.Secrets, _ = secret.New(bytes.Repeat([]byte{5}, 32))
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	sec := `{"corp_secret":"app-secret-XYZ","token":"` + cbTok + `","encoding_aes_key":"` + aesKey + `"}`
	m := connector.NewManager(a, apptest.DB(t, a), connector.Registry{"wecom": wecom.New}, a.Log)
	a.UseConnectors(m)
	c, err := a.CreateConnector(ctx, ws, owner, "wecom", "企业微信", cfg, sec)
	if err != nil {
		t.Fatal(err)
	}
	a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive)
	m.Every, m.Outbox.Idle = 50*time.Millisecond, 50*time.Millisecond
	go m.Run(ctx)
	return a, ws, c
}
