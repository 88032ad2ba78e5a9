package telegram_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeAPI is a Bot API server built from the documentation
// (https://core.telegram.org/bots/api): getUpdates with offsets, the
// methods the connector calls, errors in the documented shape
// {"ok":false,"error_code":…,"description":…}. It records every call.
type fakeAPI struct {
	*httptest.Server
	token string
	mu    sync.Mutex
	ups   []json.RawMessage // queued updates, in update_id order
	calls []call
	fail  map[string]int    // method → how many calls still fail with 500
	again bool              // serve the queue once more, ignoring the offset (a replay)
	files map[string][]byte // file_id → bytes (getFile and the file link)
}

type call struct {
	Method string
	Params map[string]string
}

func newFake(t *testing.T, token string) *fakeAPI {
	f := &fakeAPI{token: token, fail: map[string]int{}, files: map[string][]byte{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) push(updates ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range updates {
		f.ups = append(f.ups, json.RawMessage(u))
	}
}

func (f *fakeAPI) called(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+f.token+"/photos/"); ok { // the file link of getFile's file_path
		f.mu.Lock()
		data, ok := f.files[id]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.token+"/")
	if !ok {
		writeErr(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	params := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.ParseMultipartForm(1 << 20)
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
	} else {
		r.ParseForm()
		for k, v := range r.Form {
			params[k] = v[0]
		}
	}
	f.mu.Lock()
	if method != "getUpdates" {
		f.calls = append(f.calls, call{method, params})
	}
	if f.fail[method] > 0 {
		f.fail[method]--
		f.mu.Unlock()
		writeErr(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	f.mu.Unlock()
	switch method {
	case "getMe":
		writeOK(w, map[string]any{"id": 777, "is_bot": true, "first_name": "shequn", "username": "shequn_bot"})
	case "getUpdates":
		writeOK(w, f.updates(params))
	case "sendMessage":
		chat, _ := strconv.ParseInt(params["chat_id"], 10, 64)
		writeOK(w, map[string]any{"message_id": 900 + len(f.called("sendMessage")), "date": 1772326900, "chat": map[string]any{"id": chat, "type": "supergroup"}, "text": params["text"]})
	case "getFile":
		f.mu.Lock()
		data, ok := f.files[params["file_id"]]
		f.mu.Unlock()
		if !ok {
			writeErr(w, http.StatusBadRequest, "Bad Request: invalid file_id")
			return
		}
		writeOK(w, map[string]any{"file_id": params["file_id"], "file_unique_id": "u" + params["file_id"], "file_size": len(data), "file_path": "photos/" + params["file_id"]})
	case "createChatInviteLink":
		if len([]rune(params["name"])) > 32 {
			writeErr(w, http.StatusBadRequest, "Bad Request: invite link name is too long")
			return
		}
		writeOK(w, map[string]any{"invite_link": "https://t.me/+Lc" + strconv.Itoa(len(f.called("createChatInviteLink"))), "name": params["name"],
			"creator": map[string]any{"id": 777, "is_bot": true, "first_name": "shequn"}, "creates_join_request": false, "is_primary": false, "is_revoked": false,
			"expire_date": func() int { n, _ := strconv.Atoi(params["expire_date"]); return n }()})
	case "deleteMessage", "banChatMember", "unbanChatMember", "restrictChatMember", "setWebhook":
		writeOK(w, true)
	default:
		writeErr(w, http.StatusNotFound, "Not Found: method not found")
	}
}

// updates answers getUpdates: the queued updates from offset on (or all of
// them once after again is set). An empty answer waits a little, as a long
// poll does.
func (f *fakeAPI) updates(params map[string]string) []json.RawMessage {
	offset, _ := strconv.ParseInt(params["offset"], 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []json.RawMessage
	for _, u := range f.ups {
		var head struct {
			ID int64 `json:"update_id"`
		}
		json.Unmarshal(u, &head)
		if head.ID >= offset || f.again {
			out = append(out, u)
		}
	}
	f.again = false
	return out
}

func writeOK(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeErr(w http.ResponseWriter, code int, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": code, "description": desc})
}
