package httpapi

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/export"
)

func (s *Server) getLandingPages(w http.ResponseWriter, r *http.Request) {
	ps, err := s.app.LandingPages(r.Context(), workspace(r))
	respondList(w, r, "pages", nonNil(ps), err)
}

func (s *Server) getLandingPage(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	p, err := s.app.LandingPage(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "page", p, err)
}

func (s *Server) deleteLandingPage(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteLandingPage(r.Context(), workspace(r), nil, id)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getLeads lists leads (?page=, ?status=, ?limit=, ?offset=) with their
// phone numbers masked, or exports them all (?format=csv|xlsx).
func (s *Server) getLeads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, _ := strconv.ParseInt(q.Get("page"), 10, 64)
	status := q.Get("status")
	ws := workspace(r)
	names, err := s.app.PageTitles(r.Context(), ws)
	if err != nil {
		writeError(w, err)
		return
	}
	fetch := func(limit, offset int) ([]export.LeadRow, error) {
		ls, err := s.app.Leads(r.Context(), ws, page, status, limit, offset)
		return export.Leads(ls, names), err
	}
	if exporting(r) != "" {
		exportPages(w, r, "leads", fetch)
		return
	}
	limit, offset, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	rows, err := fetch(limit, offset)
	respond(w, http.StatusOK, "leads", nonNil(rows), err)
}

// getLead returns one lead whole (its phone, consent and address): what a
// person may ask to see of their data.
func (s *Server) getLead(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	l, err := s.app.Lead(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "lead", l, err)
}

func (s *Server) deleteLead(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteLead(r.Context(), workspace(r), nil, id)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getFunnel answers the funnels of live codes, pages and channels over
// ?days= (7, 30 or 90; default 30).
func (s *Server) getFunnel(w http.ResponseWriter, r *http.Request) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		var err error
		if days, err = strconv.Atoi(v); err != nil {
			writeError(w, shequn.Invalid("days", "days %d: want 7, 30 or 90", 0))
			return
		}
	}
	rows, err := s.app.Funnel(r.Context(), workspace(r), days)
	respondList(w, r, "funnel", nonNil(rows), err)
}

func (s *Server) savePage() http.HandlerFunc {
	return saveJSON("page", func(p *shequn.LandingPage, id int64) { p.ID = id }, s.app.SaveLandingPage)
}
