package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/export"
)

// leads lists the leads (filtered by page and status), or exports them.
func (c *Console) leads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, _ := strconv.ParseInt(q.Get("page"), 10, 64)
	status := q.Get("status")
	pages, err := c.app.LandingPages(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	names, err := c.app.PageTitles(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if format := q.Get("format"); format != "" {
		c.exportLeads(w, r, format, page, status, names)
		return
	}
	ls, err := c.app.Leads(r.Context(), ws(r), page, status, 200, 0)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view(r, "growth", "leads", nil)
	v.Data = map[string]any{"Rows": export.Leads(ls, names), "Pages": pages, "Page": page, "Status": status, "Statuses": shequn.LeadStatuses,
		"Export": "/leads?page=" + strconv.FormatInt(page, 10) + "&status=" + status + "&"}
	c.render(w, r, "leads", http.StatusOK, v)
}

func (c *Console) exportLeads(w http.ResponseWriter, r *http.Request, format string, page int64, status string, names map[int64]string) {
	d, err := export.NewDownload(w, format, export.FileName(ws(r), "leads", c.app.Clock.Now()), []export.LeadRow{}, ws(r).Location())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	err = export.WritePages(d, func(limit, offset int) ([]export.LeadRow, error) {
		ls, err := c.app.Leads(r.Context(), ws(r), page, status, limit, offset)
		return export.Leads(ls, names), err
	})
	if err == nil {
		err = d.Close()
	}
	if err != nil && !d.Started() {
		c.fail(w, r, err)
	}
}

// lead shows one lead: an editor sees the whole phone number; a viewer a
// masked one.
func (c *Console) lead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	l, err := c.app.Lead(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !op(r).CanEdit() {
		l.Phone, l.IP = shequn.MaskPhone(l.Phone), ""
	}
	names, err := c.app.PageTitles(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view(r, "growth", "leads", nil)
	v.Data = map[string]any{"Lead": l, "PageName": names[l.PageID], "Statuses": shequn.LeadStatuses}
	c.render(w, r, "lead", http.StatusOK, v)
}

func (c *Console) setLeadStatus(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.SetLeadStatus(r.Context(), ws(r), op(r), id, r.PostForm.Get("status")); err != nil {
		c.reshow(w, r, err, c.lead, nil)
		return
	}
	http.Redirect(w, r, "/leads/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (c *Console) deleteLead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteLead(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/leads", http.StatusSeeOther)
}

// leadData hands a person everything kept about them (PIPL access
// request): editors only, as JSON.
func (c *Console) leadData(w http.ResponseWriter, r *http.Request) {
	if !op(r).CanEdit() {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "viewers cannot export a person's data"))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	l, err := c.app.Lead(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="lead-`+strconv.FormatInt(id, 10)+`.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(l)
}

// funnel shows the funnels of live codes, landing pages and channels.
func (c *Console) funnel(w http.ResponseWriter, r *http.Request) {
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if days == 0 {
		days = 30
	}
	rows, err := c.app.Funnel(r.Context(), ws(r), days)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view(r, "growth", "funnel", nil)
	v.Data = map[string]any{"Rows": rows, "Days": days, "Periods": app.FunnelDays}
	c.render(w, r, "funnel", http.StatusOK, v)
}
