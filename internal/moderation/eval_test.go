package moderation

import (
	"os"
	"testing"
)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s not available: %v", path, err)
	}
	return Lines(string(data))
}

func TestEvalFigures(t *testing.T) {
	sets := []struct {
		name, spam, ham string
		min             float64
	}{
		{"tg-spam", "../../../shared/data/tg-spam/spam-samples.txt", "../../../shared/data/tg-spam/ham-samples.txt", 0.95},
		{"zh-own", "testdata/zh-spam.txt", "testdata/zh-ham.txt", 0.95},
		{"zh-chat-spam", "../../../shared/data/zh-chat-spam/spam.txt", "../../../shared/data/zh-chat-spam/ham.txt", 0},
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			sc, err := Eval(EvalConfig{Spam: readLines(t, s.spam), Ham: readLines(t, s.ham), Folds: 5, Config: DefaultConfig(), Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: precision %.3f recall %.3f f1 %.3f %+v", s.name, sc.Precision(), sc.Recall(), sc.F1(), sc)
			if sc.F1() < s.min {
				t.Errorf("F1 %.3f below %.2f", sc.F1(), s.min)
			}
		})
	}
}
