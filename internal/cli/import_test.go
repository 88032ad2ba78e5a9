package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
