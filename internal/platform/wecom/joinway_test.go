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
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/httpapi"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/platform/wecom"
	"github.com/shequn/shequn/internal/web"
)

// joinWayEnv is a running WeCom connector over the fake with seven
// groups, the API with a token, and the callback.
type joinWayEnv struct {
	fake  *fakeWeCom
	app   *app.App
	ws    *shequn.Workspace
	conn  *shequn.Connector
	api   string
	token string
	hook  string
	cr    *wecom.Crypto
}

func newJoinWayEnv(t *testing.T) *joinWayEnv {
	fake := newFake(t)
	fake.qr, _ = moderation.EncodeQR("https://work.weixin.qq.com/gm/3c6a9d2f0e8b", 256)
	for i := 1; i <= 6; i++ {
		fake.extra = append(fake.extra, &fakeChat{id: fmt.Sprintf("wrJoin%d", i), name: fmt.Sprintf("活码群%d", i),
			members: []map[string]any{{"userid": "owner01", "type": 1, "join_time": 1772326800, "join_scene": 1, "name": "群主"}}})
	}
	a, ws, c := runConnector(t, fmt.Sprintf(`{"corp_id":%q,"api_url":%q}`, corpID, fake.URL))
	ctx := context.Background()
	token, _, err := a.CreateToken(ctx, ws.Slug, "test")
	if err != nil {
		t.Fatal(err)
	}
	api, console := httpapi.New(a, nil), web.New(a)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/j/") {
			console.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cr, _ := wecom.NewCrypto(cbTok, aesKey, corpID)
	e := &joinWayEnv{fake: fake, app: a, ws: ws, conn: c, api: srv.URL, token: token, hook: fmt.Sprintf("%s/hooks/wecom/%d", srv.URL, c.ID), cr: cr}
	apptest.Eventually(t, "the reconciliation of seven groups", func() bool {
		return apptest.Count(t, a, "SELECT count(*) FROM communities WHERE platform = 'wecom'") == 7
	})
	return e
}

func (e *joinWayEnv) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.api+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// change posts a signed change_external_chat callback for chatID.
func (e *joinWayEnv) change(t *testing.T, chatID, changeType, detail, who string) {
	t.Helper()
	inner := fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1772327000</CreateTime><MsgType><![CDATA[event]]></MsgType>`+
		`<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[%s]]></ChatId><ChangeType><![CDATA[%s]]></ChangeType><UpdateDetail><![CDATA[%s]]></UpdateDetail>`+
		`<JoinScene>3</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item><![CDATA[%s]]></Item></MemChangeList></xml>`, corpID, chatID, changeType, detail, who)
	enc, sig := e.cr.Seal([]byte(inner), "1772327000", "nonce1")
	xmlBody := "<xml><ToUserName><![CDATA[" + corpID + "]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
	resp, err := http.Post(e.hook+"?"+url.Values{"msg_signature": {sig}, "timestamp": {"1772327000"}, "nonce": {"nonce1"}}.Encode(), "text/xml", strings.NewReader(xmlBody))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("callback %s %s: %d", changeType, chatID, resp.StatusCode)
	}
}

// way returns the fake's one join way.
func (e *joinWayEnv) way(t *testing.T) map[string]any {
	t.Helper()
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	if len(e.fake.ways) != 1 {
		t.Fatalf("WeCom holds %d join ways, want 1", len(e.fake.ways))
	}
	for _, w := range e.fake.ways {
		return w
	}
	return nil
}

func chats(w map[string]any) []string {
	var out []string
	for _, c := range w["chat_id_list"].([]any) {
		out = append(out, c.(string))
	}
	return out
}

// TestJoinWayLiveCode drives a WeCom live code through the API against the
// fake: the join way is added with the first five of six groups, a group
// reaching its cap is pruned and the sixth chained in, a join carrying the
// code's state keeps it as its source, a group WeCom creates is adopted,
// an edit updates the join way, and deleting the code deletes it.
func TestJoinWayLiveCode(t *testing.T) {
	e := newJoinWayEnv(t)
	ctx := context.Background()
	status, r := e.call(t, "POST", "/api/v1/livecodes", fmt.Sprintf(`{"slug":"vip","name":"VIP 群活码","mode":"wecom","state":"ch:spring","connector_id":%d,
		"join_way":{"scene":2,"remark":"春季招募","auto_create_room":true,"room_base_name":"活码群","room_base_id":7}}`, e.conn.ID))
	if status != 201 {
		t.Fatalf("create: %d %v", status, r)
	}
	code := r["live_code"].(map[string]any)
	id := code["id"]
	if calls := e.fake.wayCalls; len(calls) != 0 {
		t.Fatalf("a code without groups called WeCom: %v", calls)
	}
	groups := apptest.DB(t, e.app)
	cs, _ := groups.ListCommunities(ctx, e.ws.ID)
	community := map[string]int64{}
	for _, c := range cs {
		community[c.ExternalID] = c.ID
	}
	for i := 1; i <= 6; i++ {
		body := fmt.Sprintf(`{"community_id":%d,"cap":3}`, community[fmt.Sprintf("wrJoin%d", i)])
		if status, r := e.call(t, "POST", fmt.Sprintf("/api/v1/livecodes/%v/targets", id), body); status != 201 {
			t.Fatalf("target %d: %d %v", i, status, r)
		}
	}
	w := e.way(t)
	if got := chats(w); !slices.Equal(got, []string{"wrJoin1", "wrJoin2", "wrJoin3", "wrJoin4", "wrJoin5"}) || w["state"] != "ch:spring" || w["auto_create_room"] != float64(1) {
		t.Fatalf("join way after six groups: %v", w)
	}
	// Bad input: a group twice, a group of another platform's, an uploaded picture's fields without one.
	for _, body := range []string{fmt.Sprintf(`{"community_id":%d}`, community["wrJoin1"]), `{"community_id":99999}`, `{"cap":0}`} {
		if status, r := e.call(t, "POST", fmt.Sprintf("/api/v1/livecodes/%v/targets", id), body); status != 400 {
			t.Errorf("target %s: %d %v", body, status, r)
		}
	}
	// Two customers join group 1 through the join way: it is full (3 with the owner).
	e.fake.mu.Lock()
	g1 := e.fake.extra[0]
	g1.members = append(g1.members,
		map[string]any{"userid": "wmA", "type": 2, "join_time": 1772327000, "join_scene": 3, "state": "ch:spring", "name": "甲"},
		map[string]any{"userid": "wmB", "type": 2, "join_time": 1772327001, "join_scene": 3, "state": "ch:spring", "name": "乙"})
	e.fake.mu.Unlock()
	e.change(t, "wrJoin1", "update", "add_member", "wmA")
	if n := apptest.Count(t, e.app, "SELECT count(*) FROM memberships WHERE join_source = 'ch:spring'"); n != 2 {
		t.Fatalf("%d joins carry the code's state, want 2", n)
	}
	calls := len(e.fake.wayCalls)
	if err := e.app.SyncJoinWays(ctx, e.ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := chats(e.way(t)); !slices.Equal(got, []string{"wrJoin2", "wrJoin3", "wrJoin4", "wrJoin5", "wrJoin6"}) {
		t.Fatalf("after group 1 filled the join way lists %v", got)
	}
	if err := e.app.SyncJoinWays(ctx, e.ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.wayCalls) - calls; n != 2 { // update + get, then nothing
		t.Errorf("%d WeCom calls for one change and one idle sync, want 2: %v", n, e.fake.wayCalls[calls:])
	}
	// WeCom refuses a change once: the error shows on the code, the tick
	// waits JoinWayRetry before asking again, then it goes through.
	e.fake.mu.Lock()
	g2 := e.fake.extra[1]
	g2.members = append(g2.members, map[string]any{"userid": "wmC", "type": 2, "join_time": 1772327100, "join_scene": 3, "state": "ch:spring", "name": "丙"},
		map[string]any{"userid": "wmD", "type": 2, "join_time": 1772327101, "join_scene": 3, "state": "ch:spring", "name": "丁"})
	e.fake.wayFail = 1
	e.fake.mu.Unlock()
	e.change(t, "wrJoin2", "update", "add_member", "wmC")
	now := time.Now()
	for _, at := range []time.Time{now, now.Add(time.Minute)} {
		if err := e.app.SyncJoinWays(ctx, e.ws, at); err != nil {
			t.Fatal(err)
		}
	}
	status, r = e.call(t, "GET", fmt.Sprintf("/api/v1/livecodes/%v", id), "")
	if se, _ := r["live_code"].(map[string]any)["sync_error"].(string); status != 200 || !strings.Contains(se, "45009") || strings.Contains(se, "app-secret") {
		t.Fatalf("after a refused update: %d sync_error %q", status, se)
	}
	if got := chats(e.way(t)); slices.Contains(got, "wrJoin1") == false && slices.Contains(got, "wrJoin2") == false {
		t.Fatalf("the join way changed although WeCom refused: %v", got)
	}
	if err := e.app.SyncJoinWays(ctx, e.ws, now.Add(app.JoinWayRetry+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := chats(e.way(t)); !slices.Equal(got, []string{"wrJoin3", "wrJoin4", "wrJoin5", "wrJoin6"}) {
		t.Fatalf("after the retry the join way lists %v", got)
	}
	if _, r := e.call(t, "GET", fmt.Sprintf("/api/v1/livecodes/%v", id), ""); r["live_code"].(map[string]any)["sync_error"] != nil {
		t.Errorf("the sync error stayed after a sync went through: %v", r["live_code"].(map[string]any)["sync_error"])
	}
	// The public page shows the join way's QR, kept by shequn.
	resp, err := http.Get(e.api + "/j/wecom/vip")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "/j/wecom/vip/qr/0") {
		t.Fatalf("join page: %d %s", resp.StatusCode, page)
	}
	resp, err = http.Get(e.api + "/j/wecom/vip/qr/0")
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(img, e.fake.qr) {
		t.Errorf("the join way's QR was not re-served (%d bytes)", len(img))
	}
	// WeCom creates 活码群7 once the chats are full; shequn adopts it.
	e.fake.mu.Lock()
	e.fake.extra = append(e.fake.extra, &fakeChat{id: "wrJoin7", name: "活码群7", members: []map[string]any{{"userid": "owner01", "type": 1, "join_time": 1772328000, "join_scene": 1, "name": "群主"}}})
	e.fake.mu.Unlock()
	e.change(t, "wrJoin7", "create", "", "")
	if err := e.app.SyncJoinWays(ctx, e.ws, time.Now()); err != nil {
		t.Fatal(err)
	}
	status, r = e.call(t, "GET", fmt.Sprintf("/api/v1/livecodes/%v", id), "")
	if targets := r["live_code"].(map[string]any)["targets"].([]any); status != 200 || len(targets) != 7 {
		t.Fatalf("after WeCom created a group: %d, %d targets", status, len(targets))
	}
	// An edit updates the join way; the secret never shows in the answer.
	status, r = e.call(t, "PUT", fmt.Sprintf("/api/v1/livecodes/%v", id), fmt.Sprintf(`{"slug":"vip","name":"VIP 群活码","mode":"wecom","state":"ch:summer","connector_id":%d,
		"join_way":{"scene":2,"remark":"夏季招募","auto_create_room":true,"room_base_name":"活码群","room_base_id":7}}`, e.conn.ID))
	if status != 200 || strings.Contains(fmt.Sprint(r), "app-secret") {
		t.Fatalf("update: %d %v", status, r)
	}
	if w := e.way(t); w["remark"] != "夏季招募" || w["state"] != "ch:summer" || len(chats(w)) != 5 {
		t.Errorf("join way after the edit: %v", w)
	}
	if jw := r["live_code"].(map[string]any)["join_way"].(map[string]any); jw["config_id"] == "" || jw["qr_code"] == "" {
		t.Errorf("the answer lacks WeCom's config_id or qr_code: %v", jw)
	}
	if status, r := e.call(t, "PUT", fmt.Sprintf("/api/v1/livecodes/%v", id), `{"slug":"vip","name":"x","mode":"pool"}`); status != 400 {
		t.Errorf("changing the mode: %d %v", status, r)
	}
	if status, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/livecodes/%v", id), ""); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	e.fake.mu.Lock()
	left, last := len(e.fake.ways), e.fake.wayCalls[len(e.fake.wayCalls)-1]
	e.fake.mu.Unlock()
	if left != 0 || last != "del" {
		t.Errorf("after the delete WeCom holds %d join ways (last call %s)", left, last)
	}
}
