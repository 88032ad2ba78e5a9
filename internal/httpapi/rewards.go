package httpapi

import (
	"github.com/shequn/shequn/internal/app"
	"net/http"

	"github.com/shequn/shequn"
)

func (s *Server) getRewards(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.FindRewards(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "rewards", map[string]any{"rewards": nonNil(rs)})
}

func (s *Server) postReward(w http.ResponseWriter, r *http.Request) {
	var rw shequn.Reward
	if err := readJSON(w, r, &rw); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.CreateReward(r.Context(), workspace(r), nil, &rw); err != nil {
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
	if _, err := s.app.FindMember(r.Context(), workspace(r), body.Member); err != nil {
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
		if err := s.app.CloseRedemption(r.Context(), workspace(r), nil, id, fulfil); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) getRedemptions(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.FindRedemptions(r.Context(), workspace(r), r.URL.Query().Get("status"), 200)
	if err != nil {
		writeError(w, err)
		return
	}
	for _, rd := range rs { // phone numbers masked in lists, as the console does
		rd.Delivery = app.MaskContacts(rd.Delivery)
	}
	writeList(w, r, "redemptions", map[string]any{"redemptions": nonNil(rs)})
}
