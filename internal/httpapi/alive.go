package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
)

func (s *Server) aliveRoutes() {
	s.api("GET /api/v1/automations", s.getAutomations)
	s.api("POST /api/v1/automations", s.saveAutomation)
	s.api("GET /api/v1/automations/{id}", s.getAutomation)
	s.api("PUT /api/v1/automations/{id}", s.saveAutomation)
	s.api("DELETE /api/v1/automations/{id}", s.deleteAutomation)
	s.api("GET /api/v1/calendar", s.getCalendar)
	s.api("GET /api/v1/challenges", s.getChallenges)
	s.api("POST /api/v1/challenges", s.saveChallenge)
	s.api("GET /api/v1/challenges/{id}", s.getChallenge)
	s.api("PUT /api/v1/challenges/{id}", s.saveChallenge)
	s.api("GET /api/v1/alerts", s.getAlerts)
	s.api("POST /api/v1/alerts/{id}/status", postStatus(s.app.SetAlertStatus))
	s.api("GET /api/v1/questions", s.getQuestions)
	s.api("GET /api/v1/welcome", s.getWelcome)
	s.api("PUT /api/v1/welcome", s.putWelcome)
	s.api("PUT /api/v1/communities/{id}/welcome", s.putWelcome)
	s.api("DELETE /api/v1/communities/{id}/welcome", s.deleteWelcome)
	s.api("POST /api/v1/broadcasts/preview", s.previewBroadcast)
	s.api("POST /api/v1/broadcasts", s.postBroadcast)
	s.api("GET /api/v1/broadcasts", s.getBroadcasts)
	s.api("POST /api/v1/broadcasts/{id}/reject", s.rejectBroadcast)
}

// respond writes v under key, or the error.
func respond(w http.ResponseWriter, status int, key string, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, map[string]any{key: v})
}

// pathID reads the {id} path value; 0 when the route has none.
func pathID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return parseID(r.PathValue("id"))
}

func (s *Server) getAutomations(w http.ResponseWriter, r *http.Request) {
	as, err := s.app.DB.FindAutomations(r.Context(), workspace(r).ID)
	respond(w, http.StatusOK, "automations", nonNil(as), err)
}

func (s *Server) getAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	a, err := s.app.DB.FindAutomation(r.Context(), workspace(r).ID, id)
	respond(w, http.StatusOK, "automation", a, err)
}

func (s *Server) saveAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var a shequn.Automation
	if err := readJSON(w, r, &a); err != nil {
		writeError(w, err)
		return
	}
	a.ID = id
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	err = s.app.SaveAutomation(r.Context(), workspace(r), nil, &a)
	respond(w, status, "automation", &a, err)
}

func (s *Server) deleteAutomation(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteAutomation(r.Context(), workspace(r), nil, id)
	}
	respond(w, http.StatusOK, "deleted", id, err)
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) {
	days := 7
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 31 {
			writeError(w, shequn.Errorf(shequn.EINVALID, "days %q: 1 to 31", v))
			return
		}
		days = n
	}
	now := s.app.Clock.Now()
	items, err := s.app.Calendar(r.Context(), workspace(r), now, now.Add(time.Duration(days)*24*time.Hour))
	respond(w, http.StatusOK, "items", nonNil(items), err)
}

func (s *Server) getChallenges(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.DB.FindChallenges(r.Context(), workspace(r).ID)
	respond(w, http.StatusOK, "challenges", nonNil(cs), err)
}

func (s *Server) getChallenge(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	c, err := s.app.DB.FindChallenge(r.Context(), ws.ID, id)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := s.app.ChallengeStats(r.Context(), ws, c)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"challenge": c, "stats": st})
}

func (s *Server) saveChallenge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var c shequn.Challenge
	if err := readJSON(w, r, &c); err != nil {
		writeError(w, err)
		return
	}
	c.ID = id
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	err = s.app.SaveChallenge(r.Context(), workspace(r), nil, &c)
	respond(w, status, "challenge", &c, err)
}

func (s *Server) getAlerts(w http.ResponseWriter, r *http.Request) {
	limit, _, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	as, err := s.app.DB.FindAlerts(r.Context(), workspace(r).ID, shequn.AlertFilter{Status: q.Get("status"), Kind: q.Get("kind"), Limit: limit})
	respond(w, http.StatusOK, "alerts", nonNil(as), err)
}

// postStatus handles POST …/{id}/status {"status": …} with set.
func postStatus(set func(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := parseID(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		var body struct {
			Status string `json:"status"`
		}
		if err := readJSON(w, r, &body); err != nil {
			writeError(w, err)
			return
		}
		err = set(r.Context(), workspace(r), nil, id, body.Status)
		respond(w, http.StatusOK, "status", body.Status, err)
	}
}

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
	qs, err := s.app.DB.FindQuestions(r.Context(), ws.ID, shequn.QuestionFilter{CommunityID: community, Status: status, Since: since, Limit: limit})
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := s.app.DB.QuestionStats(r.Context(), ws.ID, community, since)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"questions": nonNil(qs), "stats": st})
}

func (s *Server) getWelcome(w http.ResponseWriter, r *http.Request) {
	m, err := s.app.Welcome(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	own := map[string]shequn.WelcomeSettings{}
	for id, v := range m {
		if id != 0 {
			own[strconv.FormatInt(id, 10)] = v
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"default": m[0], "communities": own})
}

func (s *Server) putWelcome(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var ws shequn.WelcomeSettings
	if err := readJSON(w, r, &ws); err != nil {
		writeError(w, err)
		return
	}
	err = s.app.SaveWelcome(r.Context(), workspace(r), nil, id, &ws)
	respond(w, http.StatusOK, "welcome", ws, err)
}

func (s *Server) deleteWelcome(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.SaveWelcome(r.Context(), workspace(r), nil, id, nil)
	}
	respond(w, http.StatusOK, "deleted", id, err)
}

type broadcastBody struct {
	Text           string          `json:"text"`
	Selector       shequn.Selector `json:"selector"`
	StaggerSeconds int             `json:"stagger_seconds"`
}

func (s *Server) previewBroadcast(w http.ResponseWriter, r *http.Request) {
	var b broadcastBody
	if err := readJSON(w, r, &b); err != nil {
		writeError(w, err)
		return
	}
	p, err := s.app.PreviewBroadcast(r.Context(), workspace(r), b.Text, b.Selector, b.StaggerSeconds)
	respond(w, http.StatusOK, "preview", p, err)
}

func (s *Server) postBroadcast(w http.ResponseWriter, r *http.Request) {
	var b broadcastBody
	if err := readJSON(w, r, &b); err != nil {
		writeError(w, err)
		return
	}
	bc, err := s.app.CreateBroadcast(r.Context(), workspace(r), nil, b.Text, b.Selector, b.StaggerSeconds)
	respond(w, http.StatusCreated, "broadcast", bc, err)
}

func (s *Server) getBroadcasts(w http.ResponseWriter, r *http.Request) {
	bs, err := s.app.DB.FindBroadcasts(r.Context(), workspace(r).ID, 100)
	respond(w, http.StatusOK, "broadcasts", nonNil(bs), err)
}

func (s *Server) rejectBroadcast(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	b, err := s.app.DecideBroadcast(r.Context(), workspace(r), nil, id, false)
	respond(w, http.StatusOK, "broadcast", b, err)
}
