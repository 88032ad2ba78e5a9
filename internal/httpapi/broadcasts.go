package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

type broadcastBody struct {
	Text           string          `json:"text"`
	Selector       shequn.Selector `json:"selector"`
	StaggerSeconds int             `json:"stagger_seconds"`
}

func (s *Server) previewBroadcast(w http.ResponseWriter, r *http.Request) {
	var b broadcastBody
	if err := readJSON(w, r, &b); err != nil {
		writeError(w, err)
		return
	}
	p, err := s.app.PreviewBroadcast(r.Context(), workspace(r), b.Text, b.Selector, b.StaggerSeconds)
	respond(w, http.StatusOK, "preview", p, err)
}

func (s *Server) postBroadcast(w http.ResponseWriter, r *http.Request) {
	var b broadcastBody
	if err := readJSON(w, r, &b); err != nil {
		writeError(w, err)
		return
	}
	bc, err := s.app.CreateBroadcast(r.Context(), workspace(r), nil, b.Text, b.Selector, b.StaggerSeconds)
	respond(w, http.StatusCreated, "broadcast", bc, err)
}

func (s *Server) getBroadcasts(w http.ResponseWriter, r *http.Request) {
	bs, err := s.app.FindBroadcasts(r.Context(), workspace(r), 100)
	respondList(w, r, "broadcasts", nonNil(bs), err)
}

func (s *Server) rejectBroadcast(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	b, err := s.app.DecideBroadcast(r.Context(), workspace(r), nil, id, false)
	respond(w, http.StatusOK, "broadcast", b, err)
}
