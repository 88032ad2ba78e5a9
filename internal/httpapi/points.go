package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
)

func (s *Server) pointsRoutes() {
	s.api("GET /api/v1/members/{id}/points", s.getPoints)
	s.api("POST /api/v1/members/{id}/points", s.postPoints)
	s.api("GET /api/v1/leaderboards", s.getLeaderboard)
	s.api("GET /api/v1/rewards", s.getRewards)
	s.api("POST /api/v1/rewards", s.postReward)
	s.api("POST /api/v1/rewards/{id}/redeem", s.postRedeem)
	s.api("POST /api/v1/redemptions/{id}/fulfil", s.closeRedemption(true))
	s.api("POST /api/v1/redemptions/{id}/cancel", s.closeRedemption(false))
	s.api("GET /api/v1/points/rule", s.getPointsRule)
	s.api("PUT /api/v1/points/rule", s.putPointsRule)
	s.api("GET /api/v1/tiers/criteria", s.getTierCriteria)
	s.api("PUT /api/v1/tiers/criteria", s.putTierCriteria)
	s.api("POST /api/v1/tiers/recompute", s.postRecompute)
	s.api("GET /api/v1/redemptions", s.getRedemptions)
	s.api("POST /api/v1/awards/monthly", s.postMonthlyAward)
	s.api("GET /api/v1/segments", s.getSegments)
	s.api("POST /api/v1/segments", s.postSegment)
}

func (s *Server) getSegments(w http.ResponseWriter, r *http.Request) {
	segs, err := s.app.DB.FindSegments(r.Context(), workspace(r).ID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"segments": nonNil(segs)})
}

func (s *Server) postSegment(w http.ResponseWriter, r *http.Request) {
	var body shequn.Segment
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	seg, err := s.app.SaveSegment(r.Context(), nil, workspace(r), body.Name, body.Filter)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"segment": seg})
}

func (s *Server) getRedemptions(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.DB.FindRedemptions(r.Context(), workspace(r).ID, r.URL.Query().Get("status"), 200)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"redemptions": nonNil(rs)})
}

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

func (s *Server) getTierCriteria(w http.ResponseWriter, r *http.Request) {
	c, err := s.app.DB.FindTierCriteria(r.Context(), workspace(r).ID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"criteria": c})
}

func (s *Server) putTierCriteria(w http.ResponseWriter, r *http.Request) {
	c := shequn.DefaultTierCriteria()
	if err := readJSON(w, r, &c); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.SaveTierCriteria(r.Context(), workspace(r), c); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"criteria": c})
}

func (s *Server) postRecompute(w http.ResponseWriter, r *http.Request) {
	counts, changed, err := s.app.RecomputeStandings(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tiers": counts, "changed": changed})
}

func (s *Server) getPoints(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	if _, err := s.app.DB.FindMemberByID(r.Context(), ws.ID, id); err != nil {
		writeError(w, err)
		return
	}
	bal, _, err := s.app.DB.Balance(r.Context(), ws.ID, id)
	if err != nil {
		writeError(w, err)
		return
	}
	entries, err := s.app.DB.PointsHistory(r.Context(), ws.ID, id, 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"balance": bal, "entries": nonNil(entries)})
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
	rows, err := s.app.DB.Leaderboard(r.Context(), ws.ID, period, community, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": period, "community": community, "rows": nonNil(rows)})
}

func (s *Server) getRewards(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.DB.FindRewards(r.Context(), workspace(r).ID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rewards": nonNil(rs)})
}

func (s *Server) postReward(w http.ResponseWriter, r *http.Request) {
	var rw shequn.Reward
	if err := readJSON(w, r, &rw); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.CreateReward(r.Context(), workspace(r), &rw); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"reward": rw})
}

func (s *Server) postRedeem(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Member   int64  `json:"member"`
		Delivery string `json:"delivery"`
		Key      string `json:"idempotency_key"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if _, err := s.app.DB.FindMemberByID(r.Context(), workspace(r).ID, body.Member); err != nil {
		writeError(w, err)
		return
	}
	rd, err := s.app.Redeem(r.Context(), workspace(r), body.Member, id, body.Delivery, body.Key)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"redemption": rd})
}

func (s *Server) closeRedemption(fulfil bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := parseID(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		if err := s.app.CloseRedemption(r.Context(), workspace(r), id, fulfil); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) getPointsRule(w http.ResponseWriter, r *http.Request) {
	rule, err := s.app.DB.FindPointsRule(r.Context(), workspace(r).ID)
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
	if err := s.app.SavePointsRule(r.Context(), workspace(r), rule); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}
