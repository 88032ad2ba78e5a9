package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getCases(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	f := shequn.CaseFilter{Status: q.Get("status"), Reason: q.Get("reason"), Detector: q.Get("detector"), Limit: limit, Offset: offset}
	if f.CommunityID, err = optionalID(r, "community"); err == nil {
		f.MemberID, err = optionalID(r, "member")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	cs, err := s.app.FindCases(r.Context(), workspace(r), f)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": nonNil(cs)})
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := s.app.FindCase(r.Context(), workspace(r), id)
	if err != nil {
		writeError(w, err)
		return
	}
	items, err := s.app.FindOutbox(r.Context(), workspace(r), id, "", 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": c, "outbox": nonNil(items)})
}

func (s *Server) reviewCase(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := parseID(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		c, err := s.app.ReviewCase(r.Context(), nil, workspace(r), id, approve)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"case": c})
	}
}

func (s *Server) getRule(w http.ResponseWriter, r *http.Request) {
	community, err := optionalID(r, "community")
	if err != nil {
		writeError(w, err)
		return
	}
	rule, err := s.app.ModerationRule(r.Context(), workspace(r), community)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}

func (s *Server) putRule(w http.ResponseWriter, r *http.Request) {
	var rule shequn.ModerationRule
	if err := readJSON(w, r, &rule); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.SaveModerationRule(r.Context(), nil, workspace(r), &rule); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}

func (s *Server) checkMessage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text      string `json:"text"`
		Community int64  `json:"community"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	res, err := s.app.TestMessage(r.Context(), workspace(r), body.Community, body.Text)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getBlocklist(w http.ResponseWriter, r *http.Request) {
	bl, err := s.app.FindBlocklist(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"blocklist": nonNil(bl)})
}

func (s *Server) deleteBlock(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("member"))
	if err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.Unblock(r.Context(), workspace(r), nil, id); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
