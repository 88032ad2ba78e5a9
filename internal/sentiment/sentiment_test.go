package sentiment

import "testing"

func TestNegative(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"这课程就是割韭菜，我要退款", true},
		{"客服态度差，没人回", true},
		{"this is a scam, I want a refund", true},
		{"worst group ever", true},
		{"今天的分享很不错，谢谢", false},
		{"not bad at all", false},
		{"scampi recipe anyone?", false}, // "scam" inside a word
		{"大家早上好", false},
		{"我不后悔报名", false},
	}
	for _, c := range cases {
		if _, got := Negative(c.text); got != c.want {
			t.Errorf("Negative(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
