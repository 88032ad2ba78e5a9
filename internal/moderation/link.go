package moderation

import (
	"net/url"
	"regexp"
	"strings"
)

var linkRE = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'，。）)]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|ru|io|me|ly|cc|top|xyz|info|biz|vip|shop|site|online|club|fr|gl|gd|co|link|live|app|ltd|pro|tk|ws)\b(?:/[^\s<>"'，。]*)?`)

// DefaultShorteners hide where a link goes; spam uses them to dodge lists.
var DefaultShorteners = []string{"bit.ly", "tinyurl.com", "t.cn", "url.cn", "dwz.cn", "suo.im", "urlz.fr", "goo.gl", "is.gd",
	"cutt.ly", "ow.ly", "rb.gy", "shorturl.at", "tiny.cc", "v.gd", "rebrand.ly", "t.ly", "s.id", "lnkd.in", "buff.ly"}

// linkDetector finds links and judges their domains.
type linkDetector struct {
	deny, allow, short map[string]bool
}

func newLinkDetector(deny, allow []string) *linkDetector {
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[strings.ToLower(strings.TrimSpace(x))] = true
		}
		return m
	}
	return &linkDetector{deny: set(deny), allow: set(allow), short: set(DefaultShorteners)}
}

// findLinks returns the links in folded text with their host names.
func findLinks(folded string) (raw, hosts []string) {
	for _, l := range linkRE.FindAllString(folded, 20) {
		u := l
		if !strings.Contains(u, "://") {
			u = "http://" + u
		}
		p, err := url.Parse(u)
		if err != nil || p.Hostname() == "" {
			continue
		}
		raw = append(raw, l)
		hosts = append(hosts, strings.TrimPrefix(strings.ToLower(p.Hostname()), "www."))
	}
	return raw, hosts
}

// inList reports whether host or one of its parent domains is in m.
func inList(m map[string]bool, host string) bool {
	for h := host; h != ""; {
		if m[h] {
			return true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return false
}

func (*linkDetector) Name() string { return DetLink }

func (d *linkDetector) Check(_ *Message, t *Text, _ []Verdict) Verdict {
	raw, hosts := t.Links()
	v := Verdict{Detector: DetLink}
	for i, h := range hosts {
		switch {
		case inList(d.allow, h):
			continue
		case inList(d.deny, h):
			return Verdict{Detector: DetLink, Spam: true, Score: 1, Span: raw[i], Details: "denied domain " + h}
		case h == "t.me" && (strings.Contains(raw[i], "/+") || strings.Contains(raw[i], "joinchat")):
			return Verdict{Detector: DetLink, Spam: true, Score: 0.9, Span: raw[i], Details: "Telegram invite link"}
		case inList(d.short, h):
			return Verdict{Detector: DetLink, Spam: true, Score: 0.9, Span: raw[i], Details: "link shortener " + h}
		}
		if v.Span == "" {
			v.Score, v.Span, v.Details = 0.3, raw[i], "link to "+h
		}
	}
	return v
}
