package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

type connectorsData struct {
	Connectors []connectorRow
	Platforms  []string
	Edit       *shequn.Connector // the connector being edited, or nil
	BaseURL    string            // where platforms reach this server
}

// connectorRow is a connector with where its platform calls it (for the
// platforms that call: WeCom, Telegram in webhook mode).
type connectorRow struct {
	*shequn.Connector
	Hook string
}

func (c *Console) connectors(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "connectors", "connectors", nil)
	cs, err := c.app.Connectors(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := connectorsData{Platforms: c.app.ConnectorPlatforms(), BaseURL: c.baseURL(r)}
	for _, cn := range cs {
		row := connectorRow{Connector: cn}
		if _, ok := c.app.ConnectorHook(cn.ID); ok {
			row.Hook = d.BaseURL + "/hooks/" + cn.Platform + "/" + strconv.FormatInt(cn.ID, 10)
		}
		d.Connectors = append(d.Connectors, row)
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64)
	if id == 0 && r.Method == http.MethodPost {
		id, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	}
	if id > 0 {
		if d.Edit, err = c.app.FindConnector(r.Context(), ws(r), id); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	v.Data = d
	c.render(w, r, "connectors", http.StatusOK, v)
}

// baseURL is where platforms and members reach this server: the public
// URL when one is set, else the address the console was reached at.
func (c *Console) baseURL(r *http.Request) string {
	if u := strings.TrimRight(c.app.PublicURL, "/"); u != "" {
		return u
	}
	scheme := "http"
	if c.trust.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (c *Console) createConnector(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	if _, err := c.app.CreateConnector(r.Context(), ws(r), op(r), f.Get("platform"), f.Get("name"), or(strings.TrimSpace(f.Get("config")), "{}"), f.Get("secret")); err != nil {
		c.reshow(w, r, err, c.connectors, nil)
		return
	}
	http.Redirect(w, r, "/connectors?saved=1", http.StatusSeeOther)
}

func (c *Console) updateConnector(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := r.PostForm
	if _, err := c.app.UpdateConnector(r.Context(), ws(r), op(r), id, f.Get("name"), or(strings.TrimSpace(f.Get("config")), "{}"), f.Get("secret")); err != nil {
		c.reshow(w, r, err, c.connectors, nil)
		return
	}
	http.Redirect(w, r, "/connectors?saved=1", http.StatusSeeOther)
}

func (c *Console) deleteConnector(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteConnector(r.Context(), ws(r), op(r), id); err != nil {
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
