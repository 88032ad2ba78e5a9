package moderation

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSeedClassifierSparesEnglishHelpChat checks the shipped classifier on
// real English chat it never saw: the #ubuntu IRC dev logs of
// ../shared/data/irc-disentanglement (the seed's English ham samples come
// from its train folder). A help channel is not spam.
func TestSeedClassifierSparesEnglishHelpChat(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/irc-disentanglement/dev/*.raw.txt")
	if len(files) == 0 {
		t.Skip("../shared/data/irc-disentanglement not present")
	}
	line := regexp.MustCompile(`^\[\d\d:\d\d\] <[^>]+> (.+)$`)
	cls := SeedClassifier()
	var n, fp int
	var examples []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			m := line.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			n++
			txt := Normalize(m[1])
			if v := cls.check(&txt, DefaultConfig().ClassifierThreshold); v.Spam {
				fp++
				if len(examples) < 5 {
					examples = append(examples, m[1])
				}
			}
		}
	}
	rate := float64(fp) / float64(n)
	t.Logf("classifier false positives on %d real #ubuntu messages: %d (%.2f%%), e.g. %q", n, fp, 100*rate, examples)
	if rate > 0.01 {
		t.Errorf("false-positive rate %.2f%% on English help chat, want at most 1%%", 100*rate)
	}
}
