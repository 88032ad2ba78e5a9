// Package sentiment scores chat messages as negative with small Chinese and
// English lexicons: enough to notice a spike of complaints in a group, not
// to judge one message.
package sentiment

import "strings"

var negative = []string{
	// Chinese complaints, anger, leaving
	"垃圾", "骗子", "骗人", "被骗", "坑人", "太坑", "失望", "退款", "退钱", "投诉", "差评", "恶心", "生气", "气死", "太差", "很差",
	"真差", "无语", "退群", "烂透", "破东西", "什么玩意", "不靠谱", "忽悠", "糟糕", "崩溃", "难用", "卡死", "没人管", "没人回",
	"不回复", "态度差", "后悔", "割韭菜", "智商税", "滚", "傻逼", "sb", "垃圾群", "踢了", "举报你",
	// English
	"terrible", "awful", "scam", "refund", "angry", "hate", "worst", "useless", "disappointed", "disappointing", "sucks",
	"ripoff", "rip-off", "rip off", "broken again", "waste of", "garbage", "pathetic", "ridiculous", "unacceptable",
	"furious", "nobody answers", "no one answers", "leaving this", "unsubscribe", "stupid", "wtf",
}

// positive phrases contain negative words but are not complaints.
var positive = []string{"不错", "不差", "没那么差", "不坑", "不后悔", "not bad", "not terrible", "no scam", "don't hate", "dont hate"}

// Negative reports whether text reads as a complaint, and the phrase that
// made it so.
func Negative(text string) (string, bool) {
	t := strings.ToLower(text)
	for _, p := range positive {
		t = strings.ReplaceAll(t, p, " ")
	}
	for _, w := range negative {
		if strings.Contains(t, w) {
			if isASCIIWord(w) && !wordAt(t, w) {
				continue
			}
			return w, true
		}
	}
	return "", false
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// wordAt reports whether w occurs in t with non-letters on both sides.
func wordAt(t, w string) bool {
	for i := 0; ; {
		j := strings.Index(t[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isLetter(t[j-1])
		after := j+len(w) == len(t) || !isLetter(t[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
