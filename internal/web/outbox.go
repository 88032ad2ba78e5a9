package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// outboxStatuses are the row statuses the filter offers.
var outboxStatuses = []string{shequn.OutboxPending, shequn.OutboxSent, shequn.OutboxFailed, shequn.OutboxCancelled}

type outboxData struct {
	Status   string
	Statuses []string
	Items    []*shequn.OutboxItem
}

// outbox lists the actions shequn decided to take on the platforms, each
// said in words.
func (c *Console) outbox(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "outbox", nil)
	d := outboxData{Status: r.URL.Query().Get("status"), Statuses: outboxStatuses}
	var err error
	if d.Items, err = c.app.FindOutbox(r.Context(), ws(r), 0, d.Status, 200); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "outbox", http.StatusOK, v)
}

// outboxWords says what a row does: "Delete 小王's message in 读书会 3",
// with the group and member linked (a row without them names no one).
func outboxWords(l string, o *shequn.OutboxItem) template.HTML {
	p, _ := o.DecodePayload()
	link := func(path string, id int64, name, fallback string) string {
		if id <= 0 {
			return template.HTMLEscapeString(translate(l, fallback))
		}
		if name == "" {
			name = translate(l, fallback)
		}
		return `<a href="` + path + strconv.FormatInt(id, 10) + `">` + template.HTMLEscapeString(name) + `</a>`
	}
	text := p.Text
	if p.Alert != nil {
		text = translate(l, "alert_"+p.Alert.Kind)
		if p.Alert.Community != "" {
			text += " · " + p.Alert.Community
		}
	}
	text = shequn.Clip(text, 80)
	dur := ""
	if p.Seconds > 0 {
		dur = fmtDuration(time.Duration(p.Seconds) * time.Second)
	}
	key := "out_" + o.Action
	if _, ok := messages[l][key]; !ok {
		key = "out_other"
	}
	words := template.HTMLEscapeString(translate(l, key))
	return template.HTML(strings.NewReplacer(
		"{group}", link("/communities/", o.CommunityID, o.CommunityName, "a_group"),
		"{member}", link("/members/", o.MemberID, o.MemberName, "someone"),
		"{text}", template.HTMLEscapeString(text),
		"{duration}", template.HTMLEscapeString(dur),
		"{action}", template.HTMLEscapeString(o.Action),
	).Replace(words))
}
