package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getAlerts(w http.ResponseWriter, r *http.Request) {
	limit, _, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	as, err := s.app.FindAlerts(r.Context(), workspace(r), shequn.AlertFilter{Status: q.Get("status"), Kind: q.Get("kind"), Limit: limit})
	respondList(w, r, "alerts", nonNil(as), err)
}
