package moderation

import (
	"fmt"
	"math/rand/v2"
)

// Scores are the outcome of an evaluation.
type Scores struct {
	TP, FP, FN, TN int
	// ByDetector counts, per detector, the messages it called spam.
	ByDetector map[string]int
	// Calibration bins the classifier's probabilities of held-out
	// messages by tenths: how many, their mean prediction, and how many
	// were spam.
	Calibration [10]Bin
	// LeftOut counts test messages dropped because the classifier was
	// trained on them.
	LeftOut int
	// Mistakes holds the first Show false positives and false negatives.
	FalsePositives, FalseNegatives []string
	show                           int
}

// Bin is one tenth of the probability scale.
type Bin struct {
	N, Spam   int
	Predicted float64 // sum of predictions
}

// FalsePositiveRate is FP / (FP + TN): how often a normal message is
// called spam.
func (s Scores) FalsePositiveRate() float64 { return ratio(s.FP, s.FP+s.TN) }

// Precision is TP / (TP + FP).
func (s Scores) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is TP / (TP + FN).
func (s Scores) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of precision and recall.
func (s Scores) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// EvalConfig describes an evaluation.
type EvalConfig struct {
	Spam, Ham           []string // the labelled test messages
	TrainSpam, TrainHam []string // extra training samples (always in training)
	Folds               int      // > 1: K-fold cross-validation over Spam and Ham
	Config              Config   // detectors; stateful ones see no member, so they stay quiet
	Seed                uint64
	// Shipped tests the classifier new workspaces get (SeedClassifier)
	// instead of training one; test messages it was trained on are left
	// out (counted in LeftOut).
	Shipped bool
	// Show keeps up to this many mistakes of each kind.
	Show int
}

// Eval measures the checker. With Folds > 1 the classifier of each fold is
// trained on the other folds (plus TrainSpam/TrainHam) and tested on its
// own fold; otherwise it is trained on TrainSpam/TrainHam only, or, when
// those are empty, not used.
func Eval(ec EvalConfig) (Scores, error) {
	s := Scores{ByDetector: map[string]int{}, show: ec.Show}
	if len(ec.Spam) == 0 || len(ec.Ham) == 0 {
		return s, fmt.Errorf("eval: need spam and ham messages")
	}
	if ec.Shipped {
		seedSpam, seedHam := SeedSamples()
		spam, n1 := without(ec.Spam, seedSpam)
		ham, n2 := without(ec.Ham, seedHam)
		s.LeftOut = n1 + n2
		return s, evalFold(&s, ec.Config, SeedClassifier(), spam, ham)
	}
	if ec.Folds <= 1 {
		var cls *Classifier
		if len(ec.TrainSpam) > 0 && len(ec.TrainHam) > 0 {
			cls = NewClassifier()
			cls.Train(ec.TrainSpam, ec.TrainHam)
		}
		return s, evalFold(&s, ec.Config, cls, ec.Spam, ec.Ham)
	}
	spamFold, hamFold := folds(len(ec.Spam), ec.Folds, ec.Seed), folds(len(ec.Ham), ec.Folds, ec.Seed+1)
	for k := 0; k < ec.Folds; k++ {
		trainS, testS := split(ec.Spam, spamFold, k)
		trainH, testH := split(ec.Ham, hamFold, k)
		cls := NewClassifier()
		cls.Train(append(trainS, ec.TrainSpam...), append(trainH, ec.TrainHam...))
		if err := evalFold(&s, ec.Config, cls, testS, testH); err != nil {
			return s, err
		}
	}
	return s, nil
}

func evalFold(s *Scores, cfg Config, cls *Classifier, spam, ham []string) error {
	c, err := NewChecker(cfg, cls)
	if err != nil {
		return err
	}
	for label, msgs := range [][]string{ham, spam} {
		for _, text := range msgs {
			r := c.Check(Message{Text: text})
			if cls.Trained() {
				p := cls.Probability(new(Normalize(text)))
				b := &s.Calibration[min(int(p*10), 9)]
				b.N++
				b.Predicted += p
				b.Spam += label
			}
			for _, v := range r.Verdicts {
				if v.Spam {
					s.ByDetector[v.Detector]++
				}
			}
			switch {
			case r.Spam && label == 1:
				s.TP++
			case r.Spam:
				s.FP++
				if len(s.FalsePositives) < s.show {
					s.FalsePositives = append(s.FalsePositives, text)
				}
			case label == 1:
				s.FN++
				if len(s.FalseNegatives) < s.show {
					s.FalseNegatives = append(s.FalseNegatives, text)
				}
			default:
				s.TN++
			}
		}
	}
	return nil
}

// without returns xs minus the messages in drop, and how many it dropped.
func without(xs, drop []string) ([]string, int) {
	seen := make(map[string]bool, len(drop))
	for _, d := range drop {
		seen[d] = true
	}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			out = append(out, x)
		}
	}
	return out, len(xs) - len(out)
}

// folds assigns each of n items to one of k folds, shuffled by seed.
func folds(n, k int, seed uint64) []int {
	idx := rand.New(rand.NewPCG(seed, 42)).Perm(n)
	f := make([]int, n)
	for pos, i := range idx {
		f[i] = pos % k
	}
	return f
}

func split(xs []string, fold []int, k int) (train, test []string) {
	for i, x := range xs {
		if fold[i] == k {
			test = append(test, x)
		} else {
			train = append(train, x)
		}
	}
	return train, test
}
