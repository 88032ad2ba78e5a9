package httpapi

import "net/http"

func (s *Server) getOutbox(w http.ResponseWriter, r *http.Request) {
	caseID, err := optionalID(r, "case")
	if err != nil {
		writeError(w, err)
		return
	}
	items, err := s.app.FindOutbox(r.Context(), workspace(r), caseID, r.URL.Query().Get("status"), 200)
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "outbox", map[string]any{"outbox": nonNil(items)})
}
