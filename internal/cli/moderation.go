package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/bench"
	"github.com/shequn/shequn/internal/moderation"
)

func moderationCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn moderation check --text T | shequn moderation eval --spam FILE --ham FILE [--folds K]")
	}
	switch args[0] {
	case "check":
		return moderationCheck(args[1:], env)
	case "eval":
		return moderationEval(args[1:], env)
	}
	return shequn.Errorf(shequn.EINVALID, "unknown moderation command %q (have: check, eval)", args[0])
}

// moderationCheck prints every detector's verdict on one message as JSON.
func moderationCheck(args []string, env Env) error {
	fs := newFlags("moderation check", env)
	text := fs.String("text", "", "the message to check")
	joined := fs.Duration("joined", 0, "how long ago the sender joined (e.g. 30m); 0 = unknown")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *text == "" {
		return shequn.Errorf(shequn.EINVALID, "--text: required")
	}
	c, err := moderation.NewChecker(moderation.DefaultConfig(), moderation.SeedClassifier())
	if err != nil {
		return err
	}
	now := time.Now()
	m := moderation.Message{Text: *text, Member: "cli", Community: "cli", TS: now}
	if *joined > 0 {
		m.JoinedAt = now.Add(-*joined)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(c.Check(m))
}

func readMessages(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, shequn.Errorf(shequn.EINVALID, "read %s: %v", path, err)
	}
	lines := moderation.Lines(string(data))
	if len(lines) == 0 {
		return nil, shequn.Errorf(shequn.EINVALID, "%s holds no messages", path)
	}
	return lines, nil
}

// moderationEval measures precision, recall and F1 on labelled files.
func moderationEval(args []string, env Env) error {
	fs := newFlags("moderation eval", env)
	spamF := fs.String("spam", "", "file of spam messages, one a line")
	hamF := fs.String("ham", "", "file of normal messages, one a line")
	trainSpamF := fs.String("train-spam", "", "extra spam to train on")
	trainHamF := fs.String("train-ham", "", "extra normal messages to train on")
	folds := fs.Int("folds", 0, "K-fold cross-validation over --spam and --ham (0: train on --train-* only)")
	seed := fs.Uint64("seed", 1, "seed of the fold split")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *spamF == "" || *hamF == "" {
		return shequn.Errorf(shequn.EINVALID, "--spam and --ham: both required")
	}
	if *folds == 1 || *folds < 0 || *folds > 50 {
		return shequn.Errorf(shequn.EINVALID, "--folds %d: want 0 or 2 to 50", *folds)
	}
	var ec moderation.EvalConfig
	var err error
	for _, f := range []struct {
		path string
		dst  *[]string
	}{{*spamF, &ec.Spam}, {*hamF, &ec.Ham}, {*trainSpamF, &ec.TrainSpam}, {*trainHamF, &ec.TrainHam}} {
		if *f.dst, err = readMessages(f.path); err != nil {
			return err
		}
	}
	ec.Folds, ec.Seed, ec.Config = *folds, *seed, moderation.DefaultConfig()
	s, err := moderation.Eval(ec)
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	fmt.Fprintf(env.Stdout, "spam %d, ham %d: tp %d fp %d fn %d tn %d; spam verdicts by detector %v\n",
		len(ec.Spam), len(ec.Ham), s.TP, s.FP, s.FN, s.TN, s.ByDetector)
	fmt.Fprintf(env.Stdout, "eval: precision %.3f recall %.3f f1 %.3f\n", s.Precision(), s.Recall(), s.F1())
	return nil
}

func benchModeration(_ context.Context, args []string, env Env) error {
	fs := newFlags("bench moderation", env)
	messages := fs.Int("messages", 2_000_000, "messages to check")
	keywords := fs.Int("keywords", 2000, "keywords loaded")
	regexes := fs.Int("regexes", 50, "regular expressions loaded")
	workers := fs.Int("workers", 0, "goroutines (default: one per CPU)")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := bench.Moderation(bench.ModerationConfig{Messages: *messages, Keywords: *keywords, Regexes: *regexes, Workers: *workers}, env.Stdout)
	return err
}
