package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getChallenges(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.FindChallenges(r.Context(), workspace(r))
	respondList(w, r, "challenges", nonNil(cs), err)
}

func (s *Server) getChallenge(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	c, err := s.app.FindChallenge(r.Context(), ws, id)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := s.app.ChallengeStats(r.Context(), ws, c)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"challenge": c, "stats": st})
}

func (s *Server) saveChallenge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var c shequn.Challenge
	if err := readJSON(w, r, &c); err != nil {
		writeError(w, err)
		return
	}
	c.ID = id
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	err = s.app.SaveChallenge(r.Context(), workspace(r), nil, &c)
	respond(w, status, "challenge", &c, err)
}
