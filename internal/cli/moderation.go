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
	folds := fs.Int("folds", 0, "K-fold cross-validation over --spam and --ham (0: train on --train-* only, or without them test the shipped classifier)")
	seed := fs.Uint64("seed", 1, "seed of the fold split")
	show := fs.Int("show", 0, "print up to this many false positives and false negatives")
	threshold := fs.Float64("threshold", moderation.DefaultConfig().ClassifierThreshold, "classifier probability that counts as spam")
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
	if *threshold <= 0 || *threshold > 1 {
		return shequn.Errorf(shequn.EINVALID, "--threshold %v: want a probability above 0, at most 1", *threshold)
	}
	ec.Folds, ec.Seed, ec.Config = *folds, *seed, moderation.DefaultConfig()
	ec.Config.ClassifierThreshold = *threshold
	ec.Show = max(0, *show)
	ec.Shipped = *folds == 0 && len(ec.TrainSpam) == 0 && len(ec.TrainHam) == 0
	s, err := moderation.Eval(ec)
	if err != nil {
		return shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	switch {
	case ec.Shipped:
		fmt.Fprintf(env.Stdout, "the shipped classifier (no extra training); %d test messages it was trained on left out\n", s.LeftOut)
	case *folds > 1:
		fmt.Fprintf(env.Stdout, "%d-fold cross-validation: each fold tested by a classifier trained on the others\n", *folds)
	}
	fmt.Fprintf(env.Stdout, "spam %d, ham %d: tp %d fp %d fn %d tn %d; spam verdicts by detector %v\n",
		s.TP+s.FN, s.FP+s.TN, s.TP, s.FP, s.FN, s.TN, s.ByDetector)
	printCalibration(env, s)
	for _, m := range s.FalsePositives {
		fmt.Fprintf(env.Stdout, "  false positive: %s\n", m)
	}
	for _, m := range s.FalseNegatives {
		fmt.Fprintf(env.Stdout, "  false negative: %s\n", m)
	}
	fmt.Fprintf(env.Stdout, "false-positive rate %.4f\n", s.FalsePositiveRate())
	fmt.Fprintf(env.Stdout, "eval: precision %.3f recall %.3f f1 %.3f\n", s.Precision(), s.Recall(), s.F1())
	return nil
}

// printCalibration writes the classifier's predicted against observed spam
// share in ten bins.
func printCalibration(env Env, s moderation.Scores) {
	if s.Calibration == ([10]moderation.Bin{}) {
		return
	}
	fmt.Fprintln(env.Stdout, "calibration (classifier probability on held-out messages): bin  n  predicted  observed")
	for i, b := range s.Calibration {
		if b.N == 0 {
			continue
		}
		fmt.Fprintf(env.Stdout, "  %.1f–%.1f %6d  %.3f  %.3f\n", float64(i)/10, float64(i+1)/10, b.N, b.Predicted/float64(b.N), float64(b.Spam)/float64(b.N))
	}
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
