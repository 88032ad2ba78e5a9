// Package moderation decides whether a chat message is spam. Every detector
// returns the same explained Verdict (which detector, spam or not, a score,
// the matched span and details). The package is pure: no I/O; stateful
// detectors (flood, cross-group duplicates) keep bounded memory and take
// time from the message, never from the clock.
package moderation

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Text is a message in the forms the detectors match against.
type Text struct {
	// Original is the message as sent.
	Original string
	// Folded is NFKC (full-width → half-width, ① → 1), lower case, zero-width
	// characters removed, look-alike letters inside mixed-script words
	// mapped to Latin, white space collapsed.
	Folded string
	// Compact is Folded without spaces, punctuation, symbols and emoji, so
	// that "加 微 信", "加-微-信" and "加💚微💚信" all read "加微信".
	Compact string
	// MixedScript counts words that mix Latin with Cyrillic or Greek.
	MixedScript int

	links, hosts []string // found on first use by Links
	linksDone    bool
}

// Links returns the links in the folded text and their host names.
func (t *Text) Links() (raw, hosts []string) {
	if !t.linksDone {
		t.linksDone = true
		if mayHaveLink(t.Folded) {
			t.links, t.hosts = findLinks(t.Folded)
		}
	}
	return t.links, t.hosts
}

// mayHaveLink is a fast test that rules out most chat lines: a link needs
// a dot followed by a letter or digit.
func mayHaveLink(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' {
			c := s[i+1]
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				return true
			}
		}
	}
	return false
}

// homoglyphs maps Cyrillic and Greek letters that look Latin.
var homoglyphs = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'к': 'k', 'м': 'm', 'т': 't',
	'н': 'h', 'в': 'b', 'і': 'i', 'ѕ': 's', 'ј': 'j', 'ԁ': 'd', 'ɡ': 'g', 'ո': 'n', 'ս': 'u',
	'ο': 'o', 'α': 'a', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'ι': 'i', 'κ': 'k', 'ε': 'e', 'υ': 'u',
}

// Normalize returns the matching forms of s.
func Normalize(s string) Text {
	t := Text{Original: s}
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	folded := strings.TrimRight(b.String(), " ")
	t.Folded, t.MixedScript = unmix(folded)
	t.Compact = compact(t.Folded)
	return t
}

func isZeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e':
		return true
	}
	return unicode.Is(unicode.Variation_Selector, r)
}

// unmix maps look-alike letters to Latin inside words that mix scripts
// ("сrурtо" → "crypto"); words in one script are left alone.
func unmix(s string) (string, int) {
	if !strings.ContainsFunc(s, func(r rune) bool {
		_, look := homoglyphs[r]
		return look || r >= 0x250 && r <= 0x2af || r >= 0x1d00 && r <= 0x1dbf
	}) {
		return s, 0 // nothing that could pose as Latin
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	mixed := 0
	for _, w := range words {
		latin, other, foreign, odd := false, false, false, false
		for _, r := range w {
			_, look := homoglyphs[r]
			switch {
			case r >= 0x1d00 && r <= 0x1dbf || r >= 0x250 && r <= 0x2af:
				odd = true // small capitals and IPA letters pose as ordinary ones
			case r < 0x250 && unicode.IsLetter(r):
				latin = true
			case look:
				other = true
			case unicode.IsLetter(r):
				foreign = true
			}
		}
		if odd && (latin || other || foreign) {
			mixed++
			continue
		}
		// only a word that becomes all Latin is an evasion ("сrурtо");
		// "nих" mixes scripts by accident
		if !latin || !other || foreign || len([]rune(w)) < 3 {
			continue
		}
		mixed++
		fixed := strings.Map(func(r rune) rune {
			if l, ok := homoglyphs[r]; ok {
				return l
			}
			return r
		}, w)
		s = strings.Replace(s, w, fixed, 1)
	}
	return s, mixed
}

// compact keeps letters, digits and CJK; everything else goes.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// chineseDigits maps Chinese numerals used to hide phone numbers.
var chineseDigits = map[rune]rune{
	'零': '0', '〇': '0', '一': '1', '壹': '1', '幺': '1', '二': '2', '贰': '2', '两': '2', '三': '3', '叁': '3',
	'四': '4', '肆': '4', '五': '5', '伍': '5', '六': '6', '陆': '6', '七': '7', '柒': '7', '八': '8', '捌': '8',
	'九': '9', '玖': '9',
}

// Digits returns s with Chinese numerals as digits and every non-digit
// between two digits removed ("1 3 8-1234 5678" → "13812345678"), keeping
// other characters as separators.
func Digits(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if d, ok := chineseDigits[r]; ok {
			rs[i] = d
		}
	}
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
			continue
		}
		// drop up to 3 filler characters between digits
		j := i
		for j < len(rs) && j-i < 3 && !(rs[j] >= '0' && rs[j] <= '9') && !unicode.Is(unicode.Han, rs[j]) && !unicode.IsLetter(rs[j]) {
			j++
		}
		if i > 0 && j < len(rs) && j > i && rs[i-1] >= '0' && rs[i-1] <= '9' && rs[j] >= '0' && rs[j] <= '9' {
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
