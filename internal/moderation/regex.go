package moderation

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// regexDetector runs operator-written regular expressions (RE2 syntax, so
// no pathological backtracking) against the folded text. A regex runs only
// when one of the literals any match must contain occurs in the text (one
// Aho-Corasick pass finds them); regexes without such literals always run.
type regexDetector struct {
	res    []*regexp.Regexp
	always []int   // regexes with no required literal
	owners [][]int // literal index → regexes needing it
	ac     *ahocorasick.AhoCorasick
}

func newRegexDetector(patterns []string) (*regexDetector, error) {
	d := &regexDetector{}
	lits := map[string]int{}
	var litList []string
	for i, p := range patterns {
		if len(p) > 1000 {
			return nil, fmt.Errorf("regex %d: longer than 1000 bytes", i+1)
		}
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return nil, fmt.Errorf("regex %d %q: %w", i+1, p, err)
		}
		d.res = append(d.res, re)
		req := requiredLiterals(p)
		if req == nil {
			d.always = append(d.always, i)
			continue
		}
		for _, l := range req {
			k, ok := lits[l]
			if !ok {
				k = len(litList)
				lits[l] = k
				litList = append(litList, l)
				d.owners = append(d.owners, nil)
			}
			d.owners[k] = append(d.owners[k], i)
		}
	}
	if len(litList) > 0 {
		b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch, DFA: true})
		ac := b.Build(litList)
		d.ac = &ac
	}
	return d, nil
}

// requiredLiterals returns lower-case strings one of which every match of
// the pattern contains, or nil when there is no such set.
func requiredLiterals(p string) []string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return nil
	}
	lits := required(re.Simplify())
	for _, l := range lits {
		if len(l) < 2 || !utf8.ValidString(l) {
			return nil
		}
	}
	return lits
}

func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, s := range re.Sub {
			if r := required(s); r != nil && shortest(r) > shortest(best) {
				best = r
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			r := required(s)
			if r == nil {
				return nil
			}
			all = append(all, r...)
		}
		return all
	}
	return nil
}

func shortest(xs []string) int {
	if len(xs) == 0 {
		return 0
	}
	n := len(xs[0])
	for _, x := range xs[1:] {
		n = min(n, len(x))
	}
	return n
}

func (*regexDetector) Name() string { return DetRegex }

func (d *regexDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	for _, i := range d.always {
		if v, ok := d.run(i, t); ok {
			return v
		}
	}
	if d.ac == nil {
		return Verdict{Detector: DetRegex}
	}
	tried := map[int]bool{}
	it := d.ac.IterOverlapping(t.Folded)
	for m := it.Next(); m != nil; m = it.Next() {
		for _, i := range d.owners[m.Pattern()] {
			if tried[i] {
				continue
			}
			tried[i] = true
			if v, ok := d.run(i, t); ok {
				return v
			}
		}
	}
	return Verdict{Detector: DetRegex}
}

func (d *regexDetector) run(i int, t *Text) (Verdict, bool) {
	re := d.res[i]
	if loc := re.FindStringIndex(t.Folded); loc != nil {
		return Verdict{Detector: DetRegex, Spam: true, Score: 1, Span: t.Folded[loc[0]:loc[1]], Details: "matches " + re.String()[4:]}, true
	}
	return Verdict{}, false
}
