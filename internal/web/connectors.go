package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

func (c *Console) connectors(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "connectors", "connectors", nil)
	cs, err := c.app.Connectors(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Connectors": cs, "Platforms": c.app.ConnectorPlatforms()}
	c.render(w, r, "connectors", http.StatusOK, v)
}

func (c *Console) createConnector(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	config := f.Get("config")
	if config == "" {
		config = "{}"
	}
	if _, err := c.app.CreateConnector(r.Context(), ws(r), op(r), f.Get("platform"), f.Get("name"), config, f.Get("secret")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/connectors", http.StatusSeeOther)
}

func (c *Console) connectorStatus(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.SetConnectorStatus(r.Context(), ws(r), op(r), id, r.PathValue("status")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/connectors", http.StatusSeeOther)
}

// testConnector answers an htmx request with the platform's verdict.
func (c *Console) testConnector(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	who, err := c.app.TestConnector(r.Context(), ws(r), op(r), id)
	switch shequn.ErrorCode(err) {
	case shequn.EFORBIDDEN, shequn.ENOTFOUND, shequn.EUNAUTHORIZED:
		c.fail(w, r, err) // the request itself was refused
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err != nil { // the platform's verdict, shown beside the button
		w.Write([]byte(`<span class="error">✗ ` + template.HTMLEscapeString(shequn.ErrorMessage(err)) + `</span>`))
		return
	}
	w.Write([]byte(`<span class="ok">✓ ` + template.HTMLEscapeString(who) + `</span>`))
}
