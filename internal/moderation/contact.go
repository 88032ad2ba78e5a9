package moderation

import (
	"regexp"
	"strings"
)

var (
	// mainland mobile numbers, after Digits() joined split digits
	phoneRE = regexp.MustCompile(`(?:^|[^0-9])(1[3-9][0-9]{9})(?:[^0-9]|$)`)
	// other long numbers written as a phone (+country code)
	intlRE = regexp.MustCompile(`\+[0-9]{10,14}`)
	// a contact cue followed by an account id, on the compact text
	contactRE = regexp.MustCompile(`(?:^|[^a-z])((?:加|\+|➕|添加|联系|私)?(?:微信|威信|薇信|徽信|維信|薇|v信|vx|wx|weixin|wechat|扣扣|qq|企鹅|扣号|q号|q群|群号|tg|telegram|电报|whatsapp|line))((?:[a-z][a-z0-9_-]{4,19})|(?:[0-9]{5,12}))`)
	// "加我" style invitations with a handle: +v abc123, 加v abc123
	addVRE = regexp.MustCompile(`(?:加|\+|➕)(?:v|q|w)([a-z0-9_-]{5,19})`)
)

// contactCues are the words without which contactRE and addVRE cannot match.
var contactCues = []string{"微信", "威信", "薇", "徽信", "維信", "v信", "vx", "wx", "weixin", "wechat", "扣扣", "qq", "企鹅",
	"扣号", "q号", "q群", "群号", "tg", "telegram", "电报", "whatsapp", "line", "加v", "加q", "加w", "+v", "+q", "+w", "➕v", "➕q", "➕w"}

// contactDetector finds phone numbers and chat account ids, the way ads
// move people out of the group (加微信 / vx / 扣扣 / Q群 variants).
type contactDetector struct{}

// digitCount counts digits and Chinese numerals.
func digitCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		} else if _, ok := chineseDigits[r]; ok {
			n++
		}
	}
	return n
}

func hasCue(s string) bool {
	for _, c := range contactCues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

func (contactDetector) Name() string { return DetContact }

func (contactDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	if digitCount(t.Folded) >= 10 {
		if v, ok := phone(t); ok {
			return v
		}
	}
	if hasCue(t.Compact) {
		return cue(t)
	}
	return Verdict{Detector: DetContact}
}

func phone(t *Text) (Verdict, bool) {
	if m := phoneRE.FindStringSubmatch(Digits(t.Folded)); m != nil {
		return Verdict{Detector: DetContact, Spam: true, Score: 0.9, Span: m[1], Details: "mobile phone number"}, true
	}
	if m := intlRE.FindString(Digits(t.Folded)); m != "" {
		return Verdict{Detector: DetContact, Spam: true, Score: 0.8, Span: m, Details: "phone number"}, true
	}
	return Verdict{}, false
}

func cue(t *Text) Verdict {
	if m := contactRE.FindStringSubmatch(t.Compact); m != nil {
		return Verdict{Detector: DetContact, Spam: true, Score: 0.9, Span: m[1] + m[2], Details: "account id after " + m[1]}
	}
	if m := addVRE.FindStringSubmatch(t.Compact); m != nil {
		return Verdict{Detector: DetContact, Spam: true, Score: 0.8, Span: m[0], Details: "add-me handle"}
	}
	return Verdict{Detector: DetContact}
}

// lookalikeDetector flags words that mix Latin with Cyrillic or Greek
// look-alikes, a way to dodge keyword lists ("сrурtо").
type lookalikeDetector struct{}

func (lookalikeDetector) Name() string { return DetLookalike }

func (lookalikeDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	switch {
	case t.MixedScript >= 2:
		return Verdict{Detector: DetLookalike, Spam: true, Score: 0.8, Details: "words mixing Latin and look-alike letters"}
	case t.MixedScript == 1:
		return Verdict{Detector: DetLookalike, Score: 0.4, Details: "a word mixing Latin and look-alike letters"}
	}
	return Verdict{Detector: DetLookalike}
}
