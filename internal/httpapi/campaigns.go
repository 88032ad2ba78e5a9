package httpapi

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

func (s *Server) getCampaigns(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.Campaigns(r.Context(), workspace(r))
	respondList(w, r, "campaigns", nonNil(cs), err)
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := s.app.Campaign(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "campaign", c, err)
}

// getCampaignProgress answers each participant's helps and stages paid
// (?format=csv|xlsx exports them).
func (s *Server) getCampaignProgress(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	p, err := s.app.CampaignProgress(r.Context(), workspace(r), id)
	respondList(w, r, "progress", nonNil(p), err)
}

// getCampaignHelps answers the help ledger (?inviter= one member's).
func (s *Server) getCampaignHelps(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var inviter int64
	if v := r.URL.Query().Get("inviter"); v != "" {
		if inviter, err = strconv.ParseInt(v, 10, 64); err != nil {
			writeError(w, shequn.Invalid("inviter", "inviter %q: want a member id", shequn.Clip(v, 20)))
			return
		}
	}
	hs, err := s.app.CampaignHelps(r.Context(), workspace(r), id, inviter)
	respondList(w, r, "helps", nonNil(hs), err)
}

// reviewHelp settles a help in review: {"confirm": true} confirms it,
// false voids it as fraud.
func (s *Server) reviewHelp(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	help, err := parseID(r.PathValue("help"))
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Confirm *bool `json:"confirm"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.Confirm == nil {
		writeError(w, shequn.Invalid("confirm", "confirm: true (confirm the help) or false (void it as fraud)"))
		return
	}
	if err := s.app.ReviewHelp(r.Context(), workspace(r), nil, id, help, *body.Confirm); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) saveCampaign() http.HandlerFunc {
	return saveJSON("campaign", func(c *shequn.Campaign, id int64) { c.ID = id }, s.app.SaveCampaign)
}

// getCampaignFigures answers a campaign's figures: participants, helps by
// outcome, suspected fraud, K-factor, cost per confirmed member.
func (s *Server) getCampaignFigures(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	f, err := s.app.CampaignFigures(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "figures", f, err)
}
