package httpapi

import (
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getCommunities(w http.ResponseWriter, r *http.Request) {
	win, err := s.window(r)
	if err != nil {
		writeError(w, err)
		return
	}
	limit, offset, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	f := shequn.CommunityFilter{Platform: r.URL.Query().Get("platform"), Query: r.URL.Query().Get("q"), Limit: limit, Offset: offset}
	if exporting(r) != "" {
		exportPages(w, r, "communities", func(limit, offset int) ([]*shequn.CommunitySummary, error) {
			f.Limit, f.Offset = limit, offset
			cs, _, err := s.app.FindCommunities(r.Context(), workspace(r), f, win)
			return cs, err
		})
		return
	}
	cs, total, err := s.app.FindCommunities(r.Context(), workspace(r), f, win)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"communities": nonNil(cs), "total": total})
}

func (s *Server) getCommunity(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	win, err := s.window(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	c, err := s.app.FindCommunity(r.Context(), ws, id)
	if err != nil {
		writeError(w, err)
		return
	}
	days, err := s.app.CommunityDays(r.Context(), ws, id, win)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"community": c, "stats": sumDays(days), "days": nonNil(days)})
}

type communityPatch struct {
	Name      *string  `json:"name"`
	Kind      *string  `json:"kind"`
	Theme     *string  `json:"theme"`
	Tags      []string `json:"tags"`
	Structure *string  `json:"structure"`
	Stage     *string  `json:"stage"`
	Rules     *string  `json:"rules"`
	Capacity  *int     `json:"capacity"`
	Benchmark *bool    `json:"benchmark"`
	TimeZone  *string  `json:"time_zone"`
}

func (s *Server) patchCommunity(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var p communityPatch
	if err := readJSON(w, r, &p); err != nil {
		writeError(w, err)
		return
	}
	c, err := s.app.UpdateCommunity(r.Context(), workspace(r), id, shequn.CommunityUpdate(p))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"community": c})
}
