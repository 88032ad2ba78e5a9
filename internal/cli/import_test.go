package cli_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shequn/shequn"
)

func TestImport(t *testing.T) {
	data := t.TempDir()
	irc, _ := filepath.Abs("../importer/testdata/2026-03-01.raw.txt")
	tg, _ := filepath.Abs("../importer/testdata/result.json")
	code, out, errs := run(t, "", "import", "--data", data, "--format", "irc", "--channel", "#go", irc)
	if code != 0 || lastLine(out) != "import: 6 new, 0 already there, 0 invalid, 1 skipped" {
		t.Fatalf("irc import: %d %q %q", code, out, errs)
	}
	code, out, errs = run(t, "", "import", "--data", data, "--format", "telegram-json", tg, tg)
	if code != 0 || lastLine(out) != "import: 8 new, 8 already there, 0 invalid, 2 skipped" {
		t.Fatalf("telegram import twice: %d %q %q", code, out, errs)
	}
	bad := filepath.Join(t.TempDir(), "result.json")
	os.WriteFile(bad, []byte("{not json"), 0o600)
	for _, args := range [][]string{
		{"import", "--data", data, "--format", "csv", tg},
		{"import", "--data", data, "--format", "irc"},
		{"import", "--data", data, "--format", "telegram-json", bad},
		{"import", "--data", data, "--format", "irc", filepath.Join(t.TempDir(), "missing-2026-01-01.txt")},
	} {
		if code, _, errs := run(t, "", args...); code != 1 || !strings.Contains(errs, "shequn import:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestQuestionsEvalOnRealIRC runs the acceptance measurement on the dev
// folder of the annotated #ubuntu logs.
func TestQuestionsEvalOnRealIRC(t *testing.T) {
	dir := "../../../shared/data/irc-disentanglement/dev"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/data/irc-disentanglement not present")
	}
	code, out, errs := run(t, "", "questions", "eval", "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var n int
	var p, r float64
	if _, err := fmt.Sscanf(lastLine(out), "questions: detected %d attribution-precision %f attribution-recall %f", &n, &p, &r); err != nil {
		t.Fatalf("last line %q: %v", lastLine(out), err)
	}
	t.Log(strings.TrimSpace(out))
	if n < 400 || p < 0.8 || r < 0.6 {
		t.Errorf("detected %d precision %.3f recall %.3f; want ≥400, ≥0.8, ≥0.6", n, p, r)
	}
	if code, _, _ := run(t, "", "questions", "eval", "--dir", t.TempDir()); code != 1 {
		t.Errorf("empty dir: exit %d", code)
	}
}

// TestIRCAnalyticsRecount imports real #ubuntu logs (a sample kept here,
// and the rest of February 2005 from ../shared when present) and checks
// the analytics summary against a recount of the raw files written apart
// from the importer: messages, distinct speakers, joins, leaves and the
// top-20% share.
func TestIRCAnalyticsRecount(t *testing.T) {
	files := []string{"../importer/testdata/2005-02-08.train-a.raw.txt"}
	for _, name := range []string{"2005-02-06.train-c.raw.txt", "2005-02-27.train-c.raw.txt"} {
		p := filepath.Join("../../../shared/data/irc-disentanglement/train", name)
		if _, err := os.Stat(p); err == nil {
			files = append(files, p)
		}
	}
	t.Logf("%d log files", len(files))
	data := t.TempDir()
	args := append([]string{"import", "--data", data, "--format", "irc", "--channel", "#ubuntu"}, files...)
	if code, out, errs := run(t, "", args...); code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	code, out, errs := run(t, "", "analytics", "summary", "--data", data, "--from", "2005-01-31", "--to", "2005-03-01")
	if code != 0 {
		t.Fatalf("summary: %d %q", code, errs)
	}
	var got shequn.ActivitySummary
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	want := recountIRC(t, files)
	if got.Messages != want.messages || got.ActiveMembers != want.speakers || got.Joins != want.joins || got.Leaves != want.leaves {
		t.Errorf("messages %d speakers %d joins %d leaves %d; recount %d %d %d %d",
			got.Messages, got.ActiveMembers, got.Joins, got.Leaves, want.messages, want.speakers, want.joins, want.leaves)
	}
	if math.Abs(got.TopShare-want.top20) > 1e-9 {
		t.Errorf("top-20%% share %.6f, recount %.6f", got.TopShare, want.top20)
	}
	t.Logf("recount: %+v", want)

	// the weekly report of the sample's week (8 February 2005 is in W06)
	code, out, errs = run(t, "", "report", "weekly", "--data", data, "--week", "2005-W06")
	var rep shequn.WeeklyReport
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Week != "2005-W06" || rep.From != "2005-02-07" || rep.Summary.Messages == 0 {
		t.Fatalf("report: %d %v %q %+v", code, err, errs, rep)
	}
	for _, f := range []struct{ format, lang, want string }{{"html", "en", "<!doctype html>"}, {"text", "en", "weekly report] 2005-W06"}, {"text", "zh", "周报】2005-W06"}} {
		code, out, errs = run(t, "", "report", "weekly", "--data", data, "--week", "2005-W06", "--format", f.format, "--lang", f.lang)
		if code != 0 || !strings.Contains(strings.ToLower(out), strings.ToLower(f.want)) {
			t.Errorf("report --format %s --lang %s: %d %q, output lacks %q:\n%.300s", f.format, f.lang, code, errs, f.want, out)
		}
	}
	for _, bad := range [][]string{{"--week", "2005-W99"}, {"--week", "2999-W01"}, {"--format", "pdf"}} {
		if code, _, errs := run(t, "", append([]string{"report", "weekly", "--data", data}, bad...)...); code != 1 || errs == "" {
			t.Errorf("report %v: exit %d %q", bad, code, errs)
		}
	}
}

type ircCount struct {
	messages, speakers, joins, leaves int
	top20                             float64
}

// recountIRC counts the raw logs with plain string handling: "[hh:mm]
// <nick> text" and "=== nick does something" are messages, "=== nick […]
// has joined" joins, "has left"/"has quit" leaves; "=== a is now known as
// b" makes b the same speaker as a within the file; "=== mode/…" is
// nobody's. Nicks may be written in brackets.
func recountIRC(t *testing.T, files []string) ircCount {
	var c ircCount
	per := map[string]int{}
	bare := func(s string) string {
		if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
			return s[1 : len(s)-1]
		}
		return s
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		alias := map[string]string{}
		who := func(n string) string {
			if p, ok := alias[n]; ok {
				return p
			}
			return n
		}
		for _, line := range strings.Split(string(raw), "\n") {
			line = strings.TrimRight(line, "\r")
			fields := strings.Fields(line)
			switch {
			case strings.HasPrefix(line, "[") && len(fields) >= 2 && strings.HasPrefix(fields[1], "<"):
				end := strings.Index(line, "> ")
				if end < 0 && strings.HasSuffix(line, ">") {
					end = len(line) - 1
				}
				start := strings.Index(line, "<")
				per[who(line[start+1:end])]++
				c.messages++
			case strings.HasPrefix(line, "=== mode/"), !strings.HasPrefix(line, "=== ") || len(fields) < 3:
			case strings.Contains(line, " has joined #"):
				c.joins++
			case strings.Contains(line, " has left #") || strings.Contains(line, " has quit"):
				c.leaves++
			case len(fields) >= 6 && fields[2] == "is" && fields[3] == "now" && fields[4] == "known" && fields[5] == "as":
				alias[bare(fields[6])] = who(bare(fields[1]))
			default:
				per[who(bare(fields[1]))]++
				c.messages++
			}
		}
	}
	counts := make([]int, 0, len(per))
	for _, n := range per {
		counts = append(counts, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	top := int(math.Ceil(0.2 * float64(len(counts))))
	sum := 0
	for _, n := range counts[:top] {
		sum += n
	}
	c.speakers, c.top20 = len(counts), float64(sum)/float64(c.messages)
	return c
}
