package sqlstore

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// A standing's reasons are kept compactly: "1|" and, per reason, the
// criterion's place in shequn.ReasonCriteria, want, got and met (0/1),
// e.g. "1|0,≥ 15,2,0;1,≥ 60,2,0". JSON (what rows written before held,
// about 400 bytes a member) is kept for a reason this form cannot carry.
const reasonsCompact = "1|"

func encodeReasons(rs []shequn.Reason) string {
	var b strings.Builder
	b.WriteString(reasonsCompact)
	for i, r := range rs {
		c := slices.Index(shequn.ReasonCriteria, r.Criterion)
		if c < 0 || strings.ContainsAny(r.Want+r.Got, ",;") {
			js, _ := json.Marshal(rs)
			return string(js)
		}
		if i > 0 {
			b.WriteByte(';')
		}
		met := "0"
		if r.Met {
			met = "1"
		}
		b.WriteString(strconv.Itoa(c) + "," + r.Want + "," + r.Got + "," + met)
	}
	return b.String()
}

func decodeReasons(s string) []shequn.Reason {
	body, ok := strings.CutPrefix(s, reasonsCompact)
	if !ok {
		var rs []shequn.Reason
		json.Unmarshal([]byte(s), &rs)
		return rs
	}
	if body == "" {
		return nil
	}
	var rs []shequn.Reason
	for part := range strings.SplitSeq(body, ";") {
		f := strings.Split(part, ",")
		if len(f) != 4 {
			continue
		}
		c, err := strconv.Atoi(f[0])
		if err != nil || c < 0 || c >= len(shequn.ReasonCriteria) {
			continue
		}
		rs = append(rs, shequn.Reason{Criterion: shequn.ReasonCriteria[c], Want: f[1], Got: f[2], Met: f[3] == "1"})
	}
	return rs
}
