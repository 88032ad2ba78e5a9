package web

import (
	"net/http"

	"github.com/shequn/shequn"
)

type outboxData struct {
	Status string
	Items  []*shequn.OutboxItem
}

// outbox lists the actions shequn decided to take on the platforms.
func (c *Console) outbox(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "moderation", "outbox", nil)
	d := outboxData{Status: r.URL.Query().Get("status")}
	var err error
	if d.Items, err = c.app.FindOutbox(r.Context(), ws(r), 0, d.Status, 200); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = d
	c.render(w, r, "outbox", http.StatusOK, v)
}
