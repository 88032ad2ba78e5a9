package matrix_test

import (
	"bytes"
	"context"
	"fmt"
	pngenc "image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/connector"
	"github.com/shequn/shequn/internal/platform/matrix"
	"github.com/shequn/shequn/internal/secret"
)

// dendrite builds (once, cached under ~/.cache/shequn) and starts the
// pinned Dendrite homeserver on a free loopback port; it returns its URL
// and its config path.
func dendrite(t *testing.T) (string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no homeserver")
	}
	home, _ := os.UserHomeDir()
	bin := filepath.Join(home, ".cache", "shequn", "dendrite-v0.15.2")
	build := exec.Command("bash", "../../../e2e/dendrite/build.sh", bin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building Dendrite v0.15.2 (e2e/dendrite) failed: %v\n%s", err, out)
	}
	dir := t.TempDir()
	run := func(name string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return out
	}
	run("generate-keys", "--private-key", "matrix_key.pem")
	cfg := run("generate-config", "-ci", "-dir", dir, "-server", "localhost")
	cfg = bytes.Replace(cfg, []byte("disable_federation: false"), []byte("disable_federation: true"), 1)
	cfg = bytes.Replace(cfg, []byte("registration_disabled: false"), []byte("registration_disabled: true"), 1)
	cfg = bytes.Replace(cfg, []byte("registration_shared_secret: complement"), []byte("registration_shared_secret: shequn-e2e"), 1)
	cfgPath := filepath.Join(dir, "dendrite.yaml")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, _ := os.Create(filepath.Join(dir, "dendrite.log"))
	srv := exec.Command(filepath.Join(bin, "dendrite"), "--config", cfgPath, "--http-bind-address", addr)
	srv.Dir, srv.Stdout, srv.Stderr = dir, logf, logf
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait(); logf.Close() })
	url := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(url + "/_matrix/client/versions"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("Dendrite did not start; see %s", logf.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, u := range []string{"bot", "alice", "bob", "carol"} {
		run("create-account", "-config", cfgPath, "-username", u, "-password", "password-of-"+u, "-url", url)
	}
	return url, cfgPath
}

func login(t *testing.T, url, user string) *mautrix.Client {
	t.Helper()
	cli, err := mautrix.NewClient(url, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cli.Login(context.Background(), &mautrix.ReqLogin{Type: mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user}, Password: "password-of-" + user, StoreCredentials: true})
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return cli
}

// roomTexts returns the bodies of the room's messages, oldest first.
func roomTexts(t *testing.T, cli *mautrix.Client, room id.RoomID) []string {
	t.Helper()
	resp, err := cli.Messages(context.Background(), room, "", "", mautrix.DirectionBackward, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(resp.Chunk) - 1; i >= 0; i-- {
		if ev := resp.Chunk[i]; ev.Type == event.EventMessage {
			body, _ := ev.Content.Raw["body"].(string)
			out = append(out, body)
		}
	}
	return out
}

// TestMatrixAgainstDendrite puts the shequn bot in a real Matrix room on a
// real homeserver: it counts a join with its inviter and the messages,
// welcomes the newcomer, redacts a spam message and kicks its sender, and
// a retried outbox row does not post twice.
func TestMatrixAgainstDendrite(t *testing.T) {
	url, _ := dendrite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bot := login(t, url, "bot")
	alice, bob := login(t, url, "alice"), login(t, url, "bob")

	a, ws := apptest.New(t, "matrix", "UTC")
	box, _ := secret.New(bytes.Repeat([]byte{1}, 32))
	a.Secrets = box
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	if err := a.SaveWelcome(ctx, ws, owner, 0, &shequn.WelcomeSettings{Enabled: true, Text: "欢迎 {name}！Welcome {name}.", BatchSeconds: 1}); err != nil {
		t.Fatal(err)
	}
	rule, _ := a.ModerationRule(ctx, ws, 0)
	rule.Action = shequn.ActionKick
	if err := a.SaveModerationRule(ctx, owner, ws, rule); err != nil {
		t.Fatal(err)
	}
	m := connector.NewManager(a, apptest.DB(t, a), connector.Registry{"matrix": matrix.New}, a.Log)
	a.UseConnectors(m)
	c, err := a.CreateConnector(ctx, ws, owner, "matrix", "bot", fmt.Sprintf(`{"homeserver":%q,"user_id":"@bot:localhost"}`, url), bot.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetConnectorStatus(ctx, ws, owner, c.ID, shequn.ConnectorActive); err != nil {
		t.Fatal(err)
	}
	m.Every = 200 * time.Millisecond
	m.Outbox.Idle = 100 * time.Millisecond
	go m.Run(ctx)
	apptest.Eventually(t, "the connector to start", func() bool { return m.Running(c.ID) })

	room, err := alice.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: "Go 学习群", Preset: "public_chat",
		PowerLevelOverride: &event.PowerLevelsEventContent{Users: map[id.UserID]int{"@alice:localhost": 100, "@bot:localhost": 50}, KickPtr: ptr(50), BanPtr: ptr(50), RedactPtr: ptr(50)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []id.UserID{"@bot:localhost", "@bob:localhost"} {
		if _, err := alice.InviteUser(ctx, room.RoomID, &mautrix.ReqInviteUser{UserID: u}); err != nil {
			t.Fatal(err)
		}
	}
	apptest.Eventually(t, "the bot to join", func() bool {
		ms, err := alice.JoinedMembers(ctx, room.RoomID)
		return err == nil && ms.Joined["@bot:localhost"].DisplayName != "" || err == nil && len(ms.Joined) >= 2
	})
	if _, err := bob.JoinRoomByID(ctx, room.RoomID); err != nil {
		t.Fatal(err)
	}
	alice.SendText(ctx, room.RoomID, "早上好，今天讲 goroutine")
	bob.SendText(ctx, room.RoomID, "请问 channel 什么时候要关闭？")
	spam, err := bob.SendText(ctx, room.RoomID, "兼职刷单，日结300，加微信 abc8888 详聊")
	if err != nil {
		t.Fatal(err)
	}

	// Counted, with the inviter.
	apptest.Eventually(t, "bob's join with alice as inviter", func() bool {
		var n int
		apptest.DB(t, a).Write().QueryRowContext(ctx, `SELECT count(*) FROM memberships ms JOIN identities i ON i.member_id = ms.member_id
			JOIN identities inv ON inv.member_id = ms.invited_by
			WHERE i.external_id = '@bob:localhost' AND inv.external_id = '@alice:localhost'`).Scan(&n)
		return n == 1
	})
	apptest.Eventually(t, "the messages counted", func() bool {
		o, err := apptest.DB(t, a).Overview(ctx, ws.ID, shequn.LastDays(time.Now(), ws.Location(), 1))
		return err == nil && o.Messages >= 3
	})
	t.Cleanup(func() {
		if t.Failed() {
			rows, _ := apptest.DB(t, a).FindOutbox(context.Background(), ws.ID, 0, "", 50)
			for _, r := range rows {
				t.Logf("outbox %s %s %s attempts %d due %s payload %s", r.IdempotencyKey, r.Action, r.Status, r.Attempts, r.DueAt, r.Payload)
			}
			got, _ := apptest.DB(t, a).FindConnector(context.Background(), ws.ID, c.ID)
			t.Logf("connector: events %d error %q", got.Events, got.LastError)
		}
	})
	// Welcomed in the room.
	apptest.Eventually(t, "the welcome in the room", func() bool {
		texts := strings.Join(roomTexts(t, alice, room.RoomID), "|")
		return strings.Contains(texts, "Welcome") && strings.Contains(texts, "bob") && !strings.Contains(texts, "bot")
	})
	// The spam redacted and its sender kicked.
	apptest.Eventually(t, "the spam redacted", func() bool {
		ev, err := alice.GetEvent(ctx, room.RoomID, spam.EventID)
		return err == nil && len(ev.Content.Raw) == 0
	})
	apptest.Eventually(t, "bob kicked", func() bool {
		ms, err := alice.JoinedMembers(ctx, room.RoomID)
		_, in := ms.Joined["@bob:localhost"]
		return err == nil && !in
	})
	// A picture with a QR code (an invitation elsewhere) from a newcomer:
	// downloaded, decoded, redacted.
	carol := login(t, url, "carol")
	if _, err := alice.InviteUser(ctx, room.RoomID, &mautrix.ReqInviteUser{UserID: "@carol:localhost"}); err != nil {
		t.Fatal(err)
	}
	if _, err := carol.JoinRoomByID(ctx, room.RoomID); err != nil {
		t.Fatal(err)
	}
	bm, _ := qrcode.NewQRCodeWriter().Encode("https://u.wechat.com/join-my-group", gozxing.BarcodeFormat_QR_CODE, 240, 240, nil)
	var png bytes.Buffer
	pngenc.Encode(&png, bm)
	up, err := carol.UploadBytes(ctx, png.Bytes(), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	pic, err := carol.SendMessageEvent(ctx, room.RoomID, event.EventMessage, map[string]any{"msgtype": "m.image", "body": "扫码进群.png", "url": up.ContentURI.CUString()})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, "the QR picture redacted", func() bool {
		ev, err := alice.GetEvent(ctx, room.RoomID, pic.EventID)
		return err == nil && len(ev.Content.Raw) == 0
	})
	var qrCases int
	apptest.DB(t, a).Write().QueryRowContext(ctx, "SELECT count(*) FROM moderation_cases WHERE detectors LIKE '%qr%' AND verdicts LIKE '%u.wechat.com/join-my-group%'").Scan(&qrCases)
	if qrCases != 1 {
		t.Fatalf("%d moderation cases name the QR code, want 1", qrCases)
	}
	// A retried outbox row posts once: the transaction id repeats.
	p, _ := matrix.New(c, bot.AccessToken, a.Log)
	item := &shequn.OutboxItem{IdempotencyKey: "retry:1", Action: "send", Payload: `{"text":"only once"}`, CommunityRef: room.RoomID.String()}
	for range 2 {
		if err := p.Send(ctx, item); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(strings.Join(roomTexts(t, alice, room.RoomID), "|"), "only once"); n != 1 {
		t.Fatalf("a retried send posted %d times", n)
	}
	// The connector page's figures, and no secret in them.
	got, _ := apptest.DB(t, a).FindConnector(ctx, ws.ID, c.ID)
	if got.Events < 5 || got.State == "" {
		t.Fatalf("connector after the run: events %d, state %q", got.Events, got.State)
	}
	if strings.Contains(got.LastError, bot.AccessToken) || bytes.Contains(got.Secret, []byte(bot.AccessToken)) {
		t.Fatal("the access token is stored or shown in the clear")
	}
	_ = app.Redact
}

func ptr(n int) *int { return &n }
