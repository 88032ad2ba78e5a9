package moderation

import (
	"bytes"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, folded, compact string
		mixed               int
	}{
		{"加 微 信", "加 微 信", "加微信", 0},
		{"加-微-信", "加-微-信", "加微信", 0},
		{"加💚微💚信", "加💚微💚信", "加微信", 0},
		{"ＶＸ：ａｂｃ１２３", "vx:abc123", "vxabc123", 0},
		{"加\u200b微\u200d信", "加微信", "加微信", 0},
		{"①③⑧", "138", "138", 0},
		{"FREE   Money\n\nNOW", "free money now", "freemoneynow", 0},
		{"сrурtо signals", "crypto signals", "cryptosignals", 1},
		{"Привет мир", "привет мир", "приветмир", 0},
		{"Пᴏддᴇᴧьнᴀя ʙᴀᴧюᴛᴀ", "пᴏддᴇᴧьнᴀя ʙᴀᴧюᴛᴀ", "пᴏддᴇᴧьнᴀяʙᴀᴧюᴛᴀ", 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Normalize(tt.in)
			if got.Folded != tt.folded || got.Compact != tt.compact || got.MixedScript != tt.mixed {
				t.Fatalf("Normalize(%q) = %q / %q / %d, want %q / %q / %d", tt.in, got.Folded, got.Compact, got.MixedScript, tt.folded, tt.compact, tt.mixed)
			}
		})
	}
}

func TestDigits(t *testing.T) {
	for in, want := range map[string]string{
		"138 1234 5678":              "13812345678",
		"1-3-8-1-2-3-4-5-6-7-8":      "13812345678",
		"壹叁捌壹贰叁肆伍陆柒捌":                "13812345678",
		"price 99 yuan":              "price 99 yuan",
		"call 1 3 6.8 8 8 8 6 6 6 6": "call 13688886666",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}

// verdict runs one message through a checker with no classifier.
func verdict(t *testing.T, cfg Config, m Message, detector string) Verdict {
	t.Helper()
	c, err := NewChecker(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Check(m).Verdicts {
		if v.Detector == detector {
			return v
		}
	}
	t.Fatalf("no %s verdict", detector)
	return Verdict{}
}

func TestDetectors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Regexes = []string{`刷单\s*\d+`, `(?:earn|make)\s*\$\d+`}
	cfg.DenyDomains = []string{"scam.top"}
	cfg.AllowDomains = []string{"shequn.dev"}
	tests := []struct {
		name, detector, text string
		spam                 bool
		span                 string
	}{
		{"keyword", DetKeyword, "兼职刷单，日结300", true, "刷单"},
		{"keyword spaced", DetKeyword, "刷 - 单 找我", true, "刷单"},
		{"keyword full-width", DetKeyword, "ＣＲＹＰＴＯ ＳＩＧＮＡＬＳ here", true, "cryptosignals"},
		{"keyword lookalike", DetKeyword, "сrурtо signals", true, "cryptosignals"},
		{"weak keywords add up", DetKeyword, "兼职理财，欢迎私我", true, ""},
		{"one weak keyword", DetKeyword, "今天的投资课很有收获", false, "投资"},
		{"no keyword", DetKeyword, "大家早上好", false, ""},
		{"regex", DetRegex, "刷单 300 一单", true, "刷单 300"},
		{"regex english", DetRegex, "Earn $500 daily", true, "earn $500"},
		{"denied domain", DetLink, "see http://www.scam.top/x", true, "http://www.scam.top/x"},
		{"denied subdomain", DetLink, "go to a.b.scam.top now", true, "a.b.scam.top"},
		{"shortener", DetLink, "点击 http://bit.ly/3abc 领取", true, "http://bit.ly/3abc"},
		{"telegram invite", DetLink, "join https://t.me/+AbCdEf", true, "https://t.me/+abcdef"},
		{"full-width link", DetLink, "ｈｔｔｐ：／／ｂｉｔ．ｌｙ／ｘｙｚ", true, "http://bit.ly/xyz"},
		{"allowed domain", DetLink, "docs at https://shequn.dev/start", false, ""},
		{"ordinary link", DetLink, "see https://github.com/foo", false, "https://github.com/foo"},
		{"mobile", DetContact, "电话13812345678", true, "13812345678"},
		{"mobile split", DetContact, "电话 138-1234-5678 找我", true, "13812345678"},
		{"mobile chinese numerals", DetContact, "壹叁捌壹贰叁肆伍陆柒捌", true, "13812345678"},
		{"wechat id", DetContact, "加微信 abc8888 详聊", true, "加微信abc8888"},
		{"vx id", DetContact, "vx：hb_2024a", true, "vxhb2024a"},
		{"weixin lookalike 威信", DetContact, "加威信 vipshop99", true, "加威信vipshop99"},
		{"薇 with emoji", DetContact, "薇💚haoma520", true, "薇haoma520"},
		{"qq digits", DetContact, "扣扣 1234567", true, "扣扣1234567"},
		{"q群", DetContact, "进Q群 87654321", true, "q群87654321"},
		{"add v", DetContact, "加v abc12345", true, "加vabc12345"},
		{"intl phone", DetContact, "whatsapp +447700900123", true, "+447700900123"},
		{"微信 innocently", DetContact, "我在微信上看到一篇文章", false, ""},
		{"price innocently", DetContact, "原价399，现在199", false, ""},
		{"wechat word", DetContact, "I use WeChat mostly", false, ""},
		{"vip is not v+id", DetContact, "very nice vip service", false, ""},
		{"two lookalike words", DetLookalike, "Frее mоnеy for аll", true, ""},
		{"plain russian", DetLookalike, "Привет, как дела?", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verdict(t, cfg, Message{Text: tt.text}, tt.detector)
			if v.Spam != tt.spam || (tt.span != "" && v.Span != tt.span) {
				t.Fatalf("%s(%q) = %+v, want spam=%v span=%q", tt.detector, tt.text, v, tt.spam, tt.span)
			}
			if v.Spam && v.Details == "" {
				t.Fatalf("verdict without an explanation: %+v", v)
			}
		})
	}
}

func TestFlood(t *testing.T) {
	c, _ := NewChecker(Config{FloodCount: 3, FloodWindow: 10 * time.Second}, nil)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		member, group string
		at            time.Duration
		spam          bool
	}{
		{"a", "g", 0, false},
		{"a", "g", 2 * time.Second, false},
		{"b", "g", 3 * time.Second, false},  // another member
		{"a", "h", 4 * time.Second, false},  // another group
		{"a", "g", 5 * time.Second, true},   // third in 10 s
		{"a", "g", 30 * time.Second, false}, // window passed
	}
	for i, tt := range tests {
		r := c.Check(Message{Text: "hi", Member: tt.member, Community: tt.group, TS: t0.Add(tt.at)})
		if r.Spam != tt.spam {
			t.Fatalf("message %d: spam=%v, want %v (%+v)", i, r.Spam, tt.spam, r.Verdicts)
		}
	}
}

func TestCrossGroupDuplicate(t *testing.T) {
	c, _ := NewChecker(Config{DupGroups: 3, DupWindow: time.Hour}, nil)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	text := "全场大促销，今晚八点准时开抢，错过再等一年"
	steps := []struct {
		member, group, text string
		at                  time.Duration
		spam                bool
	}{
		{"a", "g1", text, 0, false},
		{"a", "g1", text, time.Minute, false}, // same group again
		{"a", "g2", text + "！", 2 * time.Minute, false},
		{"b", "g3", text, 3 * time.Minute, false},                              // another member
		{"a", "g3", strings.Replace(text, "八", "8", 1), 4 * time.Minute, true}, // near-same in a 3rd group
		{"a", "g4", "哈哈", 5 * time.Minute, false},                              // too short to judge
		{"a", "g5", text, 3 * time.Hour, false},                                // window passed
	}
	for i, s := range steps {
		r := c.Check(Message{Text: s.text, Member: s.member, Community: s.group, TS: t0.Add(s.at)})
		if r.Spam != s.spam {
			t.Fatalf("step %d: spam=%v, want %v (%+v)", i, r.Spam, s.spam, r.Verdicts)
		}
	}
}

func TestNewcomer(t *testing.T) {
	joined := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	cfg := Config{NewcomerWindow: 24 * time.Hour}
	tests := []struct {
		name string
		text string
		at   time.Duration
		spam bool
	}{
		{"link right after joining", "see https://github.com/x", time.Hour, true},
		{"plain text", "大家好，我是新人", time.Hour, false},
		{"link after a week", "see https://github.com/x", 7 * 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verdict(t, cfg, Message{Text: tt.text, Member: "m", Community: "g", TS: joined.Add(tt.at), JoinedAt: joined}, DetNewcomer)
			if v.Spam != tt.spam {
				t.Fatalf("%+v", v)
			}
		})
	}
}

func TestQRCode(t *testing.T) {
	bm, err := qrcode.NewQRCodeWriter().Encode("https://u.wechat.com/abc", gozxing.BarcodeFormat_QR_CODE, 200, 200, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, bm); err != nil {
		t.Fatal(err)
	}
	v := verdict(t, Config{}, Message{Text: "扫码进群", Attachments: []Attachment{{Kind: "image", Data: []byte("not an image")},
		{Kind: "file", Data: buf.Bytes()}, {Kind: "image", MIME: "image/png", Data: buf.Bytes()}}}, DetQRCode)
	if !v.Spam || v.Span != "https://u.wechat.com/abc" {
		t.Fatalf("QR verdict = %+v", v)
	}
	if v := verdict(t, Config{}, Message{Text: "[图片]", Attachments: []Attachment{{Kind: "file", Data: buf.Bytes()}}}, DetQRCode); v.Spam {
		t.Fatalf("a QR code in a file that is not a picture: %+v", v)
	}
}

func TestBadConfig(t *testing.T) {
	if _, err := NewChecker(Config{Regexes: []string{"ok", "(unclosed"}}, nil); err == nil || !strings.Contains(err.Error(), "regex 2") {
		t.Fatalf("bad regex: %v", err)
	}
	if _, err := NewChecker(Config{Disabled: []string{"telepathy"}}, nil); err == nil {
		t.Fatal("unknown detector accepted")
	}
	if _, err := ParseKeywords("ok\nbad|weight"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad keyword weight: %v", err)
	}
}

func TestDisabledAndClassifier(t *testing.T) {
	cls := SeedClassifier()
	data, err := cls.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalClassifier(data)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Disabled = []string{DetKeyword}
	c, _ := NewChecker(cfg, back)
	r := c.Check(Message{Text: "Investing in a genuine company with great investment profits, 100% GENUINE and trusted with successful payout, contact the agent"})
	var sawKeyword, classified bool
	for _, v := range r.Verdicts {
		sawKeyword = sawKeyword || v.Detector == DetKeyword
		classified = classified || v.Detector == DetClassifier && v.Spam
	}
	if sawKeyword || !classified || !r.Spam {
		t.Fatalf("verdicts = %+v", r.Verdicts)
	}
	if r := c.Check(Message{Text: "今天的读书会大家收获怎么样？"}); r.Spam {
		t.Fatalf("ham flagged: %+v", r.Verdicts)
	}
	if _, err := UnmarshalClassifier([]byte("junk")); err == nil {
		t.Fatal("junk model accepted")
	}
}

// Every detector of the list answers under its own name, and Names is the
// list's order.
func TestDetectorList(t *testing.T) {
	c, err := NewChecker(DefaultConfig(), SeedClassifier())
	if err != nil {
		t.Fatal(err)
	}
	r := c.Check(Message{Text: "hello"})
	var got []string
	for _, v := range r.Verdicts {
		got = append(got, v.Detector)
	}
	if want := Names(); !slices.Equal(got, want) {
		t.Fatalf("verdicts from %v, want %v", got, want)
	}
	off, _ := NewChecker(Config{Disabled: []string{DetFlood, DetClassifier}}, SeedClassifier())
	if n := len(off.Check(Message{Text: "hello"}).Verdicts); n != len(Names())-2 {
		t.Fatalf("%d verdicts with two detectors off", n)
	}
	if _, err := NewChecker(Config{Disabled: []string{"nope"}}, nil); err == nil {
		t.Fatal("an unknown detector was accepted")
	}
}

func TestHighlight(t *testing.T) {
	cases := []struct {
		text  string
		spans []string
		want  string // hits in [brackets]
	}{
		{"加 微 信 abc888 领红包", []string{"加微信"}, "[加 微 信] abc888 领红包"},
		{"快加💚微💚信！", []string{"加微信"}, "快[加💚微💚信]！"},
		{"ＶＸ：ＡＢＣ１２３ 详聊", []string{"vx:abc123"}, "[ＶＸ：ＡＢＣ１２３] 详聊"},
		{"see https://bit.ly/x and bit.ly/x", []string{"https://bit.ly/x"}, "see [https://bit.ly/x] and bit.ly/x"},
		{"nothing here", []string{"加微信", ""}, "nothing here"},
		{"刷单刷单", []string{"刷单"}, "[刷单刷单]"},
		{"Call 13812345678 now", []string{"13812345678"}, "Call [13812345678] now"},
	}
	for _, c := range cases {
		var b strings.Builder
		for _, p := range Highlight(c.text, c.spans) {
			if p.Hit {
				b.WriteString("[" + p.Text + "]")
			} else {
				b.WriteString(p.Text)
			}
		}
		if b.String() != c.want {
			t.Errorf("Highlight(%q, %q) = %q, want %q", c.text, c.spans, b.String(), c.want)
		}
	}
}

func TestEncodeQRReadsBack(t *testing.T) {
	png, err := EncodeQR("https://weixin.qq.com/g/AbC123", 240)
	if err != nil {
		t.Fatal(err)
	}
	if text, ok := DecodeQR(png); !ok || text != "https://weixin.qq.com/g/AbC123" {
		t.Fatalf("decoded %q %v", text, ok)
	}
}
