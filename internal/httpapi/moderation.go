package httpapi

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

func (s *Server) moderationRoutes() {
	s.api("GET /api/v1/moderation/cases", s.getCases)
	s.api("GET /api/v1/moderation/cases/{id}", s.getCase)
	s.api("POST /api/v1/moderation/cases/{id}/approve", s.reviewCase(true))
	s.api("POST /api/v1/moderation/cases/{id}/overturn", s.reviewCase(false))
	s.api("GET /api/v1/moderation/rule", s.getRule)
	s.api("PUT /api/v1/moderation/rule", s.putRule)
	s.api("POST /api/v1/moderation/check", s.checkMessage)
	s.api("GET /api/v1/moderation/blocklist", s.getBlocklist)
	s.api("DELETE /api/v1/moderation/blocklist/{member}", s.deleteBlock)
	s.api("GET /api/v1/outbox", s.getOutbox)
}

func optionalID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, shequn.Errorf(shequn.EINVALID, "%s %q: want a number", name, v)
	}
	return id, nil
}

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
	cs, err := s.app.DB.FindCases(r.Context(), workspace(r).ID, f)
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
	c, err := s.app.DB.FindCaseByID(r.Context(), workspace(r).ID, id)
	if err != nil {
		writeError(w, err)
		return
	}
	items, err := s.app.DB.FindOutbox(r.Context(), workspace(r).ID, id, "", 100)
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
	bl, err := s.app.DB.FindBlocklist(r.Context(), workspace(r).ID)
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
	if err := s.app.DB.Unblock(r.Context(), workspace(r).ID, id); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getOutbox(w http.ResponseWriter, r *http.Request) {
	caseID, err := optionalID(r, "case")
	if err != nil {
		writeError(w, err)
		return
	}
	items, err := s.app.DB.FindOutbox(r.Context(), workspace(r).ID, caseID, r.URL.Query().Get("status"), 200)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"outbox": nonNil(items)})
}
