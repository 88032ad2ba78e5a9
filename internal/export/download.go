package export

import (
	"net/http"
	"time"

	"github.com/shequn/shequn"
)

// Download is a table sent as an HTTP download: the headers go out with
// the first row, so an error before it can still be answered with a
// status and a message.
type Download struct {
	w      http.ResponseWriter
	format string
	name   string
	like   any
	loc    *time.Location
	t      *TableWriter
}

// NewDownload checks format and prepares a download named name (without
// extension) of rows like like (a slice type).
func NewDownload(w http.ResponseWriter, format, name string, like any, loc *time.Location) (*Download, error) {
	if err := Valid(format); err != nil {
		return nil, err
	}
	return &Download{w: w, format: format, name: name, like: like, loc: loc}, nil
}

// Started reports whether bytes have gone out.
func (d *Download) Started() bool { return d.t != nil }

func (d *Download) start() error {
	if d.t != nil {
		return nil
	}
	d.w.Header().Set("Content-Type", ContentType(d.format))
	d.w.Header().Set("Content-Disposition", `attachment; filename="`+d.name+"."+d.format+`"`)
	t, err := NewTable(d.w, d.format, d.like, d.loc)
	d.t = t
	return err
}

// Write adds rows (a slice like like).
func (d *Download) Write(rows any) error {
	if err := d.start(); err != nil {
		return err
	}
	return d.t.Write(rows)
}

// WriteOne adds a row.
func (d *Download) WriteOne(row any) error {
	if err := d.start(); err != nil {
		return err
	}
	return d.t.WriteOne(row)
}

// Close finishes the download (a header alone when no row came).
func (d *Download) Close() error {
	if err := d.start(); err != nil {
		return err
	}
	return d.t.Close()
}

// FileName is "shequn-<workspace>-<what>-<yyyymmdd>" in ws's zone.
func FileName(ws *shequn.Workspace, what string, now time.Time) string {
	return "shequn-" + ws.Slug + "-" + what + "-" + now.In(ws.Location()).Format("20060102")
}

// MemberRow is a member as listed and exported: the phone number masked
// (left out of JSON when there is none).
type MemberRow struct {
	*shequn.MemberSummary
	Phone string `json:"phone,omitempty"`
}

// Member returns m's export row.
func Member(m *shequn.MemberSummary) MemberRow {
	p := m.Phone
	if p != "" {
		p = shequn.MaskPhone(p)
	}
	return MemberRow{MemberSummary: m, Phone: p}
}

// PageSize is how many rows a paged list's export reads at a time.
const PageSize = 500

// WritePages writes every page fetch returns, from offset 0 on, until a
// short page.
func WritePages[T any](d *Download, fetch func(limit, offset int) ([]T, error)) error {
	for offset := 0; ; {
		page, err := fetch(PageSize, offset)
		if err == nil {
			err = d.Write(page)
		}
		if err != nil || len(page) < PageSize {
			return err
		}
		offset += len(page)
	}
}

// LeadRow is a lead as listed and exported: its phone number masked, its
// page by title; the consent's text and address stay on the lead itself.
type LeadRow struct {
	ID        int64     `json:"id"`
	Page      string    `json:"page"`
	Name      string    `json:"name"`
	Phone     string    `json:"phone"`
	City      string    `json:"city"`
	Note      string    `json:"note"`
	Source    string    `json:"source"`
	Status    string    `json:"status"`
	Repeats   int       `json:"repeats"`
	ConsentAt time.Time `json:"consent_at"`
	CreatedAt time.Time `json:"created_at"`
}

// Leads returns ls's rows, pages naming their pages by id.
func Leads(ls []*shequn.Lead, pages map[int64]string) []LeadRow {
	out := make([]LeadRow, len(ls))
	for i, l := range ls {
		out[i] = LeadRow{ID: l.ID, Page: pages[l.PageID], Name: l.Name, Phone: shequn.MaskPhone(l.Phone), City: l.City, Note: l.Note,
			Source: l.Source, Status: l.Status, Repeats: l.Repeats, ConsentAt: l.ConsentAt, CreatedAt: l.CreatedAt}
	}
	return out
}
