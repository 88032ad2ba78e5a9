package moderation

import (
	"fmt"
	"slices"
	"time"
)

// Detector is one way of telling spam. It reads a message (its text
// normalised in t) and the verdicts of the detectors before it in the
// list, and explains its answer. A detector that remembers what came
// before (flood, duplicate) keeps its state behind its own lock.
type Detector interface {
	Name() string
	Check(m *Message, t *Text, before []Verdict) Verdict
}

// entry is a detector of the list: how to build it from a workspace's
// configuration (nil: nothing to do with this configuration).
type entry struct {
	name  string
	build func(cfg Config, cls *Classifier) (Detector, error)
}

// detectorList is every detector, in the order they run (newcomer reads
// the link and contact verdicts, so it comes after them). A new detector
// is one file and one line here; its name's translation (det_<name>) goes
// in the console's catalogs, which a test checks against Names().
var detectorList = []entry{
	{DetKeyword, func(cfg Config, _ *Classifier) (Detector, error) { return newKeywordDetector(cfg.Keywords), nil }},
	{DetRegex, func(cfg Config, _ *Classifier) (Detector, error) { return newRegexDetector(cfg.Regexes) }},
	{DetLink, func(cfg Config, _ *Classifier) (Detector, error) {
		return newLinkDetector(cfg.DenyDomains, cfg.AllowDomains), nil
	}},
	{DetContact, func(Config, *Classifier) (Detector, error) { return contactDetector{}, nil }},
	{DetLookalike, func(Config, *Classifier) (Detector, error) { return lookalikeDetector{}, nil }},
	{DetQRCode, func(Config, *Classifier) (Detector, error) { return qrDetector{}, nil }},
	{DetFlood, func(cfg Config, _ *Classifier) (Detector, error) {
		return newFloodDetector(cfg.FloodCount, cfg.FloodWindow), nil
	}},
	{DetDuplicate, func(cfg Config, _ *Classifier) (Detector, error) {
		return newDuplicateDetector(cfg.DupGroups, cfg.DupWindow), nil
	}},
	{DetNewcomer, func(cfg Config, _ *Classifier) (Detector, error) { return newcomerDetector{cfg.NewcomerWindow}, nil }},
	{DetClassifier, func(cfg Config, cls *Classifier) (Detector, error) {
		if cls == nil {
			return nil, nil
		}
		return classifierDetector{cls, cfg.ClassifierThreshold}, nil
	}},
}

// Names lists every detector's name, in the order they run.
func Names() []string {
	out := make([]string, len(detectorList))
	for i, e := range detectorList {
		out[i] = e.name
	}
	return out
}

func knownDetector(d string) bool { return slices.Contains(Names(), d) }

// newcomerDetector flags links or contact details from someone who joined
// less than window ago.
type newcomerDetector struct{ window time.Duration }

func (newcomerDetector) Name() string { return DetNewcomer }

func (d newcomerDetector) Check(m *Message, _ *Text, before []Verdict) Verdict {
	v := Verdict{Detector: DetNewcomer}
	if d.window <= 0 || m.JoinedAt.IsZero() || m.TS.Sub(m.JoinedAt) >= d.window {
		return v
	}
	var spans string
	for _, b := range before {
		if b.Detector == DetLink || b.Detector == DetContact {
			spans += b.Span
		}
	}
	if spans != "" {
		v.Spam, v.Score, v.Span = true, 0.9, spans
		v.Details = fmt.Sprintf("link or contact %v after joining", m.TS.Sub(m.JoinedAt).Round(time.Minute))
	}
	return v
}

// classifierDetector asks the trained classifier.
type classifierDetector struct {
	cls       *Classifier
	threshold float64
}

func (classifierDetector) Name() string { return DetClassifier }

func (d classifierDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	return d.cls.check(t, d.threshold)
}
