package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

type eventsBody struct {
	Events []shequn.EventInput `json:"events"`
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	var body eventsBody
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	res, err := s.app.IngestEvents(r.Context(), workspace(r), body.Events)
	if err != nil {
		if shequn.ErrorCode(err) == shequn.EINTERNAL {
			s.log.Error("ingest failed", "err", err)
		}
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
