package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

// hook passes a platform's webhook call to its running connector, which
// checks the platform's signature itself.
func (s *Server) hook(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, shequn.Errorf(shequn.ENOTFOUND, "no such connector"))
		return
	}
	h, ok := s.app.ConnectorHook(id)
	if !ok {
		writeError(w, shequn.Errorf(shequn.ENOTFOUND, "connector %d is not running here", id))
		return
	}
	h.ServeHTTP(w, r)
}

func (s *Server) getConnectors(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.Connectors(r.Context(), workspace(r))
	respondList(w, r, "connectors", nonNil(cs), err)
}

func (s *Server) postConnector(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Platform string         `json:"platform"`
		Name     string         `json:"name"`
		Config   map[string]any `json:"config"`
		Secret   string         `json:"secret"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	cfg, _ := jsonString(body.Config)
	c, err := s.app.CreateConnector(r.Context(), workspace(r), nil, body.Platform, body.Name, cfg, body.Secret)
	respond(w, http.StatusCreated, "connector", c, err)
}

func (s *Server) testConnector(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	who, err := s.app.TestConnector(r.Context(), workspace(r), nil, id)
	respond(w, http.StatusOK, "identity", who, err)
}

func (s *Server) getConnector(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	var c *shequn.Connector
	if err == nil {
		c, err = s.app.FindConnector(r.Context(), workspace(r), id)
	}
	respond(w, http.StatusOK, "connector", c, err)
}

// putConnector changes a connector's name and configuration, and its
// secret when one is given.
func (s *Server) putConnector(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Name   string         `json:"name"`
		Config map[string]any `json:"config"`
		Secret string         `json:"secret"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	cfg, _ := jsonString(body.Config)
	c, err := s.app.UpdateConnector(r.Context(), workspace(r), nil, id, body.Name, cfg, body.Secret)
	respond(w, http.StatusOK, "connector", c, err)
}

func (s *Server) deleteConnector(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteConnector(r.Context(), workspace(r), nil, id)
	}
	respond(w, http.StatusOK, "deleted", id, err)
}
