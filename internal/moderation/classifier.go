package moderation

import (
	"bytes"
	"cmp"
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
// once per message. It is trained with AdaGrad over a few epochs, then
// calibrated: A and B map its raw score z to a probability
// sigmoid(A·z + B) fitted on out-of-fold scores (Platt scaling), so that
// "0.9" means about nine in ten such messages are spam.
type Classifier struct {
	W    []float32 // weight per hashed feature
	Bias float32
	Docs [2]int // ham, spam samples seen
	A, B float32
}

const (
	featureBits = 18
	epochs      = 12
	rate        = 0.15
	l2          = 1e-6
	calibFolds  = 5
)

// NewClassifier returns an untrained classifier.
func NewClassifier() *Classifier { return &Classifier{W: make([]float32, 1<<featureBits), A: 1} }

type sample struct {
	f []uint32
	y float32
}

func samples(spam, ham []string) []sample {
	data := make([]sample, 0, len(spam)+len(ham))
	for _, s := range spam {
		data = append(data, sample{bucket(features(new(Normalize(s)), nil)), 1})
	}
	for _, s := range ham {
		data = append(data, sample{bucket(features(new(Normalize(s)), nil)), 0})
	}
	return data
}

// Train fits the model to the labelled samples (replacing what it knew)
// and calibrates it.
func (c *Classifier) Train(spam, ham []string) {
	data := samples(spam, ham)
	c.Docs = [2]int{len(ham), len(spam)}
	c.A, c.B = 1, 0
	if len(spam) == 0 || len(ham) == 0 {
		return
	}
	c.A, c.B = calibrate(data)
	c.fit(data)
}

// fit runs AdaGrad over data, weighing the classes equally however
// unbalanced the samples are.
func (c *Classifier) fit(data []sample) {
	var n [2]int
	for _, d := range data {
		n[int(d.y)]++
	}
	clear(c.W)
	c.Bias = 0
	if n[0] == 0 || n[1] == 0 {
		return
	}
	weight := [2]float32{float32(len(data)) / float32(2*n[0]), float32(len(data)) / float32(2*n[1])}
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

// calibrate scores every sample with a model trained without its fold and
// fits sigmoid(A·z + B) to those scores.
func calibrate(data []sample) (float32, float32) {
	zs := make([]float32, len(data))
	tmp := NewClassifier()
	for k := range calibFolds {
		var train []sample
		for i, d := range data {
			if i%calibFolds != k {
				train = append(train, d)
			}
		}
		tmp.fit(train)
		for i := k; i < len(data); i += calibFolds {
			zs[i] = tmp.score(data[i].f)
		}
	}
	ys := make([]float32, len(data))
	for i, d := range data {
		ys[i] = d.y
	}
	return Platt(zs, ys)
}

// Platt fits P(y=1 | z) = sigmoid(A·z + B) by Newton's method with a
// backtracking line search on the log loss, with Platt's smoothed targets
// so that a separable sample does not drive A to infinity.
func Platt(zs, ys []float32) (float32, float32) {
	var pos, neg float64
	for _, y := range ys {
		if y > 0.5 {
			pos++
		} else {
			neg++
		}
	}
	hi, lo := (pos+1)/(pos+2), 1/(neg+2)
	target := func(i int) float64 {
		if ys[i] > 0.5 {
			return hi
		}
		return lo
	}
	loss := func(a, b float64) float64 {
		var l float64
		for i, z := range zs {
			x := a*float64(z) + b
			// log(1+e^x) − t·x, computed without overflow
			l += max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) - target(i)*x
		}
		return l
	}
	a, b := 1.0, math.Log((lo+pos)/(lo+neg)) // start at the prior
	cur := loss(a, b)
	for range 100 {
		var ga, gb, haa, hab, hbb float64
		for i, z := range zs {
			p := 1 / (1 + math.Exp(-(a*float64(z) + b)))
			d := p - target(i)
			w := max(p*(1-p), 1e-12)
			ga += d * float64(z)
			gb += d
			haa += w * float64(z) * float64(z)
			hab += w * float64(z)
			hbb += w
		}
		haa, hbb = haa+1e-12, hbb+1e-12
		det := haa*hbb - hab*hab
		if det <= 0 || math.Abs(ga)+math.Abs(gb) < 1e-9 {
			break
		}
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		step := 1.0
		for ; step > 1e-10; step /= 2 {
			if l := loss(a-step*da, b-step*db); l < cur {
				a, b, cur = a-step*da, b-step*db, l
				break
			}
		}
		if step <= 1e-10 {
			break
		}
	}
	return float32(a), float32(b)
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

// Probability returns the calibrated P(spam | text).
func (c *Classifier) Probability(t *Text) float64 {
	if !c.Trained() {
		return 0
	}
	return c.calibrated(c.score(bucket(features(t, nil))))
}

func (c *Classifier) calibrated(z float32) float64 {
	a := c.A
	if a == 0 { // a model saved before calibration
		a = 1
	}
	return float64(sigmoid(a*z + c.B))
}

// Term is a piece of a message and how far it pushed the classifier's
// score toward spam (positive) or normal (negative), on the calibrated
// log-odds scale.
type Term struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
}

// Explain returns the calibrated P(spam | text) and the terms that pushed
// it most, strongest first.
func (c *Classifier) Explain(t *Text, n int) (float64, []Term) {
	if !c.Trained() {
		return 0, nil
	}
	var labels []string
	hs := features(t, &labels)
	a := float64(c.A)
	if a == 0 {
		a = 1
	}
	seen := map[uint64]bool{}
	byLabel := map[string]int{} // a word and its trigrams are one term
	terms := make([]Term, 0, len(hs))
	var z float32 = c.Bias
	for i, h := range hs {
		if seen[h] {
			continue
		}
		seen[h] = true
		b := uint32(h >> (64 - featureBits))
		z += c.W[b]
		if j, ok := byLabel[labels[i]]; ok {
			terms[j].Weight += a * float64(c.W[b])
			continue
		}
		byLabel[labels[i]] = len(terms)
		terms = append(terms, Term{Text: labels[i], Weight: a * float64(c.W[b])})
	}
	slices.SortStableFunc(terms, func(x, y Term) int { return cmp.Compare(math.Abs(y.Weight), math.Abs(x.Weight)) })
	return c.calibrated(z), terms[:min(n, len(terms))]
}

func (c *Classifier) check(t *Text, threshold float64) Verdict {
	if !c.Trained() {
		return Verdict{Detector: DetClassifier, Details: "not trained"}
	}
	p := c.Probability(t)
	if p < threshold {
		return Verdict{Detector: DetClassifier, Score: p}
	}
	_, terms := c.Explain(t, 5) // only a spam verdict is explained: it is the costly path
	return Verdict{Detector: DetClassifier, Spam: true, Score: p, Terms: terms, Details: describeTerms(terms)}
}

// describeTerms writes terms as "free +1.8, 赚 +1.2, thanks −0.9".
func describeTerms(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		sign := "+"
		if t.Weight < 0 {
			sign = "−"
		}
		parts[i] = fmt.Sprintf("%s %s%.1f", t.Text, sign, math.Abs(t.Weight))
	}
	return strings.Join(parts, ", ")
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

// featureSet collects hashed features and, when explaining, a readable
// label for each.
type featureSet struct {
	hs     []uint64
	labels *[]string
}

func (f *featureSet) add(h uint64, label func() string) {
	f.hs = append(f.hs, h)
	if f.labels != nil {
		*f.labels = append(*f.labels, label())
	}
}

// features extracts the hashed features of a message: tag-prefixed words,
// word pairs, character trigrams of words (with ^ and $ marking the ends),
// Chinese characters and character pairs, and shape tokens. Each feature
// counts once. With labels set, it also returns a readable label per
// feature (in the same order) for explanations.
func features(t *Text, labels *[]string) []uint64 {
	s := t.Folded
	f := &featureSet{hs: make([]uint64, 0, 64), labels: labels}
	if raw, _ := t.Links(); len(raw) > 0 {
		f.add(mix(fnvOffset, "<url>"), func() string { return "a link" })
		for _, l := range raw {
			s = strings.Replace(s, l, " ", 1)
		}
	}
	rs := []rune(s)
	var prevWord uint64
	var prevText string
	prevHan := rune(-1)
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := rs[start:end]
		start = -1
		var wh uint64
		word := string(w)
		if allDigits(w) {
			wh = mix(mix(fnvOffset, "n"), fmt.Sprint(min(len(w), 12)))
			word = fmt.Sprintf("a %d-digit number", len(w))
		} else {
			wh = fnvOffset
			for _, r := range w {
				wh = mixRune(wh, r)
			}
			wh = mix(wh, "w")
			if len(w) > 2 {
				appendTrigrams(f, w)
			}
		}
		f.add(wh, func() string { return word })
		if prevWord != 0 {
			prev := prevText
			f.add(mix(wh^prevWord*31, "ww"), func() string { return prev + " " + word })
		}
		prevWord, prevText = wh, word
	}
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			flush(i)
			f.add(mixRune(mix(fnvOffset, "h"), r), func() string { return string(r) })
			if prevHan >= 0 {
				p := prevHan
				f.add(mixRune(mixRune(mix(fnvOffset, "hh"), prevHan), r), func() string { return string(p) + string(r) })
			}
			prevHan, prevWord = r, 0
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			prevHan = -1
		case r > 0x2000 && unicode.In(r, unicode.So, unicode.Sk):
			flush(i)
			f.add(mix(fnvOffset, "<emoji>"), func() string { return "an emoji" })
			prevHan, prevWord = -1, 0
		default:
			flush(i)
			if !unicode.IsSpace(r) {
				prevHan = -1
			}
		}
	}
	flush(len(rs))
	appendShape(f, t)
	if labels == nil {
		slices.Sort(f.hs) // each feature counts once
		return slices.Compact(f.hs)
	}
	return f.hs // explanations drop repeats themselves, keeping labels aligned
}

// appendTrigrams adds the character trigrams of ^word$.
func appendTrigrams(f *featureSet, w []rune) {
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
		f.add(h, func() string { return string(w) }) // a word's trigrams count toward the word
	}
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
func appendShape(f *featureSet, t *Text) {
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
	f.add(mixRune(mix(fnvOffset, "<len>"), rune(bits.Len(uint(n)))), func() string { return fmt.Sprintf("length about %d", 1<<max(0, bits.Len(uint(n))-1)) })
	f.add(mixRune(mix(fnvOffset, "<emoji>"), rune(min(emoji, 4))), func() string { return fmt.Sprintf("%d emoji", min(emoji, 4)) })
	flags := []struct {
		on         bool
		tag, label string
	}{
		{letters >= 10 && upper*2 > letters, "<caps>", "capital letters"},
		{strings.Contains(t.Original, "@"), "<mention>", "an @"},
		{strings.Contains(t.Original, "#"), "<hashtag>", "a #"},
		{strings.Contains(t.Original, "!!") || strings.Contains(t.Original, "！！"), "<bang>", "!!"},
	}
	for _, fl := range flags {
		if fl.on {
			f.add(mix(fnvOffset, fl.tag), func() string { return fl.label })
		}
	}
}
