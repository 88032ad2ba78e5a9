// Package questions finds questions in chat messages and attributes their
// answers. It is pure: no I/O, no clock; callers feed messages in time order.
package questions

import (
	"strings"
	"unicode"
)

// Cue names why a message counts as a question; the console shows it.
type Cue string

// Cues, strongest first.
const (
	CueMark      Cue = "question-mark"    // ends with ? or ？
	CueParticle  Cue = "zh-particle"      // ends with 吗/呢/么…
	CueZhWord    Cue = "zh-interrogative" // 怎么/如何/为什么/请问/有没有…
	CueEnOpening Cue = "en-opening"       // how/what/does/can anyone…
	CueHelp      Cue = "help-request"     // "anyone know", "求助", "help me"
)

// enOpeners start an English question when they are the first word.
var enOpeners = map[string]bool{
	"how": true, "what": true, "why": true, "where": true, "when": true, "which": true, "who": true, "whats": true, "what's": true,
	"is": true, "are": true, "does": true, "do": true, "did": true, "can": true, "could": true, "would": true, "should": true,
	"will": true, "has": true, "have": true, "anyone": true, "anybody": true, "somebody": true, "someone": true, "isnt": true,
	"isn't": true, "doesn't": true, "doesnt": true, "hows": true, "how's": true, "wheres": true, "where's": true,
}

// helpPhrases mark a request for help anywhere in a message.
var helpPhrases = []string{
	"anyone know", "anybody know", "does anyone", "does anybody", "can anyone", "can anybody", "can someone",
	"could someone", "could anyone", "is there a way", "is there any way", "any idea", "any ideas", "need help",
	"help me", "i need to know", "i wonder", "i was wondering", "how do i", "how can i", "how to ",
	"求助", "求教", "请教", "请问", "问一下", "问下", "想问", "有人知道", "谁知道", "有没有人", "大佬们", "求推荐",
}

var zhWords = []string{"怎么", "怎样", "如何", "为什么", "为啥", "咋", "什么", "啥", "哪里", "哪个", "哪些", "哪儿", "多少", "几点", "是否", "有没有", "能不能", "可不可以", "会不会", "是不是", "要不要", "行不行", "对不对"}

var zhParticles = []string{"吗", "嘛", "呢", "么", "不", "没"}

// Detect reports whether text is a question and which cue fired.
func Detect(text string) (Cue, bool) {
	t := strings.TrimSpace(text)
	if t == "" || isGreeting(t) {
		return "", false
	}
	t = strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("~～.。!！:)）(（=;", r) })
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.Contains(t, "? ") || strings.Contains(t, "？") {
		return CueMark, true
	}
	for _, p := range zhParticles {
		if strings.HasSuffix(t, p) && hasHan(t) && len([]rune(t)) > 2 {
			return CueParticle, true
		}
	}
	lower := strings.ToLower(t)
	for _, p := range helpPhrases {
		if strings.Contains(lower, p) {
			return CueHelp, true
		}
	}
	for _, w := range zhWords {
		if strings.Contains(t, w) {
			return CueZhWord, true
		}
	}
	if first := firstWord(stripAddress(lower)); enOpeners[first] && len(strings.Fields(lower)) >= 4 {
		return CueEnOpening, true
	}
	return "", false
}

func isGreeting(t string) bool {
	switch strings.ToLower(strings.Trim(t, " ?？!！.")) {
	case "hi", "hello", "hey", "ok", "okay", "what", "why", "huh", "really", "yes", "no", "?", "??", "嗯", "好", "是吗", "真的吗", "对吗", "好吗", "在吗", "有人吗", "lol":
		return true
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[0], ",.!:;")
}

// stripAddress removes a leading "name:" or "name," address.
func stripAddress(s string) string {
	if name, rest, ok := cutAddress(s); ok && name != "" {
		return rest
	}
	return s
}

// cutAddress splits "nick: text", "nick, text" or "@nick text" into the
// addressed name and the rest.
func cutAddress(s string) (name, rest string, ok bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "@") {
		n, r, _ := strings.Cut(s[1:], " ")
		return strings.TrimRight(n, ",:，："), strings.TrimSpace(r), n != ""
	}
	if i := strings.LastIndex(s, " | "); i > 0 && !strings.Contains(s[i+3:], " ") { // "!factoid | nick"
		return strings.TrimSpace(s[i+3:]), strings.TrimSpace(s[:i]), true
	}
	for i, r := range s {
		if r == ' ' || i > 40 {
			return "", s, false
		}
		if r == '-' && strings.HasPrefix(s[i:], "->") && i > 0 { // "nick-> text"
			return s[:i], strings.TrimSpace(s[i+2:]), true
		}
		if r == '>' && i > 0 { // "nick> text"
			return s[:i], strings.TrimSpace(s[i+1:]), true
		}
		if (r == ':' || r == ',' || r == '：' || r == '，') && i > 0 {
			w := len(string(r))
			if i+w < len(s) && s[i+w] != ' ' && r == ':' && strings.HasPrefix(s[i+w:], "//") {
				return "", s, false // a URL
			}
			return s[:i], strings.TrimSpace(s[i+w:]), true
		}
	}
	return "", s, false
}
