package moderation

import (
	"fmt"
	"strconv"
	"strings"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// Keyword is a phrase with a weight; the message is spam when the weights
// of the distinct keywords it contains add up to 1 or more.
type Keyword struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
}

// ParseKeywords reads one keyword a line, optionally "text|weight"; blank
// lines and lines starting with # are skipped.
func ParseKeywords(s string) ([]Keyword, error) {
	var out []Keyword
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k := Keyword{Text: line, Weight: 1}
		if i := strings.LastIndexByte(line, '|'); i > 0 {
			w, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64)
			if err != nil || w <= 0 || w > 10 {
				return nil, fmt.Errorf("keyword line %d: weight %q: want a number in (0, 10]", n+1, line[i+1:])
			}
			k.Text, k.Weight = strings.TrimSpace(line[:i]), w
		}
		out = append(out, k)
	}
	return out, nil
}

// keywordDetector matches normalised keywords against the compact text
// with one Aho-Corasick automaton.
type keywordDetector struct {
	ac       ahocorasick.AhoCorasick
	keywords []Keyword // by pattern index, normalised
}

func newKeywordDetector(kws []Keyword) *keywordDetector {
	d := &keywordDetector{}
	var patterns []string
	seen := map[string]bool{}
	for _, k := range kws {
		p := Normalize(k.Text).Compact
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		patterns = append(patterns, p)
		d.keywords = append(d.keywords, Keyword{Text: p, Weight: k.Weight})
	}
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch, DFA: true})
	d.ac = b.Build(patterns)
	return d
}

func (*keywordDetector) Name() string { return DetKeyword }

func (d *keywordDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	v := Verdict{Detector: DetKeyword}
	if len(d.keywords) == 0 {
		return v
	}
	hit := map[int]bool{}
	var found []string
	strongest := -1.0
	it := d.ac.IterOverlapping(t.Compact)
	for m := it.Next(); m != nil; m = it.Next() {
		if hit[m.Pattern()] {
			continue
		}
		hit[m.Pattern()] = true
		k := d.keywords[m.Pattern()]
		v.Score += k.Weight
		found = append(found, k.Text)
		if k.Weight > strongest {
			strongest, v.Span = k.Weight, k.Text
		}
	}
	if len(found) == 0 {
		return v
	}
	v.Spam = v.Score >= 1
	v.Details = strings.Join(found, ", ")
	v.Score = min(v.Score, 1)
	return v
}
