package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
)

// analyticsFilter reads ?community=, ?platform= and ?join_source=.
func analyticsFilter(r *http.Request) (shequn.AnalyticsFilter, error) {
	q := r.URL.Query()
	id, err := optionalID(r, "community")
	if err != nil {
		return shequn.AnalyticsFilter{}, err
	}
	seg, err := optionalID(r, "segment")
	return shequn.AnalyticsFilter{CommunityID: id, Platform: q.Get("platform"), JoinSource: q.Get("join_source"), Benchmark: q.Get("benchmark"), Segment: seg}, err
}

// filterAndPeriod reads an analytics filter and ?from= and ?to= (default:
// the last 28 days).
func (s *Server) filterAndPeriod(r *http.Request) (shequn.AnalyticsFilter, shequn.DayRange, error) {
	f, err := analyticsFilter(r)
	if err != nil {
		return f, shequn.DayRange{}, err
	}
	q := r.URL.Query()
	win, err := s.app.AnalyticsPeriod(workspace(r), q.Get("from"), q.Get("to"))
	return f, win, err
}

func (s *Server) getAnalyticsSummary(w http.ResponseWriter, r *http.Request) {
	f, win, err := s.filterAndPeriod(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	var sum shequn.ActivitySummary
	switch c := r.URL.Query().Get("compare"); {
	case c == "":
		sum, err = s.app.ActivitySummary(r.Context(), ws, f, win)
	case c == "previous":
		sum, err = s.app.ComparedSummary(r.Context(), ws, f, win, nil)
	default:
		from, to, ok := strings.Cut(c, "..")
		if !ok {
			writeError(w, shequn.Errorf(shequn.EINVALID, "compare %q: want previous or FROM..TO", c))
			return
		}
		against, perr := s.app.AnalyticsPeriod(ws, from, to)
		if perr != nil {
			writeError(w, perr)
			return
		}
		sum, err = s.app.ComparedSummary(r.Context(), ws, f, win, &against)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sum)
}

func (s *Server) getCohorts(w http.ResponseWriter, r *http.Request) {
	f, err := analyticsFilter(r)
	if err != nil {
		writeError(w, err)
		return
	}
	weeks := 12
	if v := r.URL.Query().Get("weeks"); v != "" {
		if weeks, err = strconv.Atoi(v); err != nil {
			writeError(w, shequn.Errorf(shequn.EINVALID, "weeks %q: want a number from 1 to 52", v))
			return
		}
	}
	rep, err := s.app.Cohorts(r.Context(), workspace(r), f, weeks)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) getHealth(w http.ResponseWriter, r *http.Request) {
	hs, err := s.app.GroupHealth(r.Context(), workspace(r))
	respondList(w, r, "groups", nonNil(hs), err)
}

func (s *Server) getPareto(w http.ResponseWriter, r *http.Request) {
	f, win, err := s.filterAndPeriod(r)
	if err != nil {
		writeError(w, err)
		return
	}
	p, err := s.app.Pareto(r.Context(), workspace(r), f, win)
	if err != nil {
		writeError(w, err)
		return
	}
	p.Groups, p.Members = nonNil(p.Groups), nonNil(p.Members)
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) putStaff(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Staff *bool `json:"staff"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.Staff == nil {
		writeError(w, shequn.Errorf(shequn.EINVALID, "staff: want true or false"))
		return
	}
	err = s.app.SetStaff(r.Context(), workspace(r), nil, id, *body.Staff)
	respond(w, http.StatusOK, "staff", *body.Staff, err)
}

func (s *Server) getWeeklyReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.app.WeeklyReport(r.Context(), workspace(r), r.URL.Query().Get("week"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) getReportSettings(w http.ResponseWriter, r *http.Request) {
	set, err := s.app.ReportSettings(r.Context(), workspace(r))
	respond(w, http.StatusOK, "settings", set, err)
}

func (s *Server) putReportSettings(w http.ResponseWriter, r *http.Request) {
	var set shequn.ReportSettings
	if err := readJSON(w, r, &set); err != nil {
		writeError(w, err)
		return
	}
	err := s.app.SaveReportSettings(r.Context(), workspace(r), nil, set)
	respond(w, http.StatusOK, "settings", set, err)
}

// getHighlights answers a period's most-replied and most-reacted messages
// and best answers; an export (?format=csv|xlsx) takes one list (?list=
// replied, reacted or answers).
func (s *Server) getHighlights(w http.ResponseWriter, r *http.Request) {
	f, win, err := s.filterAndPeriod(r)
	if err != nil {
		writeError(w, err)
		return
	}
	h, err := s.app.Highlights(r.Context(), workspace(r), f, win)
	if err != nil {
		writeError(w, err)
		return
	}
	h.MostReplied, h.MostReacted, h.BestAnswers = nonNil(h.MostReplied), nonNil(h.MostReacted), nonNil(h.BestAnswers)
	if exporting(r) == "" {
		writeJSON(w, http.StatusOK, h)
		return
	}
	switch list := r.URL.Query().Get("list"); list {
	case "replied", "":
		writeList(w, r, "most_replied", map[string]any{"most_replied": h.MostReplied})
	case "reacted":
		writeList(w, r, "most_reacted", map[string]any{"most_reacted": h.MostReacted})
	case "answers":
		writeList(w, r, "best_answers", map[string]any{"best_answers": h.BestAnswers})
	default:
		writeError(w, shequn.Errorf(shequn.EINVALID, "list %q: want replied, reacted or answers", list))
	}
}

func (s *Server) getHealthWeights(w http.ResponseWriter, r *http.Request) {
	ws, err := s.app.HealthWeights(r.Context(), workspace(r))
	respond(w, http.StatusOK, "weights", ws, err)
}

func (s *Server) putHealthWeights(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Weights map[string]int `json:"weights"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	err := s.app.SaveHealthWeights(r.Context(), workspace(r), nil, body.Weights)
	respond(w, http.StatusOK, "weights", body.Weights, err)
}

func (s *Server) getInviters(w http.ResponseWriter, r *http.Request) {
	f, win, err := s.filterAndPeriod(r)
	if err != nil {
		writeError(w, err)
		return
	}
	rows, err := s.app.TopInviters(r.Context(), workspace(r), f, win)
	respondList(w, r, "inviters", nonNil(rows), err)
}
