package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getQuestions(w http.ResponseWriter, r *http.Request) {
	limit, _, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	community, err := optionalID(r, "community")
	if err != nil {
		writeError(w, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status != "" && status != "open" && status != "answered" {
		writeError(w, shequn.Errorf(shequn.EINVALID, "status %q: want open or answered", status))
		return
	}
	ws := workspace(r)
	since := s.app.Clock.Now().AddDate(0, 0, -30)
	qs, err := s.app.FindQuestions(r.Context(), ws, shequn.QuestionFilter{CommunityID: community, Status: status, Since: since, Limit: limit})
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := s.app.QuestionStats(r.Context(), ws, community, since)
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "questions", map[string]any{"questions": nonNil(qs), "stats": st})
}
