package httpapi

import (
	"github.com/shequn/shequn/internal/export"
	"net/http"
	"strings"

	"github.com/shequn/shequn"
)

func (s *Server) getMembers(w http.ResponseWriter, r *http.Request) {
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
	q := r.URL.Query()
	f := shequn.MemberFilter{Query: strings.TrimSpace(q.Get("q")), Platform: q.Get("platform"), Status: q.Get("status"), Tier: q.Get("tier"), Sort: q.Get("sort"), Limit: limit, Offset: offset}
	if c := q.Get("community"); c != "" {
		if f.CommunityID, err = parseID(c); err != nil {
			writeError(w, err)
			return
		}
	}
	if exporting(r) != "" {
		s.exportMembers(w, r, f, win)
		return
	}
	ms, total, err := s.app.FindMembers(r.Context(), workspace(r), f, win)
	if err != nil {
		writeError(w, err)
		return
	}
	// a search counts its matches up to a cap: total_capped says there are more
	writeJSON(w, http.StatusOK, map[string]any{"members": maskMembers(ms), "total": total,
		"total_capped": f.Query != "" && total > shequn.SearchCountCap})
}

// maskMembers shows members with their phone numbers masked.
func maskMembers(ms []*shequn.MemberSummary) []export.MemberRow {
	out := make([]export.MemberRow, len(ms))
	for i, m := range ms {
		out[i] = export.Member(m)
	}
	return out
}

func (s *Server) getMember(w http.ResponseWriter, r *http.Request) {
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
	p, err := s.app.MemberProfile(r.Context(), workspace(r), id, win)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"member":      export.Member(&shequn.MemberSummary{Member: *p.Member, Stats: p.Stats, Platforms: p.Platforms()}),
		"identities":  nonNil(p.Identities),
		"memberships": nonNil(p.Memberships),
		"timeline":    nonNil(p.Timeline),
		"standing":    p.Standing,
		"balance":     p.Balance,
		"level":       p.Level,
		"badges":      nonNil(p.Badges),
	})
}

// exportMembers streams every member f matches, phone numbers masked.
func (s *Server) exportMembers(w http.ResponseWriter, r *http.Request, f shequn.MemberFilter, win shequn.DayRange) {
	ws := workspace(r)
	d, err := export.NewDownload(w, exporting(r), export.FileName(ws, "members", s.app.Clock.Now()), []export.MemberRow(nil), ws.Location())
	if err == nil {
		err = s.app.EachMember(r.Context(), ws, f, win, func(m *shequn.MemberSummary) error { return d.WriteOne(export.Member(m)) })
	}
	finish(w, d, err)
}
