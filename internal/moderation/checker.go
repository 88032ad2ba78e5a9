package moderation

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"
)

//go:embed seed/*.txt
var seedFS embed.FS

//go:embed testdata/zh-spam.txt testdata/zh-ham.txt
var zhFS embed.FS

// Config selects and tunes the detectors.
type Config struct {
	Keywords     []Keyword `json:"keywords"`
	Regexes      []string  `json:"regexes"`
	DenyDomains  []string  `json:"deny_domains"`
	AllowDomains []string  `json:"allow_domains"`
	// Flood: FloodCount messages within FloodWindow (0 disables).
	FloodCount  int           `json:"flood_count"`
	FloodWindow time.Duration `json:"flood_window"`
	// Duplicate: the same text in DupGroups communities within DupWindow.
	DupGroups int           `json:"dup_groups"`
	DupWindow time.Duration `json:"dup_window"`
	// Newcomer: links or contacts within NewcomerWindow of joining.
	NewcomerWindow time.Duration `json:"newcomer_window"`
	// ClassifierThreshold is the spam probability that counts as spam.
	ClassifierThreshold float64 `json:"classifier_threshold"`
	// Disabled names detectors that are off.
	Disabled []string `json:"disabled"`
}

// DefaultKeywords returns the built-in keyword list.
func DefaultKeywords() []Keyword {
	data, _ := seedFS.ReadFile("seed/keywords.txt")
	kws, err := ParseKeywords(string(data))
	if err != nil {
		panic("moderation: built-in keywords: " + err.Error())
	}
	return kws
}

// PromotionKeywords are the optional commercial-promotions preset.
func PromotionKeywords() []Keyword {
	data, _ := seedFS.ReadFile("seed/promotions.txt")
	kws, err := ParseKeywords(string(data))
	if err != nil {
		panic("moderation: built-in promotion keywords: " + err.Error())
	}
	return kws
}

// DefaultConfig is what a new workspace starts with.
func DefaultConfig() Config {
	return Config{
		Keywords:   DefaultKeywords(),
		FloodCount: 6, FloodWindow: 10 * time.Second,
		DupGroups: 3, DupWindow: time.Hour,
		NewcomerWindow:      24 * time.Hour,
		ClassifierThreshold: 0.5,
	}
}

// SeedClassifier returns a classifier trained on the built-in samples
// (SeedSamples).
func SeedClassifier() *Classifier { return SeedClassifierWith(nil, nil) }

// SeedClassifierWith trains on the built-in samples plus a workspace's own.
func SeedClassifierWith(spam, ham []string) *Classifier {
	seedSpam, seedHam := SeedSamples()
	c := NewClassifier()
	c.Train(append(slices.Clone(spam), seedSpam...), append(slices.Clone(ham), seedHam...))
	return c
}

// SeedSamples are the built-in training samples (seed/SOURCE.txt says
// where each comes from): spam — real Telegram spam (tg-spam), real SMS
// spam (a third of the SMS Spam Collection), our Chinese ads (two sets);
// normal —
// real Telegram chat, real #ubuntu IRC chat, real SMS (a third of the
// collection's normal messages; the other two thirds are the evaluation
// set), our Chinese group chat and our group chat in both languages
// (check-ins, thanks, announcements, emoji).
func SeedSamples() (spam, ham []string) {
	read := func(fs embed.FS, name string) []string {
		data, _ := fs.ReadFile(name)
		return Lines(string(data))
	}
	for _, f := range []string{"seed/tg-spam.txt", "seed/sms-spam.txt", "seed/zh-ads.txt"} {
		spam = append(spam, read(seedFS, f)...)
	}
	spam = append(spam, read(zhFS, "testdata/zh-spam.txt")...)
	for _, f := range []string{"seed/tg-ham.txt", "seed/irc-ham.txt", "seed/sms-ham.txt", "seed/group-ham.txt", "seed/zh-chat.txt"} {
		ham = append(ham, read(seedFS, f)...)
	}
	ham = append(ham, read(zhFS, "testdata/zh-ham.txt")...)
	return spam, ham
}

// Lines splits a one-message-a-line file, dropping blank lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(l, "\ufeff")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Checker runs every enabled detector. It is safe for concurrent use.
type Checker struct {
	cfg       Config
	detectors []Detector
}

// NewChecker builds the enabled detectors of cfg; a bad regex is an error
// naming it. cls may be nil (no classifier).
func NewChecker(cfg Config, cls *Classifier) (*Checker, error) {
	for _, d := range cfg.Disabled {
		if !knownDetector(d) {
			return nil, fmt.Errorf("unknown detector %q", d)
		}
	}
	c := &Checker{cfg: cfg}
	for _, e := range detectorList {
		if slices.Contains(cfg.Disabled, e.name) {
			continue
		}
		d, err := e.build(cfg, cls)
		if err != nil {
			return nil, err
		}
		if d != nil {
			c.detectors = append(c.detectors, d)
		}
	}
	return c, nil
}

// Check returns every enabled detector's verdict; the result is spam when
// any of them is.
func (c *Checker) Check(m Message) Result {
	t := Normalize(m.Text)
	vs := make([]Verdict, 0, len(c.detectors))
	for _, d := range c.detectors {
		vs = append(vs, d.Check(&m, &t, vs))
	}
	return result(vs)
}

func result(vs []Verdict) Result {
	r := Result{Verdicts: vs}
	for _, v := range vs {
		r.Spam = r.Spam || v.Spam
		if v.Spam || v.Detector != DetClassifier {
			r.Score = max(r.Score, v.Score)
		}
	}
	return r
}

// Newcomer judges a message already checked without m.JoinedAt (the
// caller looks the join time up only when r found a link or contact).
func (c *Checker) Newcomer(m Message, r Result) Verdict {
	for _, d := range c.detectors {
		if d.Name() == DetNewcomer {
			return d.Check(&m, nil, r.Verdicts)
		}
	}
	return Verdict{Detector: DetNewcomer}
}

// HasLinkOrContact reports whether r found a link or contact details.
func (r Result) HasLinkOrContact() bool {
	for _, v := range r.Verdicts {
		if (v.Detector == DetLink || v.Detector == DetContact) && v.Span != "" {
			return true
		}
	}
	return false
}

// OnlyClassifier reports whether the classifier is the only detector that
// called the message spam.
func (r Result) OnlyClassifier() bool {
	n := 0
	for _, v := range r.Verdicts {
		if v.Spam {
			if v.Detector != DetClassifier {
				return false
			}
			n++
		}
	}
	return n == 1
}
