package moderation

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
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

func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// features extracts the hashed features of a message.
func features(t *Text) []uint64 {
	s := t.Folded
	seen := map[uint64]struct{}{}
	var out []uint64
	add := func(parts ...string) {
		h := hash(parts...)
		if _, ok := seen[h]; !ok {
			seen[h] = struct{}{}
			out = append(out, h)
		}
	}
	if linkRE.MatchString(s) {
		add("<url>")
		s = linkRE.ReplaceAllString(s, " ")
	}
	var prevWord, prevHan string
	var word strings.Builder
	flush := func() {
		if word.Len() == 0 {
			return
		}
		w := word.String()
		word.Reset()
		if isNumber(w) {
			w = fmt.Sprintf("<num%d>", min(len(w), 12))
		}
		add("w", w)
		if rs := []rune("^" + w + "$"); len(rs) > 4 {
			for i := 0; i+3 <= len(rs); i++ {
				add("c", string(rs[i:i+3]))
			}
		}
		if prevWord != "" {
			add("ww", prevWord, w)
		}
		prevWord = w
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			flush()
			ch := string(r)
			add("h", ch)
			if prevHan != "" {
				add("hh", prevHan, ch)
			}
			prevHan, prevWord = ch, ""
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
			prevHan = ""
		case r > 0x2000 && unicode.In(r, unicode.So, unicode.Sk):
			flush()
			add("<emoji>")
			prevHan, prevWord = "", ""
		default:
			flush()
			if !unicode.IsSpace(r) {
				prevHan = ""
			}
		}
	}
	flush()
	for _, f := range shape(t) {
		add(f)
	}
	return out
}

// shape describes the look of a message: length, shouting, emoji,
// mentions, hashtags, exclamation runs.
func shape(t *Text) []string {
	var letters, upper, emoji int
	for _, r := range t.Original {
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
	out := []string{fmt.Sprintf("<len%d>", bits.Len(uint(len([]rune(t.Original))))), fmt.Sprintf("<emoji%d>", min(emoji, 4))}
	if letters >= 10 && upper*2 > letters {
		out = append(out, "<caps>")
	}
	if strings.Contains(t.Original, "@") {
		out = append(out, "<mention>")
	}
	if strings.Contains(t.Original, "#") {
		out = append(out, "<hashtag>")
	}
	if strings.Contains(t.Original, "!!") || strings.Contains(t.Original, "！！") {
		out = append(out, "<bang>")
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
