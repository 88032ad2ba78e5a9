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
	vs := make([]Verdict, 0, 10)
	on := func(name string) bool { return !c.off[name] }
	if on(DetKeyword) {
		vs = append(vs, c.keywords.check(&t))
	}
	if on(DetRegex) {
		vs = append(vs, c.regexes.check(&t))
	}
	var link, contact Verdict
	if on(DetLink) {
		link = c.links.check(&t)
		vs = append(vs, link)
	}
	if on(DetContact) {
		contact = contactDetector{}.check(&t)
		vs = append(vs, contact)
	}
	if on(DetLookalike) {
		vs = append(vs, lookalikeDetector{}.check(&t))
	}
	if on(DetQRCode) && len(m.Images) > 0 {
		vs = append(vs, c.qrcodes(m.Images))
	} else if on(DetQRCode) && strings.Contains(m.Text, QRMarker) {
		vs = append(vs, qrMarked(m.Text))
	}
	if on(DetFlood) {
		vs = append(vs, c.flood.check(&m))
	}
	if on(DetDuplicate) {
		vs = append(vs, c.duplicates.check(&m, &t))
	}
	if on(DetNewcomer) {
		vs = append(vs, c.newcomer(&m, link, contact))
	}
	if on(DetClassifier) && c.classifier != nil {
		vs = append(vs, c.classifier.check(&t, c.cfg.ClassifierThreshold))
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

// Newcomer judges a message already checked without m.JoinedAt (the
// caller looks the join time up only when r found a link or contact).
func (c *Checker) Newcomer(m Message, r Result) Verdict {
	var link, contact Verdict
	for _, v := range r.Verdicts {
		switch v.Detector {
		case DetLink:
			link = v
		case DetContact:
			contact = v
		}
	}
	return c.newcomer(&m, link, contact)
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
