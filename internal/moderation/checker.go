package moderation

import (
	"embed"
	"fmt"
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

// DefaultConfig is what a new workspace starts with.
func DefaultConfig() Config {
	return Config{
		Keywords:    DefaultKeywords(),
		FloodCount:  6, FloodWindow: 10 * time.Second,
		DupGroups: 3, DupWindow: time.Hour,
		NewcomerWindow:      24 * time.Hour,
		ClassifierThreshold: 0.85,
	}
}

// SeedClassifier returns a classifier trained on the built-in samples:
// real Telegram spam and ham (tg-spam, MIT) and the Chinese examples.
func SeedClassifier() *Classifier {
	c := NewClassifier()
	for _, pair := range [][2]string{{"seed/tg-spam.txt", "seed/tg-ham.txt"}} {
		spam, _ := seedFS.ReadFile(pair[0])
		ham, _ := seedFS.ReadFile(pair[1])
		c.Train(Lines(string(spam)), Lines(string(ham)))
	}
	spam, _ := zhFS.ReadFile("testdata/zh-spam.txt")
	ham, _ := zhFS.ReadFile("testdata/zh-ham.txt")
	c.Train(Lines(string(spam)), Lines(string(ham)))
	return c
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
	cfg        Config
	off        map[string]bool
	keywords   *keywordDetector
	regexes    *regexDetector
	links      *linkDetector
	flood      *floodDetector
	duplicates *duplicateDetector
	classifier *Classifier
}

// NewChecker compiles cfg; a bad regex is an error naming it. cls may be nil.
func NewChecker(cfg Config, cls *Classifier) (*Checker, error) {
	re, err := newRegexDetector(cfg.Regexes)
	if err != nil {
		return nil, err
	}
	c := &Checker{cfg: cfg, off: map[string]bool{}, keywords: newKeywordDetector(cfg.Keywords), regexes: re,
		links: newLinkDetector(cfg.DenyDomains, cfg.AllowDomains), flood: newFloodDetector(cfg.FloodCount, cfg.FloodWindow),
		duplicates: newDuplicateDetector(cfg.DupGroups, cfg.DupWindow), classifier: cls}
	for _, d := range cfg.Disabled {
		if !knownDetector(d) {
			return nil, fmt.Errorf("unknown detector %q", d)
		}
		c.off[d] = true
	}
	return c, nil
}

func knownDetector(d string) bool {
	switch d {
	case DetKeyword, DetRegex, DetLink, DetContact, DetLookalike, DetQRCode, DetFlood, DetDuplicate, DetNewcomer, DetClassifier:
		return true
	}
	return false
}

// Check returns every enabled detector's verdict; the result is spam when
// any of them is.
func (c *Checker) Check(m Message) Result {
	t := Normalize(m.Text)
	var vs []Verdict
	run := func(name string, fn func() Verdict) {
		if !c.off[name] {
			vs = append(vs, fn())
		}
	}
	run(DetKeyword, func() Verdict { return c.keywords.check(&t) })
	run(DetRegex, func() Verdict { return c.regexes.check(&t) })
	var link, contact Verdict
	run(DetLink, func() Verdict { link = c.links.check(&t); return link })
	run(DetContact, func() Verdict { contact = contactDetector{}.check(&t); return contact })
	run(DetLookalike, func() Verdict { return lookalikeDetector{}.check(&t) })
	if len(m.Images) > 0 {
		run(DetQRCode, func() Verdict { return c.qrcodes(m.Images) })
	}
	run(DetFlood, func() Verdict { return c.flood.check(&m) })
	run(DetDuplicate, func() Verdict { return c.duplicates.check(&m, &t) })
	run(DetNewcomer, func() Verdict { return c.newcomer(&m, link, contact) })
	if c.classifier != nil {
		run(DetClassifier, func() Verdict { return c.classifier.check(&t, c.cfg.ClassifierThreshold) })
	}
	r := Result{Verdicts: vs}
	for _, v := range vs {
		r.Spam = r.Spam || v.Spam
		if v.Spam || v.Detector != DetClassifier {
			r.Score = max(r.Score, v.Score)
		}
	}
	return r
}

// newcomer flags links or contact details from someone who just joined.
func (c *Checker) newcomer(m *Message, link, contact Verdict) Verdict {
	v := Verdict{Detector: DetNewcomer}
	if c.cfg.NewcomerWindow <= 0 || m.JoinedAt.IsZero() || m.TS.Sub(m.JoinedAt) >= c.cfg.NewcomerWindow {
		return v
	}
	if link.Span != "" || contact.Span != "" {
		v.Spam, v.Score = true, 0.9
		v.Span = link.Span + contact.Span
		v.Details = fmt.Sprintf("link or contact %v after joining", m.TS.Sub(m.JoinedAt).Round(time.Minute))
	}
	return v
}
