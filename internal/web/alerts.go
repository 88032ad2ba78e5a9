package web

import (
	"net/http"
	"strconv"

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
		w.Write([]byte(`<tr><td colspan="6"><small class="muted">` + translate(c.view(r, "", "", nil).Lang, r.PathValue("status")) + `</small></td></tr>`))
		return
	}
	http.Redirect(w, r, "/alerts", http.StatusSeeOther)
}
