package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
)

func (s *Server) postMonthlyAward(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Month  string `json:"month"`
		Top    int    `json:"top"`
		Points int64  `json:"points"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	n, err := s.app.AwardMonthlyTop(r.Context(), workspace(r), body.Month, body.Top, body.Points)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"granted": n})
}

func (s *Server) getPoints(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	bal, entries, err := s.app.MemberPoints(r.Context(), workspace(r), id, 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "entries", map[string]any{"balance": bal, "entries": nonNil(entries)})
}

func (s *Server) postPoints(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Amount int64  `json:"amount"`
		Reason string `json:"reason"`
		Key    string `json:"idempotency_key"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	e, posted, err := s.app.AdjustPoints(r.Context(), nil, workspace(r), id, body.Amount, body.Reason, body.Key)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entry": e, "posted": posted})
}

// getLeaderboard answers ?period=month|week&at=YYYY-MM-DD&community=ID&limit=N.
func (s *Server) getLeaderboard(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ws := workspace(r)
	at := s.app.Clock.Now()
	if v := q.Get("at"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, ws.Location())
		if err != nil {
			writeError(w, shequn.Errorf(shequn.EINVALID, "at %q: want YYYY-MM-DD", v))
			return
		}
		at = t
	}
	_, week, month := shequn.Periods(at, ws.Location())
	period := month
	switch q.Get("period") {
	case "", "month":
	case "week":
		period = week
	default:
		writeError(w, shequn.Errorf(shequn.EINVALID, "period %q: want month or week", q.Get("period")))
		return
	}
	community, err := optionalID(r, "community")
	if err != nil {
		writeError(w, err)
		return
	}
	limit := 10
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			writeError(w, shequn.Errorf(shequn.EINVALID, "limit %q: want 1 to 100", v))
			return
		}
	}
	rows, err := s.app.Leaderboard(r.Context(), ws, period, community, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "rows", map[string]any{"period": period, "community": community, "rows": nonNil(rows)})
}

func (s *Server) getPointsRule(w http.ResponseWriter, r *http.Request) {
	rule, err := s.app.FindPointsRule(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}

func (s *Server) putPointsRule(w http.ResponseWriter, r *http.Request) {
	var rule shequn.PointsRule
	if err := readJSON(w, r, &rule); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.SavePointsRule(r.Context(), workspace(r), nil, rule); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}
