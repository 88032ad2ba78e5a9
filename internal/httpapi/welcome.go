package httpapi

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

func (s *Server) getWelcome(w http.ResponseWriter, r *http.Request) {
	m, err := s.app.Welcome(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	own := map[string]shequn.WelcomeSettings{}
	for id, v := range m {
		if id != 0 {
			own[strconv.FormatInt(id, 10)] = v
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"default": m[0], "communities": own})
}

func (s *Server) putWelcome(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var ws shequn.WelcomeSettings
	if err := readJSON(w, r, &ws); err != nil {
		writeError(w, err)
		return
	}
	err = s.app.SaveWelcome(r.Context(), workspace(r), nil, id, &ws)
	respond(w, http.StatusOK, "welcome", ws, err)
}

func (s *Server) deleteWelcome(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.SaveWelcome(r.Context(), workspace(r), nil, id, nil)
	}
	respond(w, http.StatusOK, "deleted", id, err)
}
