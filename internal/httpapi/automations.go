package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getAutomations(w http.ResponseWriter, r *http.Request) {
	as, err := s.app.FindAutomations(r.Context(), workspace(r))
	respondList(w, r, "automations", nonNil(as), err)
}

func (s *Server) getAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	a, err := s.app.FindAutomation(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "automation", a, err)
}

func (s *Server) saveAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var a shequn.Automation
	if err := readJSON(w, r, &a); err != nil {
		writeError(w, err)
		return
	}
	a.ID = id
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	err = s.app.SaveAutomation(r.Context(), workspace(r), nil, &a)
	respond(w, status, "automation", &a, err)
}

func (s *Server) deleteAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteAutomation(r.Context(), workspace(r), nil, id)
	}
	respond(w, http.StatusOK, "deleted", id, err)
}
