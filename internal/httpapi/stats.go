package httpapi

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

// window reads ?days= (default 30, 1..366) as a range ending today.
func (s *Server) window(r *http.Request) (shequn.DayRange, error) {
	days := shequn.WindowDays
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
	o, err := s.app.Overview(r.Context(), workspace(r), win)
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
		if _, err := s.app.FindCommunity(r.Context(), ws, id); err != nil {
			writeError(w, err)
			return
		}
		days, err = s.app.CommunityDays(r.Context(), ws, id, win)
	} else {
		days, err = s.app.WorkspaceDays(r.Context(), ws, win)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "days", map[string]any{"from": win.From, "to": win.To, "days": nonNil(days)})
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
