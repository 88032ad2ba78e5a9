package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getTierCriteria(w http.ResponseWriter, r *http.Request) {
	c, err := s.app.FindTierCriteria(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"criteria": c})
}

func (s *Server) putTierCriteria(w http.ResponseWriter, r *http.Request) {
	c := shequn.DefaultTierCriteria()
	if err := readJSON(w, r, &c); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.SaveTierCriteria(r.Context(), workspace(r), nil, c); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"criteria": c})
}

func (s *Server) postRecompute(w http.ResponseWriter, r *http.Request) {
	counts, changed, err := s.app.RecomputeStandings(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tiers": counts, "changed": changed})
}
