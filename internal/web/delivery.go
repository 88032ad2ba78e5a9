package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/httpapi"
)

// deliveryPage is the member's private page for a physical reward's
// delivery details (the link is the key; no session).
func (c *Console) deliveryPage(w http.ResponseWriter, r *http.Request) {
	c.deliveryRender(w, r, http.StatusOK, "", false)
}

func (c *Console) deliverySubmit(w http.ResponseWriter, r *http.Request) {
	d := app.Delivery{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Address: r.PostFormValue("address")}
	if _, err := c.app.SubmitDelivery(r.Context(), r.PathValue("token"), d); err != nil {
		c.deliveryRender(w, r, httpapi.Status(err), errorText(lang(r, ""), err), false)
		return
	}
	c.deliveryRender(w, r, http.StatusOK, "", true)
}

func (c *Console) deliveryRender(w http.ResponseWriter, r *http.Request, status int, problem string, done bool) {
	l := lang(r, "")
	rd, rw, err := c.app.DeliveryPage(r.Context(), r.PathValue("token"))
	if err != nil {
		http.Error(w, translate(l, "not_found"), http.StatusNotFound)
		return
	}
	data := map[string]any{"Redemption": rd, "Reward": rw, "Done": done || !rd.AwaitingDelivery, "Path": r.URL.Path,
		"Name": r.PostFormValue("name"), "Phone": r.PostFormValue("phone"), "Address": r.PostFormValue("address")}
	c.render(w, r, "delivery", status, view{Lang: l, Title: translate(l, "delivery_title"), Workspace: &shequn.Workspace{}, Data: data, Error: problem})
}

// deliveryLink answers an htmx request with a fresh private link for the
// operator to send the member.
func (c *Console) deliveryLink(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	link, err := c.app.NewDeliveryLink(r.Context(), ws(r), op(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if link[0] == '/' { // no public URL set: the operator's own host
		link = "http://" + r.Host + link
		if c.trust.Secure(r) {
			link = "https" + link[4:]
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(`<input readonly class="delivery-link" value="` + template.HTMLEscapeString(link) + `" onclick="this.select()">`))
}
