package moderation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Piece is a run of a message's text; Hit marks what a detector matched.
type Piece struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit"`
}

// Highlight cuts text into pieces with every span found in it marked.
// Spans come from the normalised text (folded, separators removed), so
// they are looked for the way the detectors read: case, full-width forms,
// look-alike letters, and separators between the span's characters
// ("加 微 信", "加💚微💚信") do not hinder a match.
func Highlight(text string, spans []string) []Piece {
	hit := make([]bool, len(text))
	for _, span := range spans {
		want := []rune(foldString(span))
		if len(want) == 0 {
			continue
		}
		for start := 0; start < len(text); {
			end, ok := matchAt(text, start, want)
			if ok {
				for i := start; i < end; i++ {
					hit[i] = true
				}
				start = end
				continue
			}
			_, size := utf8.DecodeRuneInString(text[start:])
			start += size
		}
	}
	var out []Piece
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && hit[j] == hit[i] {
			j++
		}
		out = append(out, Piece{Text: text[i:j], Hit: hit[i]})
		i = j
	}
	return out
}

// matchAt matches want against text from byte start, skipping separators
// between matched characters; it returns the end of the match.
func matchAt(text string, start int, want []rune) (int, bool) {
	k := 0
	i := start
	for i < len(text) && k < len(want) {
		r, size := utf8.DecodeRuneInString(text[i:])
		folded := []rune(foldString(string(r)))
		switch {
		case len(folded) > 0 && hasPrefix(want[k:], folded):
			k += len(folded)
		case k > 0 && (len(folded) == 0 || isSeparator(r)):
			// a separator inside the span
		default:
			return 0, false
		}
		i += size
	}
	return i, k == len(want)
}

func hasPrefix(s, prefix []rune) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := range prefix {
		if s[i] != prefix[i] {
			return false
		}
	}
	return true
}

// foldString reads s as the detectors do: NFKC, lower case, look-alike
// letters mapped to Latin, zero-width characters and spaces dropped.
func foldString(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if isZeroWidth(r) || unicode.IsSpace(r) {
			continue
		}
		if l, ok := homoglyphs[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSeparator(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || isZeroWidth(r)
}
