package shequn

// Clip shortens s to its first n characters (runes), ending a shortened
// text with an ellipsis; a text of n characters or fewer is returned as is.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
