package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// api calls the WeCom server API with a cached access token.
type api struct {
	base   string
	corpID string
	secret string
	client *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

// apiError is an answer with a non-zero errcode.
type apiError struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

func (e *apiError) Error() string { return fmt.Sprintf("wecom errcode %d: %s", e.Code, e.Msg) }

// tokenExpired reports errcodes that ask for a fresh access token.
func tokenExpired(err error) bool {
	e, ok := err.(*apiError)
	return ok && (e.Code == 40014 || e.Code == 42001 || e.Code == 40001)
}

// accessToken returns the cached token, fetching a new one when it is
// missing or within five minutes of expiring.
func (a *api) accessToken(ctx context.Context, fresh bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !fresh && a.token != "" && time.Now().Before(a.expires) {
		return a.token, nil
	}
	var resp struct {
		apiError
		Token   string `json:"access_token"`
		Expires int    `json:"expires_in"`
	}
	q := url.Values{"corpid": {a.corpID}, "corpsecret": {a.secret}}
	if err := a.do(ctx, http.MethodGet, "/cgi-bin/gettoken?"+q.Encode(), nil, &resp); err != nil {
		return "", fmt.Errorf("wecom gettoken: %w", err)
	}
	if resp.Code != 0 {
		return "", fmt.Errorf("wecom gettoken: %w", &resp.apiError)
	}
	a.token, a.expires = resp.Token, time.Now().Add(time.Duration(resp.Expires)*time.Second-5*time.Minute)
	return a.token, nil
}

// call POSTs body to path with the access token and decodes the answer
// into out; an expired token is refreshed once.
func (a *api) call(ctx context.Context, path string, body, out any) error {
	for attempt := 0; ; attempt++ {
		token, err := a.accessToken(ctx, attempt > 0)
		if err != nil {
			return err
		}
		raw := json.RawMessage{}
		if err := a.do(ctx, http.MethodPost, path+"?access_token="+url.QueryEscape(token), body, &raw); err != nil {
			return fmt.Errorf("wecom %s: %w", path, err)
		}
		var e apiError
		json.Unmarshal(raw, &e)
		if e.Code == 0 {
			return json.Unmarshal(raw, out)
		}
		if tokenExpired(&e) && attempt == 0 {
			continue
		}
		return fmt.Errorf("wecom %s: %w", path, &e)
	}
}

func (a *api) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return withoutURL(err) // the URL carries the token
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(out)
}

// groupChat is externalcontact/groupchat/get's group_chat.
type groupChat struct {
	ChatID     string   `json:"chat_id"`
	Name       string   `json:"name"`
	Owner      string   `json:"owner"`
	CreateTime int64    `json:"create_time"`
	Members    []member `json:"member_list"`
}

type member struct {
	UserID    string `json:"userid"`
	Type      int    `json:"type"` // 1 corp member, 2 external contact
	JoinTime  int64  `json:"join_time"`
	JoinScene int    `json:"join_scene"` // 1 invited, 2 invite link, 3 group QR code
	// State is the channel code (≤ 30 characters) of the join way the
	// member came through, when it had one.
	State   string `json:"state"`
	Invitor *struct {
		UserID string `json:"userid"`
	} `json:"invitor,omitempty"`
	GroupNickname string `json:"group_nickname"`
	Name          string `json:"name"`
}

func (a *api) groupChat(ctx context.Context, chatID string) (*groupChat, error) {
	var resp struct {
		GroupChat groupChat `json:"group_chat"`
	}
	if err := a.call(ctx, "/cgi-bin/externalcontact/groupchat/get", map[string]any{"chat_id": chatID, "need_name": 1}, &resp); err != nil {
		return nil, err
	}
	return &resp.GroupChat, nil
}

// groupChats lists every customer group's id (groupchat/list, all pages).
func (a *api) groupChats(ctx context.Context) ([]string, error) {
	var ids []string
	cursor := ""
	for {
		var resp struct {
			List []struct {
				ChatID string `json:"chat_id"`
			} `json:"group_chat_list"`
			NextCursor string `json:"next_cursor"`
		}
		if err := a.call(ctx, "/cgi-bin/externalcontact/groupchat/list", map[string]any{"status_filter": 0, "limit": 1000, "cursor": cursor}, &resp); err != nil {
			return nil, err
		}
		for _, c := range resp.List {
			ids = append(ids, c.ChatID)
		}
		if resp.NextCursor == "" {
			return ids, nil
		}
		cursor = resp.NextCursor
	}
}

// withoutURL drops the request URL from a transport error: WeCom URLs
// carry the access token or a robot's key.
func withoutURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
