package moderation

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

// Classifier is a logistic-regression text classifier over hashed
// features: words, word pairs and character trigrams for alphabetic
// scripts, characters and character pairs for Chinese (so no dictionary is
// needed), plus shape tokens (links, numbers, emoji). Each feature counts
// once per message. It is trained with AdaGrad over a few epochs.
type Classifier struct {
	W    []float32 // weight per hashed feature
	Bias float32
	Docs [2]int // ham, spam samples seen
}

const (
	featureBits = 18
	epochs      = 12
	rate        = 0.3
	l2          = 1e-6
)

// NewClassifier returns an untrained classifier.
func NewClassifier() *Classifier { return &Classifier{W: make([]float32, 1<<featureBits)} }

// Train fits the model to the labelled samples (replacing what it knew).
func (c *Classifier) Train(spam, ham []string) {
	type sample struct {
		f []uint32
		y float32
	}
	var data []sample
	for _, s := range spam {
		data = append(data, sample{bucket(features(new(Normalize(s)))), 1})
	}
	for _, s := range ham {
		data = append(data, sample{bucket(features(new(Normalize(s)))), 0})
	}
	c.Docs = [2]int{len(ham), len(spam)}
	if len(spam) == 0 || len(ham) == 0 {
		return
	}
	// weigh classes equally however unbalanced the samples are
	weight := [2]float32{float32(len(data)) / float32(2*len(ham)), float32(len(data)) / float32(2*len(spam))}
	g2 := make([]float32, len(c.W))
	var b2 float32
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	seed := uint64(len(data))
	for e := 0; e < epochs; e++ {
		for i := len(order) - 1; i > 0; i-- { // deterministic shuffle
			seed = seed*6364136223846793005 + 1442695040888963407
			j := int(seed>>33) % (i + 1)
			order[i], order[j] = order[j], order[i]
		}
		for _, i := range order {
			d := data[i]
			g := (sigmoid(c.score(d.f)) - d.y) * weight[int(d.y)]
			for _, f := range d.f {
				gf := g + l2*c.W[f]
				g2[f] += gf * gf
				c.W[f] -= rate * gf / (1e-6 + sqrt32(g2[f]))
			}
			b2 += g * g
			c.Bias -= rate * g / (1e-6 + sqrt32(b2))
		}
	}
}

func (c *Classifier) score(f []uint32) float32 {
	s := c.Bias
	for _, i := range f {
		s += c.W[i]
	}
	return s
}

func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

func bucket(fs []uint64) []uint32 {
	out := make([]uint32, len(fs))
	for i, f := range fs {
		out[i] = uint32(f >> (64 - featureBits))
	}
	return out
}

// Trained reports whether both classes had samples.
func (c *Classifier) Trained() bool { return c != nil && c.Docs[0] > 0 && c.Docs[1] > 0 }

// Spamminess returns P(spam | text) with a short explanation.
func (c *Classifier) Spamminess(t *Text) (float64, string) {
	if !c.Trained() {
		return 0, "not trained"
	}
	z := c.score(bucket(features(t)))
	return float64(sigmoid(z)), fmt.Sprintf("log-odds %.1f", z)
}

func (c *Classifier) check(t *Text, threshold float64) Verdict {
	p, why := c.Spamminess(t)
	return Verdict{Detector: DetClassifier, Spam: c.Trained() && p >= threshold, Score: p, Details: why}
}

// Marshal encodes the model.
func (c *Classifier) Marshal() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(c); err != nil {
		return nil, fmt.Errorf("encode classifier: %w", err)
	}
	return b.Bytes(), nil
}

// UnmarshalClassifier decodes a model made by Marshal.
func UnmarshalClassifier(data []byte) (*Classifier, error) {
	c := &Classifier{}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(c); err != nil {
		return nil, fmt.Errorf("decode classifier: %w", err)
	}
	if len(c.W) != 1<<featureBits {
		return nil, fmt.Errorf("decode classifier: %d weights, want %d", len(c.W), 1<<featureBits)
	}
	return c, nil
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix adds a string to an FNV-1a hash, followed by a zero byte.
func mix(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h * fnvPrime
}

// mixRune adds a rune to an FNV-1a hash.
func mixRune(h uint64, r rune) uint64 {
	h = (h ^ uint64(r&0xff)) * fnvPrime
	h = (h ^ uint64(r>>8&0xff)) * fnvPrime
	return (h ^ uint64(r>>16)) * fnvPrime
}

// features extracts the hashed features of a message: tag-prefixed words,
// word pairs, character trigrams of words (with ^ and $ marking the ends),
// Chinese characters and character pairs, and shape tokens.
func features(t *Text) []uint64 {
	s := t.Folded
	out := make([]uint64, 0, 64)
	if raw, _ := t.Links(); len(raw) > 0 {
		out = append(out, mix(fnvOffset, "<url>"))
		for _, l := range raw {
			s = strings.Replace(s, l, " ", 1)
		}
	}
	rs := []rune(s)
	var prevWord uint64
	prevHan := rune(-1)
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := rs[start:end]
		start = -1
		var wh uint64
		if allDigits(w) {
			wh = mix(mix(fnvOffset, "n"), fmt.Sprint(min(len(w), 12)))
		} else {
			wh = fnvOffset
			for _, r := range w {
				wh = mixRune(wh, r)
			}
			wh = mix(wh, "w")
			if len(w) > 2 {
				out = appendTrigrams(out, w)
			}
		}
		out = append(out, wh)
		if prevWord != 0 {
			out = append(out, mix(wh^prevWord*31, "ww"))
		}
		prevWord = wh
	}
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			flush(i)
			out = append(out, mixRune(mix(fnvOffset, "h"), r))
			if prevHan >= 0 {
				out = append(out, mixRune(mixRune(mix(fnvOffset, "hh"), prevHan), r))
			}
			prevHan, prevWord = r, 0
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			prevHan = -1
		case r > 0x2000 && unicode.In(r, unicode.So, unicode.Sk):
			flush(i)
			out = append(out, mix(fnvOffset, "<emoji>"))
			prevHan, prevWord = -1, 0
		default:
			flush(i)
			if !unicode.IsSpace(r) {
				prevHan = -1
			}
		}
	}
	flush(len(rs))
	out = appendShape(out, t)
	slices.Sort(out) // each feature counts once
	return slices.Compact(out)
}

// appendTrigrams adds the character trigrams of ^word$.
func appendTrigrams(out []uint64, w []rune) []uint64 {
	at := func(i int) rune {
		switch {
		case i == 0:
			return '^'
		case i == len(w)+1:
			return '$'
		}
		return w[i-1]
	}
	for i := 0; i+3 <= len(w)+2; i++ {
		h := mix(fnvOffset, "c")
		h = mixRune(mixRune(mixRune(h, at(i)), at(i+1)), at(i+2))
		out = append(out, h)
	}
	return out
}

func allDigits(w []rune) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// appendShape adds the look of a message: length, shouting, emoji,
// mentions, hashtags, exclamation runs.
func appendShape(out []uint64, t *Text) []uint64 {
	var n, letters, upper, emoji int
	for _, r := range t.Original {
		n++
		switch {
		case unicode.IsUpper(r):
			letters++
			upper++
		case unicode.IsLetter(r):
			letters++
		case r > 0x2000 && unicode.In(r, unicode.So, unicode.Sk):
			emoji++
		}
	}
	out = append(out, mixRune(mix(fnvOffset, "<len>"), rune(bits.Len(uint(n)))), mixRune(mix(fnvOffset, "<emoji>"), rune(min(emoji, 4))))
	flags := []struct {
		on  bool
		tag string
	}{
		{letters >= 10 && upper*2 > letters, "<caps>"},
		{strings.Contains(t.Original, "@"), "<mention>"},
		{strings.Contains(t.Original, "#"), "<hashtag>"},
		{strings.Contains(t.Original, "!!") || strings.Contains(t.Original, "！！"), "<bang>"},
	}
	for _, f := range flags {
		if f.on {
			out = append(out, mix(fnvOffset, f.tag))
		}
	}
	return out
}
