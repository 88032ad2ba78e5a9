package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/platform/matrix"
	"github.com/shequn/shequn/internal/secret"
)

// TestConnectorSecretNeverShown adds a Matrix connector whose homeserver
// rejects the token and echoes it back in its error, then reads the
// console, the API, the logs and the database row: the token appears in
// none of them.
func TestConnectorSecretNeverShown(t *testing.T) {
	const token = "syt_Ym90_SUPERSECRET_0123456789"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown token `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+`"}`)
	}))
	defer hs.Close()
	srv, a := newConsole(t)
	var logs bytes.Buffer
	a.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	box, _ := secret.New(bytes.Repeat([]byte{9}, 32))
	a.Secrets = box
	reg := connector.Registry{"matrix": matrix.New}
	a.UseConnectors(connector.NewManager(a, apptest.DB(t, a), reg, a.Log))
	ctx := context.Background()
	ws, _ := apptest.DB(t, a).FindWorkspaceBySlug(ctx, "demo")

	client := login(t, srv, "ops@example.com", "correct horse")
	form := url.Values{"platform": {"matrix"}, "name": {"bot"}, "config": {`{"homeserver":"` + hs.URL + `","user_id":"@bot:localhost"}`}, "secret": {token}}
	if resp, err := client.PostForm(srv.URL+"/connectors", form); err != nil || resp.StatusCode >= 400 {
		t.Fatalf("add connector: %v %v", resp.StatusCode, err)
	}
	cs, _ := a.Connectors(ctx, ws)
	if len(cs) != 1 {
		t.Fatalf("%d connectors", len(cs))
	}
	id := cs[0].ID
	req, _ := http.NewRequest("POST", srv.URL+"/connectors/1/test", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	verdict, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(verdict), "✗") || !strings.Contains(string(verdict), "[secret]") {
		t.Fatalf("test verdict %q: want a failure with the token redacted", verdict)
	}
	page := func(path string) string {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	apiToken, _, _ := a.CreateToken(ctx, "demo", "t")
	apiReq, _ := http.NewRequest("GET", srv.URL+"/api/v1/connectors", nil)
	apiReq.Header.Set("Authorization", "Bearer "+apiToken)
	apiResp, _ := http.DefaultClient.Do(apiReq)
	api, _ := io.ReadAll(apiResp.Body)
	row, _ := apptest.DB(t, a).FindConnector(ctx, ws.ID, id)
	for where, text := range map[string]string{"console": page("/connectors") + page("/connectors?lang=zh"), "API": string(api), "logs": logs.String(),
		"last error": row.LastError, "stored secret": string(row.Secret), "verdict": string(verdict)} {
		if strings.Contains(text, token) || strings.Contains(text, "SUPERSECRET") {
			t.Errorf("the secret shows in the %s", where)
		}
	}
	if !strings.Contains(string(api), `"platform":"matrix"`) || !strings.Contains(row.LastError, "M_UNKNOWN_TOKEN") {
		t.Fatalf("api %s / last error %q", api, row.LastError)
	}
	if plain, err := a.OpenSecret(row); err != nil || plain != token {
		t.Fatalf("the stored secret does not open: %v", err)
	}
}
