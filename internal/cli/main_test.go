package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/cli"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// TestMain lets the test binary act as the shequn binary: the end-to-end
// tests start it as a real server process, then kill it.
func TestMain(m *testing.M) {
	if os.Getenv("SHEQUN_TEST_MAIN") == "1" {
		args := os.Args[1:]
		if len(args) > 0 && args[0] == "--" {
			args = args[1:]
		}
		os.Exit(cli.Run(context.Background(), args, cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// run executes a command in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// server is a shequn serve process.
type server struct {
	cmd *exec.Cmd
	url string
}

func startServer(t *testing.T, data string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--", "serve", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "SHEQUN_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return &server{cmd: cmd, url: u}
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return nil
}

func postBatch(url, token string, body []byte) (int, map[string]any, error) {
	req, _ := http.NewRequest("POST", url+"/api/v1/events", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, out, nil
}

const batchSize = 200

func makeBatch(n int) []byte {
	evs := make([]map[string]any, batchSize)
	kinds := []string{"message", "message", "message", "reaction", "join", "leave"}
	for i := range evs {
		evs[i] = map[string]any{
			"id": fmt.Sprintf("b%d-%d", n, i), "platform": "wecom", "community": fmt.Sprintf("g%d", (n+i)%13),
			"actor": fmt.Sprintf("u%d", (n*7+i)%500), "kind": kinds[i%len(kinds)], "text": "消息 message",
			"ts": time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n*batchSize+i) * time.Second).Format(time.RFC3339),
		}
	}
	b, _ := json.Marshal(map[string]any{"events": evs})
	return b
}

func TestKillDuringIngestLosesNoAcknowledgedBatch(t *testing.T) {
	data := t.TempDir()
	code, token, stderr := run(t, "", "token create", "--data", data)
	if code == 0 {
		t.Fatal("a bad subcommand must fail")
	}
	code, token, stderr = run(t, "", "token", "create", "--data", data, "--name", "loader")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	token = strings.TrimSpace(token)
	srv := startServer(t, data)

	var mu sync.Mutex
	acked := map[int]bool{}
	sent := 0
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				status, _, err := postBatch(srv.url, token, makeBatch(n))
				if err == nil && status == 200 {
					mu.Lock()
					acked[n] = true
					mu.Unlock()
				}
			}
		}()
	}
	killed := false
	for n := 0; n < 2000; n++ {
		mu.Lock()
		done := len(acked)
		mu.Unlock()
		if done >= 25 && !killed {
			srv.cmd.Process.Signal(syscall.SIGKILL) // while other batches are in flight
			killed = true
		}
		if killed && n > sent+6 {
			break
		}
		next <- n
		if !killed {
			sent = n
		}
	}
	close(next)
	wg.Wait()
	srv.cmd.Wait()
	if !killed {
		t.Fatal("never killed the server")
	}
	t.Logf("%d batches acknowledged before SIGKILL", len(acked))

	srv = startServer(t, data)
	for n := 0; n <= sent+6; n++ {
		status, r, err := postBatch(srv.url, token, makeBatch(n))
		if err != nil || status != 200 {
			t.Fatalf("replay %d: %d %v %v", n, status, r, err)
		}
		dup := int(r["duplicates"].(float64))
		switch {
		case acked[n] && dup != batchSize:
			t.Errorf("batch %d was acknowledged but only %d of %d events survived", n, dup, batchSize)
		case dup != 0 && dup != batchSize:
			t.Errorf("batch %d is half present: %d of %d", n, dup, batchSize)
		}
	}
	o := getJSON(t, srv.url+"/api/v1/stats/overview?days=366", token)
	if want := float64((sent + 7) * batchSize); o["events"] != want {
		t.Fatalf("events = %v, want %v", o["events"], want)
	}
}

func getJSON(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return out
}

func TestCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "d")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"version", "", []string{"version"}, 0, "shequn "},
		{"unknown", "", []string{"frobnicate"}, 2, "unknown command"},
		{"no args", "", nil, 2, "Usage"},
		{"migrate", "", []string{"migrate", "--data", data}, 0, "(sqlite)"},
		{"bad flag", "", []string{"migrate", "--nope"}, 1, "flag provided but not defined"},
		{"token without name", "", []string{"token", "create", "--data", data}, 1, "token name: required"},
		{"token unknown workspace", "", []string{"token", "create", "--data", data, "--name", "x", "--workspace", "nope"}, 1, "not found"},
		{"user short password", "short\n", []string{"user", "create", "--data", data, "--email", "a@b.c", "--password-stdin"}, 1, "at least 8"},
		{"user bad role", "long-enough\n", []string{"user", "create", "--data", data, "--email", "a@b.c", "--password-stdin", "--role", "god"}, 1, "role"},
		{"user", "long-enough\n", []string{"user", "create", "--data", data, "--email", "Ops@Example.com", "--password-stdin"}, 0, "created owner operator ops@example.com"},
		{"user again", "long-enough\n", []string{"user", "create", "--data", data, "--email", "ops@example.com", "--password-stdin"}, 1, "already exists"},
		{"simulate bad", "", []string{"simulate", "--data", data, "--days", "0"}, 1, "days"},
		{"simulate", "", []string{"simulate", "--data", data, "--communities", "3", "--members", "50", "--days", "5"}, 0, "simulated"},
		{"simulate again adds nothing", "", []string{"simulate", "--data", data, "--communities", "3", "--members", "50", "--days", "5"}, 0, "simulated 0 new events"},
		{"bench unknown", "", []string{"bench", "nope"}, 1, "unknown benchmark"},
		{"bench ingest small", "", []string{"bench", "ingest", "--events", "3000", "--batch", "500"}, 0, "ingest: pipeline "},
		{"bench leaderboard small", "", []string{"bench", "leaderboard", "--members", "500", "--communities", "10", "--entries", "3000", "--queries", "50"}, 0, "leaderboard: p50 "},
		{"bench leaderboard bad", "", []string{"bench", "leaderboard", "--members", "0"}, 1, "must be positive"},
		{"bench schedule small", "", []string{"bench", "schedule", "--communities", "60"}, 0, "schedule: "},
		{"bench schedule bad", "", []string{"bench", "schedule", "--communities", "0"}, 1, "must be positive"},
		{"bench moderation small", "", []string{"bench", "moderation", "--messages", "2000", "--keywords", "100", "--regexes", "5"}, 0, "moderation: "},
		{"moderation check", "", []string{"moderation", "check", "--text", "加 微 信：abc8888 领取免费课程"}, 0, `"detector": "contact"`},
		{"moderation check needs text", "", []string{"moderation", "check"}, 1, "--text: required"},
		{"moderation eval missing file", "", []string{"moderation", "eval", "--spam", "/nonexistent", "--ham", "/nonexistent"}, 1, "read /nonexistent"},
		{"moderation eval bad folds", "", []string{"moderation", "eval", "--spam", "x", "--ham", "y", "--folds", "1"}, 1, "--folds 1"},
		{"moderation eval", "", []string{"moderation", "eval", "--spam", "../moderation/testdata/zh-spam.txt", "--ham", "../moderation/testdata/zh-ham.txt", "--folds", "3"}, 0, "eval: precision "},
		{"moderation unknown", "", []string{"moderation", "judge"}, 1, "unknown moderation command"},
		// With a second workspace, a user or token must name its workspace.
		{"second workspace", "", []string{"simulate", "--data", data, "--workspace", "team2", "--communities", "1", "--members", "5", "--days", "1"}, 0, "simulated"},
		{"user needs its workspace", "long-enough\n", []string{"user", "create", "--data", data, "--email", "b@b.c", "--password-stdin"}, 1, "this store has 2 workspaces (default, team2): name one with --workspace"},
		{"user in a workspace", "long-enough\n", []string{"user", "create", "--data", data, "--email", "b@b.c", "--password-stdin", "--workspace", "team2"}, 0, "created owner operator b@b.c in workspace team2"},
		{"token needs its workspace", "", []string{"token", "create", "--data", data, "--name", "x"}, 1, "name one with --workspace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.out) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", code, tt.code, out, errs, tt.out)
			}
		})
	}
	code, out, _ := run(t, "", "moderation", "eval", "--spam", "../moderation/testdata/zh-spam.txt", "--ham", "../moderation/testdata/zh-ham.txt",
		"--train-spam", "../moderation/testdata/zh-spam.txt", "--train-ham", "../moderation/testdata/zh-ham.txt")
	if last := lastLine(out); code != 0 || !regexp.MustCompile(`^eval: precision \d\.\d{3} recall \d\.\d{3} f1 \d\.\d{3}$`).MatchString(last) {
		t.Fatalf("eval last line = %q", last)
	}
	code, out, _ = run(t, "", "bench", "moderation", "--messages", "1000", "--keywords", "50", "--regexes", "2")
	if last := lastLine(out); code != 0 || !regexp.MustCompile(`^moderation: \d+ msg/s$`).MatchString(last) {
		t.Fatalf("bench moderation last line = %q", last)
	}
	code, out, _ = run(t, "", "bench", "ingest", "--events", "2000", "--batch", "500")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || !regexp.MustCompile(`^ingest: pipeline \d+ ev/s, raw \d+ ev/s, ratio \d+\.\d+$`).MatchString(lines[len(lines)-1]) {
		t.Fatalf("bench last line = %q", lines[len(lines)-1])
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// Kill the process that performs outbox rows at a random moment, restart
// it: every row is performed, and none twice.
func TestKillWhileDrainingOutbox(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(data, "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	ws := &shequn.Workspace{Slug: "default", Name: "Default", TimeZone: "Asia/Shanghai"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	const rows = 3000
	var items []*shequn.OutboxItem
	for i := 0; i < rows; i++ {
		items = append(items, &shequn.OutboxItem{WorkspaceID: ws.ID, IdempotencyKey: fmt.Sprintf("k%d", i), Platform: "wecom", CommunityID: 1, Action: "send", Payload: "{}"})
	}
	if err := db.AddOutbox(ctx, items); err != nil {
		t.Fatal(err)
	}
	db.Close()
	drain := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "--", "outbox", "drain", "--data", data, "--rate", "3000", "--lease", "0s")
		cmd.Env = append(os.Environ(), "SHEQUN_TEST_MAIN=1")
		return cmd
	}
	first := drain()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // a moment inside the drain, not a timing assertion
	first.Process.Signal(syscall.SIGKILL)
	if err := first.Wait(); err == nil {
		t.Fatal("the first drain finished before it was killed: nothing was tested")
	}
	if out, err := drain().CombinedOutput(); err != nil {
		t.Fatalf("second drain: %v\n%s", err, out)
	}
	db, err = sqlstore.Open(ctx, filepath.Join(data, "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sent, _ := db.FindOutbox(ctx, ws.ID, 0, shequn.OutboxSent, rows+10)
	logged, _ := db.ConnectorLogCount(ctx, ws.ID)
	calls, _ := db.MaxConnectorCalls(ctx, ws.ID)
	if len(sent) != rows || logged != rows || calls != 1 {
		t.Fatalf("sent %d, performed %d, most calls for one key %d (want %d, %d, 1)", len(sent), logged, calls, rows, rows)
	}
}
