package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

type eventsBody struct {
	Events []shequn.EventInput `json:"events"`
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	var body eventsBody
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	res, err := s.app.IngestEvents(r.Context(), workspace(r), body.Events)
	if err != nil {
		if shequn.ErrorCode(err) == shequn.EINTERNAL {
			s.log.Error("ingest failed", "err", err)
		}
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// window reads ?days= (default 30, 1..366) as a range ending today.
func (s *Server) window(r *http.Request) (shequn.DayRange, error) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			return shequn.DayRange{}, shequn.Errorf(shequn.EINVALID, "days %q: want a number from 1 to 366", v)
		}
		days = n
	}
	return shequn.LastDays(s.app.Clock.Now(), workspace(r).Location(), days), nil
}

func (s *Server) getOverview(w http.ResponseWriter, r *http.Request) {
	win, err := s.window(r)
	if err != nil {
		writeError(w, err)
		return
	}
	o, err := s.app.DB.Overview(r.Context(), workspace(r).ID, win)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) getDaily(w http.ResponseWriter, r *http.Request) {
	win, err := s.window(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	var days []shequn.DayStats
	if c := r.URL.Query().Get("community"); c != "" {
		id, err := parseID(c)
		if err != nil {
			writeError(w, err)
			return
		}
		if _, err := s.app.DB.FindCommunityByID(r.Context(), ws.ID, id); err != nil {
			writeError(w, err)
			return
		}
		days, err = s.app.DB.CommunityDays(r.Context(), ws.ID, id, win)
	} else {
		days, err = s.app.DB.WorkspaceDays(r.Context(), ws.ID, win)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": win.From, "to": win.To, "days": nonNil(days)})
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, shequn.Errorf(shequn.EINVALID, "id %q: want a positive integer", s)
	}
	return id, nil
}

func paging(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	limit, offset = 50, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return 0, 0, shequn.Errorf(shequn.EINVALID, "limit %q: want 1 to 500", v)
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, shequn.Errorf(shequn.EINVALID, "offset %q: want 0 or more", v)
		}
	}
	return limit, offset, nil
}

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
	cs, total, err := s.app.DB.FindCommunities(r.Context(), workspace(r).ID, f, win)
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
	c, err := s.app.DB.FindCommunityByID(r.Context(), ws.ID, id)
	if err != nil {
		writeError(w, err)
		return
	}
	days, err := s.app.DB.CommunityDays(r.Context(), ws.ID, id, win)
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
	ms, total, err := s.app.DB.FindMembers(r.Context(), workspace(r).ID, f, win)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": maskMembers(ms), "total": total})
}

// memberJSON shows a member with the phone number masked.
type memberJSON struct {
	*shequn.MemberSummary
	Phone string `json:"phone,omitempty"`
}

func maskMembers(ms []*shequn.MemberSummary) []memberJSON {
	out := make([]memberJSON, len(ms))
	for i, m := range ms {
		out[i] = memberJSON{MemberSummary: m, Phone: maskIfSet(m.Phone)}
	}
	return out
}

func maskIfSet(p string) string {
	if p == "" {
		return ""
	}
	return shequn.MaskPhone(p)
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
		"member":      memberJSON{MemberSummary: &shequn.MemberSummary{Member: *p.Member, Stats: p.Stats, Platforms: p.Platforms()}, Phone: maskIfSet(p.Member.Phone)},
		"identities":  nonNil(p.Identities),
		"memberships": nonNil(p.Memberships),
		"timeline":    nonNil(p.Timeline),
		"standing":    p.Standing,
		"balance":     p.Balance,
		"level":       p.Level,
		"badges":      nonNil(p.Badges),
	})
}

func sumDays(days []shequn.DayStats) shequn.CommunityStats {
	var st shequn.CommunityStats
	for _, d := range days {
		st.Messages += d.Messages
		st.Joins += d.Joins
		st.Leaves += d.Leaves
	}
	return st
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
