package moderation

import (
	"fmt"
	"regexp"
)

// regexDetector runs operator-written regular expressions (RE2 syntax, so
// no pathological backtracking) against the folded text.
type regexDetector struct {
	res []*regexp.Regexp
}

func newRegexDetector(patterns []string) (*regexDetector, error) {
	d := &regexDetector{}
	for i, p := range patterns {
		if len(p) > 1000 {
			return nil, fmt.Errorf("regex %d: longer than 1000 bytes", i+1)
		}
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return nil, fmt.Errorf("regex %d %q: %w", i+1, p, err)
		}
		d.res = append(d.res, re)
	}
	return d, nil
}

func (d *regexDetector) check(t *Text) Verdict {
	for _, re := range d.res {
		if loc := re.FindStringIndex(t.Folded); loc != nil {
			return Verdict{Detector: DetRegex, Spam: true, Score: 1, Span: t.Folded[loc[0]:loc[1]], Details: "matches " + re.String()[4:]}
		}
	}
	return Verdict{Detector: DetRegex}
}
