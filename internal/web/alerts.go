package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

func (c *Console) alerts(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "alerts", "alerts", nil)
	q := r.URL.Query()
	status := q.Get("status")
	if q.Get("status") == "" && !q.Has("status") {
		status = shequn.AlertOpen
	}
	as, err := c.app.FindAlerts(r.Context(), ws(r), shequn.AlertFilter{Status: status, Kind: q.Get("kind"), Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Alerts": as, "Status": status, "Kind": q.Get("kind"), "Kinds": shequn.AlertKinds}
	c.render(w, r, "alerts", http.StatusOK, v)
}

func (c *Console) setAlert(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.SetAlertStatus(r.Context(), ws(r), op(r), id, r.PathValue("status")); err != nil {
		c.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Write([]byte(`<tr><td colspan="6"><small class="muted">` + translate(c.view(r, "", "", nil).Lang, "alert_status_"+r.PathValue("status")) + `</small></td></tr>`))
		return
	}
	http.Redirect(w, r, "/alerts", http.StatusSeeOther)
}

// detailLine is one line of an alert's details, said for an operator.
type detailLine struct{ Label, Value string }

// detailOrder puts an alert's details in the order people read them.
var detailOrder = []string{"question", "asker", "cue", "asked_at", "hours", "questions", "oldest", "examples", "last_message",
	"messages_14d", "cases_last_hour", "negative_3h", "messages_3h", "share_3h", "share_7d", "members", "capacity", "days",
	"last_active", "names", "challenge", "streak", "automation", "text", "event", "live_code", "target", "expires_at", "free_seats", "alert_seats"}

// alertDetails says an alert's details in l: labels from the catalog,
// times in loc, lists joined, shares as percentages.
func alertDetails(l string, loc *time.Location, details map[string]any) []detailLine {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index(detailOrder, k); i >= 0 {
			return i
		}
		return len(detailOrder)
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	sep := ", "
	if l == "zh" {
		sep = "、"
	}
	var out []detailLine
	for _, k := range keys {
		label := translate(l, "detail_"+k)
		if strings.HasPrefix(label, "⟦") {
			label = k // a detail an automation added itself
		}
		out = append(out, detailLine{label, detailValue(k, details[k], loc, sep)})
	}
	return out
}

func detailValue(key string, v any, loc *time.Location, sep string) string {
	switch x := v.(type) {
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.In(loc).Format("2006-01-02 15:04")
		}
		return x
	case time.Time:
		return x.In(loc).Format("2006-01-02 15:04")
	case float64:
		if strings.HasPrefix(key, "share_") {
			return fmt.Sprintf("%.0f%%", x*100)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = detailValue(key, e, loc, sep)
		}
		return strings.Join(parts, sep)
	case []string:
		return strings.Join(x, sep)
	case nil:
		return "—"
	}
	return fmt.Sprint(v)
}
