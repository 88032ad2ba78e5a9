package shequn_test

import (
	"testing"

	"github.com/shequn/shequn"
)

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"请问怎么报名？", 4, "请问怎么…"},
		{"请问", 4, "请问"},
	}
	for _, tt := range tests {
		if got := shequn.Clip(tt.s, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
