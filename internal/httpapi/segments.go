package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getSegments(w http.ResponseWriter, r *http.Request) {
	segs, err := s.app.FindSegments(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "segments", map[string]any{"segments": nonNil(segs)})
}

func (s *Server) postSegment(w http.ResponseWriter, r *http.Request) {
	var body shequn.Segment
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	seg, err := s.app.SaveSegment(r.Context(), nil, workspace(r), body.Name, body.Filter)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"segment": seg})
}
